"""Buttons: `Button` (a choice, a menu entry, a setting or a text field), `ButtonList` (buttons in
a rect, with focus, numbers, hover and clicks) and `draw_button`, the one function that draws a
button.

A list lays its buttons out once for a width (`PlacedButton`: each text rendered in the normal
and the focused look, and where each piece goes), so drawing a frame only blits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from engine.ui.fonts import TextCache, wrap
from engine.ui.layout import blit_text
from engine.ui.theme import Theme
from engine.ui.widgets.context import DrawingContext
from engine.ui.widgets.shapes import Colour, draw_box, draw_more_marks
from engine.ui.widgets.styles import STYLES


@dataclass
class Button:
    """One item of a ButtonList: a choice, a menu entry, a setting or a text field."""

    label: str
    on_activate: Callable[[], None] | None = None
    number: int | None = None  # drawn as a badge, and picked with its number key
    detail: str | None = None  # a second, smaller line: a locked reason, a save's details
    enabled: bool = True
    value: str | None = None  # a setting's value, drawn at the right
    on_adjust: Callable[[int], None] | None = None  # left/right on a setting
    field: bool = False  # an editable text (value is the text)
    key: str = ""  # a stable name for tests
    style: str = "ui"


@dataclass
class ButtonFace:
    """A button's text rendered in one look: normal (on the panel colour) or focused."""

    badge: pygame.Surface | None = None
    labels: list[pygame.Surface] = field(default_factory=list)
    details: list[pygame.Surface] = field(default_factory=list)
    value: pygame.Surface | None = None
    arrows: tuple[pygame.Surface, pygame.Surface] | None = None  # a setting's "‹" and "›"


