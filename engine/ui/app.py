"""The application: the window, the screen stack, and the loop that feeds screens events.

Only the top screen gets input. A screen pushed with `on_result` hands its result back through
that callback when it is popped. The loop caps frames at 60 a second, draws only when something
changed or animates, and otherwise sleeps between looks at the event queue, so an idle game uses
almost no CPU. Anything a screen raises becomes a message on screen (with the details in a crash
log), never a traceback; `strict=True` (tests) lets it through instead.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pygame

from engine.crash_log import write_crash_log
from engine.ui.fonts import LINE_SPACINGS, Fonts, TextCache, body_size, drawable
from engine.ui.keybindings import Action, KeyMap, Verb
from engine.ui.layout import Frame, TextLog
from engine.ui.opener import open_with_system
from engine.ui.pictures import PictureCache
from engine.ui.registry import screen_class
from engine.ui.settings import (
    MIN_WINDOW,
    Settings,
    load_settings,
    save_settings,
    window_size_within,
)
from engine.ui.theme import Theme, theme_for
from engine.ui.voice import Voice
from engine.ui.voicing import SelfVoicing
from engine.ui.watch import WATCH_SECONDS, StoryWatcher
from engine.ui.widgets.meters import MeterPanel

if TYPE_CHECKING:
    from engine.classroom.game import ClassroomGame
    from engine.ui.reading import Problems

FPS = 60
IDLE_WAIT_MS = 1000  # how long the loop waits for an event when nothing animates
IDLE_NAP_S = 0.02  # between looks at the event queue while waiting
MAX_DT = 0.1
# The screens the app opens itself, by their names in the registry (engine.ui.registry).
MESSAGE = "message"
HELP = "help"

Result = TypeVar("Result")


class Screen:
    """One screen of the game. Subclasses fill in `layout`, `apply`, `handle_mouse`, `draw`,
    and register under their `name` (engine.ui.registry) for the others to open them by it."""

    name = "screen"
    overlay = False  # drawn over the screen beneath it

    def __init__(self, app: App) -> None:
        self.app = app
        self.laid_out_for: int | None = None  # the app's layout version it was laid out for
        self.on_result: Callable[[Any], None] | None = None
        self.draw_failed = False  # its last drawing faulted: left out under an overlay

    # hooks
    def layout(self) -> None:
        """Compute rects and text from `app.frame`; called after a resize or a settings change."""

    def handle_event(self, event: pygame.event.Event) -> None:
        """An event for this screen: a key's action, the mouse, or typed text."""
        action = self.app.keymap.action_for(event)
        if action is not None:
            self.apply(action)
        elif event.type in (
            pygame.MOUSEMOTION,
            pygame.MOUSEBUTTONDOWN,
            pygame.MOUSEBUTTONUP,
            pygame.MOUSEWHEEL,
        ):
            self.handle_mouse(event)
        elif event.type == pygame.TEXTINPUT:
            self.handle_text(event.text)

    def apply(self, action: Action) -> None:
        """Do what an action (from the key table) asks."""

    def handle_mouse(self, event: pygame.event.Event) -> None:
        """A mouse event: motion, a button pressed, the wheel."""

    def handle_text(self, text: str) -> None:
        """Text typed (for a text field)."""

    def update(self, dt: float) -> bool:
        """Advance animations; True while something still moves."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the screen onto the window's surface."""

    def uncovered(self) -> None:
        """The screen above this one was popped."""

    def draw_changes(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        """While it animates and nothing else changed: draw only what moved since the last
        frame, and return the rects to put on screen ([] when nothing is to be drawn this
        turn of the loop: the typewriter between two words). None: draw the whole frame."""
        return None

    def press_token(self) -> object:
        """What the screen shows, as far as a click is concerned: a mouse button released on
        this screen acts only when it was pressed while the screen showed the same (see
        `App.dispatch`). The play screen changes it when its choices appear."""
        return None

    def ensure_layout(self) -> None:
        """Lay the screen out if the app's layout changed since it last was."""
        if self.laid_out_for != self.app.layout_version:
            self.laid_out_for = self.app.layout_version
            self.layout()


class App:
    """The window, the settings, the fonts, the screen stack and the loop."""

    def __init__(
        self,
        game: ClassroomGame | None = None,
        *,
        size: tuple[int, int] | None = None,
        settings_file: Path | None = None,
        fps: int = FPS,
        strict: bool = False,
        fixed_dt: float | None = None,
        fonts: Fonts | None = None,
        use_settings_window: bool = True,
        voice: Voice | None = None,
    ) -> None:
        pygame.display.init()
        pygame.font.init()
        self.game = game
        self.settings_file = settings_file
        self.notices: list[str] = []
        settings, problem = load_settings(settings_file) if settings_file else (Settings(), None)
        if problem:
            self.notices.append(problem)
        self.settings = settings
        if game is not None:
            game.undo_allowed_by_settings = settings.allow_undo
        self.fps = fps
        self.strict = strict
        self.fixed_dt = fixed_dt
        self.fonts = fonts or Fonts()
        self.keymap = KeyMap(settings.keys)
        # Self-voicing: reads the screen aloud while the setting is on (V); the voice is found
        # only when first needed.
        self.voicing = SelfVoicing(voice)
        self.text_cache = TextCache(fonts=self.fonts)
        self.pictures = PictureCache()
        self.text_log = TextLog()
        self.stack: list[Screen] = []
        self.layout_version = 0
        self.running = True
        self.dirty = True
        self.animating = False
        self.frames = 0
        self.drawn_frames = 0  # frames put on screen (the benchmark counts them)
        self.drawn_pixels = 0  # and the pixels they covered
        self.errors = 0
        self.pointer: tuple[int, int] | None = None  # where the mouse was last seen
        # The screen and what it showed when a mouse button went down: a release acts only on
        # the same (a double click on Continue must not choose on the next scene).
        self.press: tuple[Screen, object] | None = None
        self.clock_time = 0.0  # the loop's own time, with a fixed dt (tests): see `now`
        self.quiet_until = 0.0  # `run_until_idle` runs on until then (a cool-down waits)
        # What F5 does (launch.build_app gives reload.reload_story, so the app imports no
        # screen), and, with no game (the story had errors), build_app's way to open it again.
        self.reload_story: Callable[[App], None] | None = None
        self.reopen: Callable[[], tuple[ClassroomGame | None, Problems | None]] | None = None
        self.watcher: StoryWatcher | None = None  # the story's files, while playing (setting)
        self.watch_interval = WATCH_SECONDS
        # How a file or folder is opened for the player (the exported report): the system's
        # own program; tests give a recorder instead, so that nothing is launched.
        self.opener: Callable[[Path], None] = open_with_system
        self.clock = pygame.time.Clock()
        self._faulted = False  # a fault was reported in this turn of the loop
        self._veil: tuple[tuple[tuple[int, int], str], pygame.Surface] | None = None
        self._meter_panel: MeterPanel | None = None  # see `meter_panel`
        if size is None:
            size = settings.window_size if use_settings_window else (1280, 720)
        self.windowed_size = window_size_within(size)
        self.surface = self._open_window(settings.fullscreen and size is None)
        self.frame = self._new_frame()
        self.notices.extend(self.fonts.notices)

    # The window --------------------------------------------------------------------------------

    def _open_window(self, fullscreen: bool) -> pygame.Surface:
        set_window_title(self.game.story.title if self.game else "Balance of Power")
        if fullscreen:
            try:
                return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            except pygame.error:
                self.notices.append(
                    "Fullscreen is not available here; the game opened in a window."
                )
        return self._open_windowed(self.windowed_size)

    def _open_windowed(self, size: tuple[int, int]) -> pygame.Surface:
        """A resizable window of `size`, or, when the system cannot make one that big, of the
        last size that worked (and at worst the smallest), which `windowed_size` then holds."""
        last_error: pygame.error | None = None
        for candidate in dict.fromkeys((size, self.windowed_size, MIN_WINDOW)):
            try:
                surface = pygame.display.set_mode(candidate, pygame.RESIZABLE)
            except pygame.error as error:
                last_error = error
                continue
            self.windowed_size = candidate
            set_minimum_size(MIN_WINDOW)
            return surface
        raise last_error or pygame.error("the window could not be opened")

    @property
    def window(self) -> pygame.Rect:
        """The window's rect, at (0, 0)."""
        return self.surface.get_rect()

    @property
    def theme(self) -> Theme:
        """The theme the settings ask for, in the mood of the scene being played (its accent)."""
        mood = None
        for screen in reversed(self.stack):
            mood = getattr(screen, "mood", None)
            if mood is not None:
                break
        return theme_for(self.settings.high_contrast, mood)

    @property
    def meter_count(self) -> int:
        """The meters the play screens show (none while a class keeps them for the ending)."""
        return len(self.game.story.meters) if self.game and self.game.show_meters else 0

    def resize(self, width: int, height: int) -> None:
        """The window was resized: to a size between the smallest the layout allows and
        MAX_WINDOW (a resize to 40000x40000 gets a window of MAX_WINDOW, or of the last size
        that worked if the system cannot make that one)."""
        size = window_size_within((int(width), int(height)))
        if self.settings.fullscreen:
            return
        if self.surface.get_size() != size or pygame.display.get_surface() is None:
            self.surface = self._open_windowed(size)
        self.windowed_size = self.surface.get_size()
        self.relayout()

    def ensure_window(self) -> None:
        """Open the window again, at the last size that worked, if it was lost (a mode the
        system failed to honour leaves no window: `flip` would raise 'Display mode not set')."""
        if pygame.display.get_surface() is None:
            self.surface = self._open_windowed(self.windowed_size)
            self.relayout()

    def set_fullscreen(self, on: bool) -> None:
        """Fullscreen, or back to the window (a setting, saved)."""
        self.change_settings(fullscreen=on)

    def relayout(self) -> None:
        """Recompute fonts and the frame for the window and settings; screens lay out anew."""
        self.frame = self._new_frame()
        self.layout_version += 1
        self.dirty = True

    def _new_frame(self) -> Frame:
        """The body text's size for the window and settings, and the frame computed from it."""
        self.fonts.set_family(self.settings.font)
        self.fonts.spacing = LINE_SPACINGS[self.settings.line_spacing][1]
        self.fonts.body = body_size(self.settings.text_size, self.surface.get_size())
        labels = (
            tuple(meter.label for meter in self.game.story.meters.values())
            if self.meter_count
            else ()
        )
        return Frame.compute(self.surface.get_size(), self.fonts, self.meter_count, labels)

    def change_settings(self, **changes: Any) -> None:
        """Apply and persist new settings (a message appears if they cannot be saved)."""
        old = self.settings
        values = {**old.__dict__, **changes}
        self.settings = Settings(**values).checked()
        if self.game is not None:
            self.game.undo_allowed_by_settings = self.settings.allow_undo
        if self.settings.fullscreen != old.fullscreen:
            self.surface = self._open_window(self.settings.fullscreen)
        if self.settings.keys != old.keys:
            self.keymap = KeyMap(self.settings.keys)
        self.relayout()
        self.save_settings()
        if self.settings.voice != old.voice:
            self.voice_changed()

    def toggle_voice(self) -> None:
        """Self-voicing on or off (V, and the setting)."""
        self.change_settings(voice=not self.settings.voice)

    def voice_changed(self) -> None:
        """Self-voicing was turned on (the screen is read anew; a player with no voice on their
        system is told so, once) or off (it says so, and stops)."""
        voicing = self.voicing
        if not self.settings.voice:
            voicing.turned_off()
            return
        voicing.turned_on()
        if voicing.voice.notice:
            self.show_message("Self-voicing", voicing.voice.notice)

    def save_settings(self) -> None:
        """Write the settings (and the window's size) to the settings file, if there is one."""
        if self.settings_file is None:
            return
        width, height = self.windowed_size
        if (width, height) != self.settings.window_size:
            self.settings = Settings(
                **{**self.settings.__dict__, "window_width": width, "window_height": height}
            ).checked()
        problem = save_settings(self.settings_file, self.settings)
        if problem:
            self.show_message("Settings", problem)

    # The meter panel ---------------------------------------------------------------------------

    @property
    def meter_panel(self) -> MeterPanel:
        """The meters the play and feedback screens show: one panel for both, so that a change
        goes on animating from one screen to the next; made for the session when first asked
        for, and anew by `reset_meter_panel`."""
        if self._meter_panel is None:
            self._meter_panel = MeterPanel(self, self.game.story, self.game.session.meters)
        return self._meter_panel

    def reset_meter_panel(self) -> None:
        """Show the session's meters as they are now, with no change beside them (a new game, a
        loaded one, a reload, an ending taken back)."""
        session = self.game.session
        self._meter_panel = MeterPanel(self, session.story, session.meters)

    # The screen stack --------------------------------------------------------------------------

    @property
    def top(self) -> Screen | None:
        """The screen that gets input: the top of the stack."""
        return self.stack[-1] if self.stack else None

    def push(self, screen: Screen, on_result: Callable[[Any], None] | None = None) -> None:
        """Show a screen over the others; `on_result` gets its result when it is popped."""
        screen.on_result = on_result
        self.stack.append(screen)
        self.dirty = True
        self.press = None  # a click pressed before this does not act after it

    def pop(self, result: object = None) -> None:
        """Close the top screen, handing `result` to its `on_result`."""
        if not self.stack:
            return
        screen = self.stack.pop()
        self.dirty = True
        self.press = None  # a click pressed before this does not act after it
        if self.top is not None:
            self.top.uncovered()
        if screen.on_result is not None:
            screen.on_result(result)

    def replace(self, screen: Screen) -> None:
        """Swap the top screen for another (its result callback is kept)."""
        if self.stack:
            screen.on_result = self.stack.pop().on_result
        self.stack.append(screen)
        self.dirty = True
        self.press = None  # a click pressed before this does not act after it

    def reset(self, screen: Screen) -> None:
        """Clear the stack and show this screen alone."""
        self.stack = [screen]
        self.dirty = True
        self.press = None  # a click pressed before this does not act after it

    def find(self, name: str) -> Screen | None:
        """The topmost screen of that name on the stack, or None."""
        for screen in reversed(self.stack):
            if screen.name == name:
                return screen
        return None

    def show_message(self, title: str, text: str, details: list[str] | None = None) -> None:
        """A notice or a fault, over the screen it concerns; OK goes back to that screen."""
        self.push(screen_class(MESSAGE)(self, title, text, details or []))

    def quit(self) -> None:
        """Stop the game; a playthrough left unfinished gets its record (classroom)."""
        if self.running and self.game is not None:
            try:
                self.game.leave()
            except Exception:  # noqa: BLE001 - a fault while leaving must not keep the game open
                write_crash_log()
            for title, text in self.game.notices:  # no screen to show them on any more
                print(f"{title}: {text}", file=sys.stderr)
            self.game.notices.clear()
        self.voicing.close()
        self.running = False

    # The story's files -------------------------------------------------------------------------

    def story_changed(self) -> bool:
        """Whether the story's files changed since it was (re)loaded; looks about once a second,
        and only when the setting asks for it. Screens that can reload call this in `update`."""
        if not self.settings.watch_story or self.game is None or self.game.story_path is None:
            return False
        if self.watcher is None or self.watcher.path != Path(self.game.story_path):
            self.watcher = StoryWatcher(self.game.story_path, self.watch_interval)
            return False
        self.watcher.interval = self.watch_interval
        return self.watcher.changed(time.monotonic())

    # The loop ----------------------------------------------------------------------------------

    def run(self, max_frames: int | None = None) -> None:
        """Play until the player quits (or `max_frames` frames have been drawn or waited)."""
        count = 0
        while self.running and (max_frames is None or count < max_frames):
            self.step(block=True)
            count += 1
        self.save_settings()

    def now(self) -> float:
        """Seconds, for cool-downs: the monotonic clock, or with a fixed dt (tests) the loop's
        own time, which moves by that dt each turn of the loop."""
        return self.clock_time if self.fixed_dt is not None else time.monotonic()

    def hold_quiet(self, seconds: float) -> None:
        """Something waits `seconds` from now (a cool-down): tests' `run_until_idle` runs on
        until then, as a player's time would pass."""
        self.quiet_until = max(self.quiet_until, self.now() + seconds)

    def run_until_idle(self, max_frames: int = 500) -> int:
        """Handle every posted event and finish animations, without ever sleeping (tests)."""
        for count in range(max_frames):
            pending = pygame.event.peek()
            self.step(block=False)
            quiet = self.now() >= self.quiet_until
            if not pending and not self.animating and not self.dirty and quiet:
                return count
            if not self.running:
                return count
        return max_frames

    def step(self, block: bool = False) -> None:
        """One turn of the loop: events, animation, and a frame drawn if anything changed."""
        self._faulted = False
        self._guard(self.ensure_window)
        if block and not self.animating and not self.dirty:
            events = wait_for_events(IDLE_WAIT_MS)
        else:
            events = pygame.event.get()
        for event in events:
            self._guard(self.dispatch, event)
        ticked = self.clock.tick(self.fps) / 1000
        dt = self.fixed_dt if self.fixed_dt is not None else min(MAX_DT, ticked)
        self.clock_time += dt
        self.animating = bool(self._guard(self._update, dt))
        self._guard(self.show_game_notices)
        if self.settings.voice and (self.dirty or self.animating):
            self._guard(self.speak_changes)
        if self.dirty:
            self._guard(self.draw_frame)
            self._guard(pygame.display.flip)
            self.dirty = False
            self.drawn_frames += 1
            self.drawn_pixels += self.surface.get_width() * self.surface.get_height()
        elif self.animating:
            self._guard(self.draw_animation)
        self.frames += 1
        if not self._faulted:
            self.errors = 0

    def speak_changes(self) -> None:
        """Self-voicing: say what changed on the top screen (laid out first, so that what is
        read is what will be drawn)."""
        screen = self.top
        if screen is not None:
            screen.ensure_layout()
            self.voicing.update(screen)

    def show_game_notices(self) -> None:
        """What the game left to say (a record that could not be written ...), as messages."""
        if self.game is None or not self.game.notices:
            return
        notices, self.game.notices = self.game.notices, []
        for title, text in notices:
            self.show_message(title, text)

    def dispatch(self, event: pygame.event.Event) -> None:
        """One event: the window's own (quit, resize, exposed), the keys the app answers on
        every screen (fullscreen, help, reload), else the top screen's."""
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type == pygame.VIDEORESIZE:
            self.resize(event.w, event.h)
            return
        if event.type in (pygame.WINDOWSIZECHANGED, pygame.WINDOWRESIZED):
            if pygame.display.get_surface() is None:  # lost: the next frame opens it again
                self.dirty = True
            elif self.surface.get_size() != self.laid_out_size:
                self.resize(*self.surface.get_size())
            return
        if event.type in (
            pygame.WINDOWEXPOSED,
            pygame.WINDOWSHOWN,
            pygame.WINDOWRESTORED,
            pygame.WINDOWFOCUSGAINED,
            pygame.ACTIVEEVENT,
        ):
            self.dirty = True
            return
        if event.type not in (
            pygame.KEYDOWN,
            pygame.MOUSEMOTION,
            pygame.MOUSEBUTTONDOWN,
            pygame.MOUSEBUTTONUP,
            pygame.MOUSEWHEEL,
            pygame.TEXTINPUT,
        ):
            return
        if event.type == pygame.MOUSEBUTTONUP and not self.pressed_here():
            return
        if event.type == pygame.MOUSEMOTION:
            # The window reports where the pointer already rests when it opens; only a pointer
            # that moves from there may move the focus (a keyboard player's Enter must not
            # choose whatever happens to lie under a pointer they are not using).
            moved = self.pointer is not None and tuple(event.pos) != self.pointer
            self.pointer = tuple(event.pos)
            if not moved:
                return
        action = self.keymap.action_for(event)
        if action is not None and action.verb is Verb.FULLSCREEN:
            self.set_fullscreen(not self.settings.fullscreen)
            return
        if (
            action is not None
            and action.verb is Verb.HELP
            and self.top is not None
            and self.top.name != HELP
        ):
            self.push(screen_class(HELP)(self))
            return
        if (
            action is not None
            and action.verb is Verb.VOICE
            and not getattr(self.top, "editing", False)  # a text field types the letter
        ):
            self.toggle_voice()
            return
        if action is not None and action.verb is Verb.RELOAD and self.top is not None:
            if self.reload_story is not None:
                self.reload_story(self)
            return
        screen = self.top
        if screen is None:
            return
        screen.ensure_layout()
        if event.type == pygame.MOUSEBUTTONDOWN:
            self.press = (screen, screen.press_token())
        screen.handle_event(event)
        self.dirty = True

    def pressed_here(self) -> bool:
        """Whether a mouse button released now went down on the top screen while it showed
        the same (its `press_token`): a click acts only then. The press is used up."""
        press, self.press = self.press, None
        screen = self.top
        return (
            press is not None
            and screen is not None
            and press[0] is screen
            and press[1] == screen.press_token()
        )

    @property
    def laid_out_size(self) -> tuple[int, int]:
        """The window size the frame was computed for."""
        return self.frame.window.size

    def _update(self, dt: float) -> bool:
        screen = self.top
        if screen is None:
            if self.running:
                self.quit()
            return False
        screen.ensure_layout()
        panel = self._meter_panel
        if self.settings.reduced_motion and panel is not None and panel.animating:
            panel.finish()  # no sliding meters: they show their new values at once
        return screen.update(dt)

    def draw_animation(self) -> None:
        """A frame while the top screen animates: only what moved, when it can say so (see
        `Screen.draw_changes`), else the whole frame. What is drawn this way is not noted in
        the text log, which keeps the last whole frame's."""
        screen = self.top
        rects = None
        if screen is not None and not screen.overlay and not screen.draw_failed:
            log, self.text_log = self.text_log, TextLog()
            try:
                screen.draw_failed = True
                rects = screen.draw_changes(self.surface)
                screen.draw_failed = False
            finally:
                self.text_log = log
        if rects is None:
            self.draw_frame()
            pygame.display.flip()
            self.drawn_pixels += self.surface.get_width() * self.surface.get_height()
        elif rects:
            pygame.display.update(rects)
            self.drawn_pixels += sum(rect.width * rect.height for rect in rects)
        else:
            return
        self.drawn_frames += 1

    def draw_frame(self) -> None:
        """Draw the top screen (and those beneath an overlay) to the window surface."""
        self.text_log.clear()
        surface = self.surface
        surface.fill(self.theme.background)
        first = len(self.stack) - 1
        while first > 0 and self.stack[first].overlay:
            first -= 1
        for index in range(max(first, 0), len(self.stack)):
            screen = self.stack[index]
            beneath = index < len(self.stack) - 1
            if not (beneath and screen.draw_failed):  # a fault's message must not fault again
                screen.draw_failed = True
                screen.ensure_layout()
                screen.draw(surface)
                screen.draw_failed = False
            if beneath:
                self._draw_veil(surface)
                self.text_log.clear()  # only the top screen's text counts as shown

    def _draw_veil(self, surface: pygame.Surface) -> None:
        """Dim what is under an overlay (the veil is made once per window size and theme)."""
        key = (surface.get_size(), self.theme.name)
        if self._veil is None or self._veil[0] != key:
            veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            veil.fill((*self.theme.background, 200))
            self._veil = (key, veil)
        surface.blit(self._veil[1], (0, 0))

    # Faults ------------------------------------------------------------------------------------

    def _guard(self, function: Callable[..., Result], *args: Any) -> Result | None:
        """Call a function; a fault in it becomes a message (or, when strict, is raised)."""
        try:
            result = function(*args)
        except Exception as error:
            if self.strict:
                raise
            self._report(error)
            self._faulted = True
            return None
        return result

    def _report(self, error: Exception) -> None:
        self.errors += 1
        log = write_crash_log()
        if self.errors > 5:
            self.quit()  # a fault that keeps coming back: stop rather than spin
            return
        details = [f"{type(error).__name__}: {error}"]
        if log:
            details.append(f"The details are in {log}.")
        self.stack = [s for s in self.stack if s.name != MESSAGE] or self.stack
        self.show_message(
            "Something went wrong",
            "This is a fault in the game, not something you did. You can go on "
            "playing; your place was autosaved at the last scene.",
            details,
        )


def wait_for_events(timeout_ms: int) -> list[pygame.event.Event]:
    """The next events, waiting up to `timeout_ms` for one in short naps.

    `pygame.event.wait(timeout)` polls the queue every millisecond inside SDL, which costs
    far more CPU while idle than naps between looks (docs/performance.md); a nap is
    shorter than two frames."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        events = pygame.event.get()
        if events or time.monotonic() >= deadline:
            return events
        time.sleep(IDLE_NAP_S)


def set_window_title(title: str) -> None:
    """The window's title: the story's, as it can be drawn (no NUL, which SDL refuses)."""
    pygame.display.set_caption(drawable(title)[:200] or "Balance of Power")


def set_minimum_size(size: tuple[int, int]) -> None:
    """Ask the window system not to let the window get smaller than the layout allows (so a
    small resize need not recreate the window). Older pygame-ce versions lack this: no harm."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pygame.Window.from_display_module().minimum_size = size
    except Exception:  # noqa: BLE001 - a nicety; the resize handler enforces the minimum anyway
        pass