@dataclass
class PlacedButton:
    """A button laid out at a width: its two faces, where each piece of text goes (from the
    button's top left), and its rect on screen once the list is arranged (None: not shown)."""

    button: Button
    index: int
    height: int = 0
    normal: ButtonFace = field(default_factory=ButtonFace)
    focused: ButtonFace = field(default_factory=ButtonFace)
    label_ys: list[int] = field(default_factory=list)
    detail_ys: list[int] = field(default_factory=list)
    detail_x: int | None = None  # a detail on the label's last line, at this x (compact lists)
    badge_y: int = 0  # on the first line's baseline
    value_y: int = 0  # a text field's text, under its label
    value_below: bool = False  # a setting's value too wide to stand beside its label: under it
    text_left: int = 0  # where the label starts (after the badge)
    pad: int = 0  # the space left and right of the text
    padding_y: int = 0  # the space above and below the text
    label_height: int = 0  # the height of a line of the label
    arrow_width: int = 0  # the box of a setting's "‹" and of its "›": each a click target
    rect: pygame.Rect | None = None

    @property
    def lines(self) -> int:
        """How many lines the label takes."""
        return len(self.label_ys)

    def value_right(self, rect: pygame.Rect) -> int:
        """Where a setting's value ends: before its "›", when it has the arrows."""
        if not self.arrow_width:
            return rect.right - self.pad
        return rect.right - self.pad - self.arrow_width - self.pad // 2

    def arrow_boxes(self) -> tuple[pygame.Rect, pygame.Rect]:
        """The boxes of a setting's "‹" and "›" (empty when it has none, or is not shown)."""
        rect, value = self.rect, self.normal.value
        if rect is None or value is None or not self.arrow_width:
            return pygame.Rect(0, 0, 0, 0), pygame.Rect(0, 0, 0, 0)
        size = self.arrow_width
        line_top = self.value_y if self.value_below else self.padding_y
        top = rect.top + line_top + (self.label_height - size) // 2
        value_left = max(rect.left + self.pad, self.value_right(rect) - value.get_width())
        left = pygame.Rect(value_left - self.pad // 2 - size, top, size, size)
        right = pygame.Rect(rect.right - self.pad - size, top, size, size)
        return left, right


def render_faces(
    cache: TextCache,
    font: pygame.font.Font,
    text: str,
    colour: Colour,
    focus_colour: Colour,
    theme: Theme,
) -> tuple[pygame.Surface, pygame.Surface]:
    """A text as it is drawn on a button in each look: on the panel, and on the focus fill."""
    return (
        cache.render(font, text, colour, theme.panel),
        cache.render(font, text, focus_colour, theme.focus_fill),
    )


def draw_button(
    surface: pygame.Surface, ui: DrawingContext, placed: PlacedButton, focused: bool, what: str
) -> None:
    """One button in its rect: the box (with the focus ring when focused), the number badge,
    the label, the detail, and the value (a setting's at the right; a text field's under the
    label, underlined, with a caret when focused). `what` names its text in the text log."""
    rect, button, theme, log = placed.rect, placed.button, ui.theme, ui.text_log
    if rect is None:
        return
    pad = placed.pad
    face = placed.focused if focused else placed.normal
    draw_box(
        surface,
        rect,
        theme.focus_fill if focused else theme.panel,
        theme.accent if focused else theme.control_edge,
        theme.focus_width if focused else 1,
        max(4, pad // 2),
    )
    if face.badge is not None:
        blit_text(
            surface,
            face.badge,
            (rect.left + pad, rect.top + placed.badge_y),
            rect,
            log,
            f"{what} number",
        )
    for line, y in zip(face.labels, placed.label_ys, strict=True):
        blit_text(surface, line, (rect.left + placed.text_left, rect.top + y), rect, log, what)
    detail_left = placed.text_left if placed.detail_x is None else placed.detail_x
    for line, y in zip(face.details, placed.detail_ys, strict=True):
        blit_text(
            surface, line, (rect.left + detail_left, rect.top + y), rect, log, f"{what} detail"
        )
    value = face.value
    if value is None:
        return
    if button.field:
        position = (rect.left + placed.text_left, rect.top + placed.value_y)
    else:
        position = (
            max(rect.left + pad, placed.value_right(rect) - value.get_width()),
            rect.top + (placed.value_y if placed.value_below else placed.padding_y),
        )
    blit_text(surface, value, position, rect, log, f"{what} value")
    if face.arrows is not None:
        draw_arrows(surface, ui, placed, face.arrows, focused)
    if button.field:
        base = position[1] + value.get_height()
        pygame.draw.line(
            surface,
            theme.focus_text if focused else theme.muted,
            (position[0], base),
            (rect.right - pad, base),
            1,
        )
        if focused:
            caret_x = min(position[0] + value.get_width() + 1, rect.right - pad)
            pygame.draw.line(
                surface, theme.focus_text, (caret_x, position[1] + 2), (caret_x, base - 2), 2
            )


def draw_arrows(
    surface: pygame.Surface,
    ui: DrawingContext,
    placed: PlacedButton,
    arrows: tuple[pygame.Surface, pygame.Surface],
    focused: bool,
) -> None:
    """A setting's "‹" and "›", each in a box of its own: two click targets (`arrow_at`)."""
    theme = ui.theme
    colour = theme.focus_text if focused else theme.muted
    for box, glyph in zip(placed.arrow_boxes(), arrows, strict=True):
        pygame.draw.rect(surface, colour, box, 1, max(3, placed.pad // 3))
        position = (box.centerx - glyph.get_width() // 2, box.centery - glyph.get_height() // 2)
        blit_text(surface, glyph, position, placed.rect, ui.text_log, "setting arrow")


class ButtonList:
    """Buttons stacked in a rect; arrows, Tab, numbers, hover and clicks move focus and choose.

    When they do not all fit, a window of them around the focused one is shown, with marks for
    the ones above and below. A `compact` list (the play screen's choices) has less padding and
    puts a short detail (the response, *Accept*) at the right of the label's last line when it
    fits there.
    """

    def __init__(
        self,
        ui: DrawingContext,
        buttons: list[Button],
        what: str = "button",
        horizontal: bool = False,
        grid: bool = False,
        grid_from: int = 6,
        compact: bool = False,
    ) -> None:
        self.ui = ui
        self.compact = compact
        self.horizontal = horizontal  # in a row, when each fits on one line
        self.grid = grid  # in two columns when there are many and each fits on one line
        self.grid_from = grid_from  # how many are many
        # ... or only when one column does not fit its rect (details allowed: the title's)
        self.grid_if_needed = False
        self.in_row = False
        self.in_grid = False
        self.two_columns = False  # in two columns, however many lines each takes (set by hand)
        self.buttons = buttons
        self.what = what
        self.focus = self._first_enabled()
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.placed: list[PlacedButton] = []
        self.first = 0  # the first button shown
        self.visible: list[PlacedButton] = []
        self.pressed: int | None = None  # the button a mouse button went down on
        self._laid_out_width = -1

    def _first_enabled(self) -> int:
        for index, button in enumerate(self.buttons):
            if button.enabled:
                return index
        return -1

    @property
    def focused(self) -> Button | None:
        return self.buttons[self.focus] if 0 <= self.focus < len(self.buttons) else None

    def set_buttons(self, buttons: list[Button], keep_focus: bool = True) -> None:
        """Show these buttons instead; the focus stays on the button with the same key."""
        old_key = self.focused.key if keep_focus and self.focused else None
        self.buttons = buttons
        self.focus = self._first_enabled()
        if old_key:
            for index, button in enumerate(buttons):
                if button.key == old_key and button.enabled:
                    self.focus = index
        self._laid_out_width = -1
        if self.rect.width:
            self.layout(self.rect)

    # Layout -----------------------------------------------------------------------------------

    def _row_width(self, width: int) -> int:
        count = max(1, len(self.buttons))
        return (width - self.spacing * (count - 1)) // count

    def _fits_in_row(self, width: int) -> bool:
        if not self.horizontal or len(self.buttons) < 2:
            return False
        self._place(self._row_width(width))
        return all(p.lines == 1 and not p.detail_ys for p in self.placed)

    def _fits_in_grid(self, width: int) -> bool:
        if self.two_columns and len(self.buttons) >= 2:
            self._place((width - self.spacing) // 2)
            return True
        if not self.grid or len(self.buttons) < self.grid_from:
            return False
        self._place((width - self.spacing) // 2)
        return all(p.lines == 1 and (self.grid_if_needed or not p.detail_ys) for p in self.placed)

    def _grid_height(self) -> int:
        rows = self._grid_rows()
        return sum(rows) + self.spacing * (len(rows) - 1)

    def _column_height(self, width: int) -> int:
        self._place(width)
        return sum(p.height for p in self.placed) + self.spacing * max(0, len(self.placed) - 1)

    def _grid_rows(self) -> list[int]:
        return [
            max(p.height for p in self.placed[i : i + 2]) for i in range(0, len(self.placed), 2)
        ]

    def measure(self, width: int) -> int:
        """The height all the buttons need at this width."""
        if self._fits_in_row(width):
            return max(p.height for p in self.placed)
        if not self.grid_if_needed and self._fits_in_grid(width):
            return self._grid_height()
        return self._column_height(width)

    @property
    def spacing(self) -> int:
        return max(5, round(self.ui.fonts.body * (0.3 if self.compact else 0.4)))

    @property
    def padding(self) -> int:
        return max(6, round(self.ui.fonts.body * 0.5))

    @property
    def padding_y(self) -> int:
        """The space above and below a button's text."""
        if self.compact:
            return max(4, round(self.ui.fonts.body * 0.32))
        return self.padding

    def _place(self, width: int) -> None:
        if width == self._laid_out_width:
            return
        self._laid_out_width = width
        pad = self.padding
        badge_font = self.ui.fonts.get("sans_bold", 0.85)
        badge_width = (
            badge_font.size("9")[0] + pad * 2 if any(b.number for b in self.buttons) else 0
        )
        self.placed = [
            self._place_button(index, button, width, pad + badge_width)
            for index, button in enumerate(self.buttons)
        ]

    def _place_button(self, index: int, button: Button, width: int, text_left: int) -> PlacedButton:
        """Render a button's text in both looks and place each piece, at this width."""
        ui, theme, cache = self.ui, self.ui.theme, self.ui.text_cache
        pad = self.padding
        badge_font = ui.fonts.get("sans_bold", 0.85)
        detail_font = ui.fonts.get("sans", 0.8)
        role, scale, _ = STYLES[button.style]
        font = ui.fonts.get(role, scale)
        placed = PlacedButton(button, index, text_left=text_left, pad=pad, padding_y=self.padding_y)
        normal, focused = placed.normal, placed.focused
        value_width = 0
        colour = theme.text if button.enabled else theme.disabled
        if button.value is not None and not button.field:
            normal.value, focused.value = render_faces(
                cache, font, self._value_text(button), colour, theme.focus_text, theme
            )
            placed.label_height = font.get_linesize()
            if button.on_adjust:
                size = placed.arrow_width = font.get_height() - 2
                normal.arrows = render_faces(cache, font, "‹", colour, theme.focus_text, theme)
                focused.arrows = render_faces(cache, font, "›", colour, theme.focus_text, theme)
                # each face has its "‹" and its "›"
                normal.arrows, focused.arrows = (
                    (normal.arrows[0], focused.arrows[0]),
                    (normal.arrows[1], focused.arrows[1]),
                )
                value_width = normal.value.get_width() + pad * 3 + 2 * size
            else:
                value_width = normal.value.get_width() + pad * 2
            if value_width > width // 2:  # on a line of its own, under the label
                placed.value_below, value_width = True, 0
        if button.number is not None:
            normal.badge, focused.badge = render_faces(
                cache, badge_font, str(button.number), theme.accent, theme.focus_text, theme
            )
        text_width = max(20, width - placed.text_left - pad - value_width)
        y = placed.padding_y
        placed.badge_y = y + max(0, font.get_ascent() - badge_font.get_ascent())
        last_width = 0
        for text in wrap(button.label, font, text_width, cache):
            label, focused_label = render_faces(cache, font, text, colour, theme.focus_text, theme)
            normal.labels.append(label)
            focused.labels.append(focused_label)
            placed.label_ys.append(y)
            last_width = label.get_width()
            y += font.get_linesize()
        if button.field:
            value_text = button.value or ""
            while value_text and cache.width(font, value_text) > text_width - 4:
                value_text = "…" + value_text.lstrip("…")[1:]
            normal.value, focused.value = render_faces(
                cache, font, value_text, colour, theme.focus_text, theme
            )
            placed.value_y = y
            y += font.get_linesize() + 4
        elif placed.value_below:
            placed.value_y = y
            y += max(font.get_linesize(), placed.arrow_width + 2)
        if button.detail:
            detail_colour = theme.muted if button.enabled else theme.disabled
            focus_colour = theme.focus_text if button.enabled else detail_colour
            detail_width = cache.width(detail_font, button.detail)
            if (
                self.compact
                and placed.label_ys
                and not button.field
                and last_width + pad * 2 + detail_width <= text_width
            ):
                # on the label's last line, at the right
                lines = [button.detail]
                placed.detail_ys.append(
                    placed.label_ys[-1] + font.get_ascent() - detail_font.get_ascent()
                )
                placed.detail_x = width - pad - detail_width
            else:
                # under the label: as wide as the button (a setting's value is beside the label)
                detail_width = max(20, width - placed.text_left - pad)
                lines = wrap(button.detail, detail_font, detail_width, cache)
                for _ in lines:
                    placed.detail_ys.append(y)
                    y += detail_font.get_linesize()
            for text in lines:
                detail, focused_detail = render_faces(
                    cache, detail_font, text, detail_colour, focus_colour, theme
                )
                normal.details.append(detail)
                focused.details.append(focused_detail)
        placed.height = y + placed.padding_y
        return placed

    def _value_text(self, button: Button) -> str:
        if button.field:
            return button.value or ""
        return button.value or ""

    def layout(self, rect: pygame.Rect) -> None:
        """Place the buttons in `rect`: in a row, in two columns, or stacked (as many as fit
        around the focused one)."""
        self.rect = pygame.Rect(rect)
        self.in_row = self._fits_in_row(rect.width)
        if self.in_row:
            self.in_grid = False
            self.first = 0
            cell = self._row_width(rect.width)
            height = max(p.height for p in self.placed)
            self.visible = []
            for index, placed in enumerate(self.placed):
                placed.rect = pygame.Rect(
                    rect.left + index * (cell + self.spacing), rect.top, cell, height
                )
                self.visible.append(placed)
            return
        if self.grid_if_needed:  # two columns only when one does not fit
            self.in_grid = (
                self._column_height(rect.width) > rect.height
                and self._fits_in_grid(rect.width)
                and self._grid_height() <= rect.height
            )
        else:
            self.in_grid = self._fits_in_grid(rect.width) and (
                self.two_columns or self.measure(rect.width) <= rect.height
            )
        if self.in_grid:
            self._fits_in_grid(rect.width)
            self.first, self.visible = 0, []
            cell, y = (rect.width - self.spacing) // 2, rect.top
            for row, height in enumerate(self._grid_rows()):
                for placed in self.placed[row * 2 : row * 2 + 2]:
                    column = placed.index % 2
                    placed.rect = pygame.Rect(
                        rect.left + column * (cell + self.spacing), y, cell, height
                    )
                    self.visible.append(placed)
                y += height + self.spacing
            return
        self._place(rect.width)
        self._scroll_to_focus()

    def _scroll_to_focus(self) -> None:
        if not self.placed:
            self.visible = []
            return
        self.first = max(0, min(self.first, len(self.placed) - 1))
        if 0 <= self.focus < self.first:
            self.first = self.focus
        while True:
            self._arrange()
            if (
                self.focus < 0
                or self.focus < self.first + len(self.visible)
                or self.first >= self.focus
            ):
                break
            self.first += 1

    def _arrange(self) -> None:
        self.visible = []
        y = self.rect.top
        for placed in self.placed[: self.first]:
            placed.rect = None
        for placed in self.placed[self.first :]:
            placed.rect = None
            if y + placed.height > self.rect.bottom and self.visible:
                break
            placed.rect = pygame.Rect(self.rect.left, y, self.rect.width, placed.height)
            self.visible.append(placed)
            y += placed.height + self.spacing
        # shown from the top; when everything below fits, pull the window back up
        while self.first > 0 and self.first + len(self.visible) == len(self.placed):
            before = self.placed[self.first - 1]
            used = sum(p.height + self.spacing for p in self.visible)
            if used + before.height > self.rect.height:
                break
            self.first -= 1
            self._arrange()
            return

    # Input ------------------------------------------------------------------------------------

    def move(self, step: int) -> None:
        """Move the focus `step` enabled buttons on (back when negative), wrapping round."""
        if not any(b.enabled for b in self.buttons):
            return
        index = self.focus
        for _ in range(len(self.buttons)):
            index = (index + step) % len(self.buttons)
            if self.buttons[index].enabled:
                break
        self.focus = index
        if not self.in_row and not self.in_grid:
            self._scroll_to_focus()

    @property
    def adjustable(self) -> bool:
        """Whether any of the buttons is a setting that Left/Right change."""
        return any(button.on_adjust for button in self.buttons)

    def move_in_grid(self, rows: int = 0, columns: int = 0) -> None:
        """In two columns: Up/Down (`rows`) move within the column, wrapping round in it;
        Left/Right (`columns`) move across to the other column in the same row. Elsewhere,
        and among settings (whose Left/Right change a value, so that Up/Down must reach
        both columns), as `move`."""
        if not self.in_grid or self.adjustable:
            self.move(rows or columns)
            return
        count = len(self.buttons)
        if count == 0:
            return
        focus = max(0, self.focus)
        row, column = divmod(focus, 2)
        if columns:
            index = row * 2 + (column + columns) % 2
            if index < count and self.buttons[index].enabled:
                self.focus = index
            return
        last_row = (count - 1) // 2
        for step in range(1, last_row + 2):
            index = ((row + rows * step) % (last_row + 1)) * 2 + column
            if index < count and self.buttons[index].enabled:
                self.focus = index
                return

    def activate(self, index: int | None = None) -> bool:
        """Choose the focused button (or the one at `index`); False when it cannot be."""
        index = self.focus if index is None else index
        if not 0 <= index < len(self.buttons):
            return False
        button = self.buttons[index]
        if not button.enabled:
            return False
        self.focus = index
        if button.on_activate:
            button.on_activate()
        elif button.on_adjust:
            button.on_adjust(1)
        return True

    def adjust(self, step: int) -> bool:
        """Change the focused setting a step; False when the focused button is no setting."""
        button = self.focused
        if button and button.enabled and button.on_adjust:
            button.on_adjust(step)
            return True
        return False

    def pick_number(self, number: int) -> bool:
        """Choose the button with this number; False when there is none to choose."""
        for index, button in enumerate(self.buttons):
            if button.number == number and button.enabled:
                return self.activate(index)
        return False

    def arrow_at(self, index: int, position: tuple[int, int]) -> int:
        """-1 when a point is on a setting's "‹", 1 on its "›", else 0: each steps the value its
        way, so that a click can go down as well as up. The targets reach the button's top and
        bottom, and a little beyond each box sideways."""
        placed = self.placed[index]
        if placed.rect is None or not placed.rect.collidepoint(position):
            return 0
        reach = placed.pad // 2
        for step, box in zip((-1, 1), placed.arrow_boxes(), strict=True):
            if box.width and box.left - reach <= position[0] < box.right + reach:
                return step
        return 0

    def hit(self, position: tuple[int, int]) -> int | None:
        """The index of the button shown at a point, or None."""
        for index, placed in enumerate(self.placed):
            if placed.rect is not None and placed.rect.collidepoint(position):
                return index
        return None

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        """Hover focuses, a left click chooses, the wheel moves through a long list.

        A click chooses when the button is released over the button it was pressed on (the
        app passes on only a release whose press began on the same screen)."""
        if event.type == pygame.MOUSEMOTION:
            index = self.hit(event.pos)
            if index is not None and self.buttons[index].enabled and index != self.focus:
                self.focus = index
                return True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.pressed = self.hit(event.pos)
            return self.pressed is not None
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            index, pressed, self.pressed = self.hit(event.pos), self.pressed, None
            if index is None or index != pressed:
                return False
            step = self.arrow_at(index, event.pos)
            if step and self.buttons[index].enabled:
                self.focus = index
                self.buttons[index].on_adjust(step)
                return True
            return self.activate(index)
        elif (
            event.type == pygame.MOUSEWHEEL
            and len(self.visible) < len(self.placed)
            and self.rect.collidepoint(pygame.mouse.get_pos())
        ):
            self.move(-1 if event.y > 0 else 1)
            return True
        return False

    # Drawing ----------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        view = surface.get_clip()
        for placed in self.visible:
            if view.colliderect(placed.rect):
                draw_button(surface, self.ui, placed, placed.index == self.focus, self.what)
        if not self.visible:
            return
        size = max(6, self.ui.fonts.body // 3)
        draw_more_marks(
            surface,
            self.ui.theme.accent,
            min(self.rect.right + size * 2, self.ui.window.right - size - 2),
            self.rect.top,
            self.rect.bottom,
            size,
            above=self.first > 0,
            below=self.first + len(self.visible) < len(self.placed),
        )
