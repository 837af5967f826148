"""The terminal player: a story played in a text console, turn by turn.

It shows the scene, the meters and the numbered choices, reads a number, a choice id or a command
(undo, history, save, load, credits, quit, help), and after each choice shows its feedback and how
every meter moved (`Trust 50 -> 55 (+5)`). With a script of choices it plays them without asking.
The rules live in the Session, and saves, records and classroom settings in the Game the desktop
game uses too; this module only prints and reads.

A name or a code typed (the player's, the partner's) must be printable text: one holding a
control character (NUL, an escape sequence), a character that reorders text, or bytes that are
not text is refused with a message and asked again, so it never reaches a save or a record.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from engine.classroom.game import ClassroomGame
from engine.classroom.records import write_record
from engine.play.errors import ChoiceNotOffered, shown
from engine.play.flow import Flow
from engine.play.game import SLOTS
from engine.play.saves import AUTOSAVE, SaveError, slot_name
from engine.play.session import Session
from engine.play.turns import Turn
from engine.story.text import PRONOUN_SETS, Partner, markup_blocks, typed_text_problem

COMMANDS = {
    "undo": "take back your last choice",
    "history": "show the choices you have made",
    "save [N]": f"save in slot N, 1 to {SLOTS} (default 1)",
    "load [N]": "load slot N, or 'load autosave'; 'load' alone lists the saves",
    "credits": "show the story's credits and further reading",
    "support": "where to get help, if something in the story is close to home",
    "quit": "stop playing (your place is autosaved)",
    "help": "show this list",
}
ALIASES = {
    "u": "undo",
    "h": "history",
    "s": "save",
    "l": "load",
    "q": "quit",
    "?": "help",
    "exit": "quit",
}
RESERVED_ANSWERS = {"quit", "exit", "q"}
RESUME_HINT = "python main.py play --text --load autosave"


@dataclass
class TextPlayer:
    game: ClassroomGame
    out: TextIO = field(default_factory=lambda: sys.stdout)  # as it is when the player starts
    ask: Callable[[str], str] = input
    transcript_path: Path | None = None
    interactive: bool = False  # a person answers at the keyboard (not a pipe or a script)
    resume_hint: str = RESUME_HINT  # the command that goes on from the autosave, for the player
    width: int = field(default_factory=lambda: min(88, shutil.get_terminal_size((88, 24)).columns))

    @property
    def session(self) -> Session:
        return self.game.session

    # Running -----------------------------------------------------------------------------------

    def start(
        self,
        *,
        load: str | None = None,
        script: Sequence[str] | None = None,
        partner: tuple[str | None, str | None] = (None, None),
    ) -> int:
        """Show the title and content note, then load a save, continue the last game (when asked
        and the player agrees) or set up a new one (the player's code, the partner), and play.
        `script` plays those choices without asking anything."""
        interactive = script is None and self.interactive
        self.show_title()
        if load:
            if not self.load(load):
                return 1
        elif interactive and self.game.latest() is not None and self.confirm_continue():
            self.load(AUTOSAVE)
        answering = script is None  # someone types the lines, at a keyboard or not
        if self.game.session is None:
            self.new_game(partner, interactive, answering)
        elif self.game.needs_player and answering:
            player = ask_player(self.game.classroom.ask_player, self.ask, self.out)
            self.game.set_player(player or "")
        if script is not None:
            self.game.now = lambda: 0.0  # scripted choices take no time
        return self.run(script)

    def new_game(
        self, partner: tuple[str | None, str | None], interactive: bool, answering: bool
    ) -> None:
        """Set up a new game. A class's name or code is asked whenever someone types the lines
        (`answering`), at a keyboard or through a pipe, so that it is never read as a choice;
        the partner is asked only at a keyboard (`interactive`)."""
        game = self.game
        if game.asks_player:
            if answering:
                game.next_player = ask_player(game.classroom.ask_player, self.ask, self.out)
            if not game.next_player:
                self.say(
                    f"note: this class asks for a player {game.classroom.ask_player}; give "
                    "it with --player, or the record stays anonymous"
                )
        default = self.game.default_partner
        name, pronouns = partner
        if name or pronouns:
            chosen = Partner((name or default.name)[:40], pronouns or default.pronouns)
        elif interactive:
            chosen = ask_partner(default, self.ask, self.out)
        else:
            chosen = default
        problem = game.new(chosen)
        if problem:
            self.say(f"({problem})")

    def confirm_continue(self) -> bool:
        info = self.game.latest()
        where = info.scene_title or info.scene
        try:
            answer = (
                read_line(
                    self.ask,
                    f"You have a game in progress ({where}, "
                    f"{_count(info.turns, 'choice')}, saved {_when(info.saved_at)}). "
                    "Continue it? [Y/n] ",
                    self.out,
                )
                .strip()
                .lower()
            )
        except EOFError:
            return False
        self.say()
        return answer in ("", "y", "yes")

    def run(self, script: Sequence[str] | None = None) -> int:
        """Play until the story ends, the script runs out, or the player quits. Returns an exit
        code: 0 when all went well, 1 when a scripted choice was refused or the story got stuck
        (or a record could not be written), 130 when interrupted. The playthrough's record is
        written however it ends."""
        try:
            code = self.play_interactive() if script is None else self.play_script(script)
        except KeyboardInterrupt:
            self.game.leave()
            self.say(f"\ninterrupted: your place is saved. '{self.resume_hint}' goes on from here.")
            code = 130
        else:
            self.game.leave()
        self.show_notices()
        return max(code, self.write_transcript())

    def play_script(self, script: Sequence[str]) -> int:
        for token in script:
            if self.session.state != Flow.PLAYING:
                break
            self.show_scene()
            try:
                choice_id = self.session.resolve(token)
            except ChoiceNotOffered as refused:
                offered = ", ".join(
                    f"{n} {c.id!r}" for n, c in enumerate(self.session.offered(), start=1)
                )
                self.say(
                    f"error: the choice {shown(token)!r} is not offered in scene "
                    f"{refused.scene_id!r} (offered: {offered or 'none'})"
                )
                return 1
            self.say(f"> {token}")
            self.take(choice_id)
        if self.session.state == Flow.PLAYING:
            self.show_scene()
            self.say(
                f"(stopped after {_count(len(self.session.history), 'choice')}; the story "
                f"goes on from scene {self.session.scene_id!r})"
            )
            return 0
        return self.show_end()

    def play_interactive(self) -> int:
        while True:
            if self.session.state != Flow.PLAYING:
                code = self.show_end()
                if self.game.can_undo and self.confirm_end():
                    continue
                return code
            self.show_scene()
            while True:
                try:
                    line = read_line(self.ask, "> ", self.out).strip()
                except EOFError:
                    line = "quit"
                if not line:
                    continue
                outcome = self.handle(line)
                if outcome == "quit":
                    self.say(
                        f"Your place is saved: '{self.resume_hint}' goes on from here. Goodbye."
                    )
                    return 0
                if outcome == "moved":
                    break

    def handle(self, line: str) -> str:
        """Act on one line of input: 'moved' when the scene changed, 'quit', or 'stay'."""
        word, _, argument = line.partition(" ")
        command = ALIASES.get(word.lower(), word.lower())
        try:
            choice_id = self.session.resolve(line)
        except ChoiceNotOffered:
            choice_id = None
        if choice_id is not None:
            self.take(choice_id)
            return "moved"
        if command == "quit":
            return "quit"
        if command == "help":
            self.show_help()
        elif command == "undo":
            return "moved" if self.undo() else "stay"
        elif command == "history":
            self.show_history()
        elif command == "credits":
            self.show_credits()
        elif command == "support":
            self.show_support()
        elif command == "save":
            self.save(argument.strip() or "1")
        elif command == "load":
            return "moved" if self.load(argument.strip()) else "stay"
        else:
            count = len(self.session.offered())
            self.say(
                f"There is no choice {line!r} here. Type a number from 1 to {count}, or 'help'."
            )
        return "stay"

    def take(self, choice_id: str) -> Turn:
        turn, problem = self.game.choose(choice_id)
        self.show_turn(turn)
        if problem:
            self.say(f"({problem})")
        return turn

    # Commands ----------------------------------------------------------------------------------

    def undo(self) -> bool:
        if not self.game.undo_available:
            self.say("Undo is turned off for this game.")
            return False
        turn = self.game.undo()
        if turn is None:
            self.say("There is no choice to take back.")
            return False
        self.say(f"(undone: {turn.text})")
        return True

    def save(self, slot: str) -> None:
        if not (slot.isascii() and slot.isdigit() and len(slot) <= 3 and 1 <= int(slot) <= SLOTS):
            self.say(f"Save in a slot from 1 to {SLOTS}, for example 'save 2'.")
            return
        self.say(self.game.save(slot_name(int(slot))))

    def load(self, slot: str) -> bool:
        if not slot:
            self.show_saves()
            return False
        name = AUTOSAVE if slot.lower() == AUTOSAVE else slot
        try:
            notes = self.game.load(slot_name(name))
        except SaveError as problem:
            self.say(f"Could not load: {problem}")
            return False
        for note in notes:
            self.say(f"Note: {note}")
        self.say(f"Loaded {name}.")
        return True

    def confirm_end(self) -> bool:
        try:
            answer = read_line(
                self.ask, "Type 'undo' to go back, or press Enter to finish: ", self.out
            ).strip()
        except EOFError:
            return False
        return answer.lower() in ("undo", "u") and self.undo()

    def write_transcript(self) -> int:
        """Write the record to --transcript as well (the classroom's records folder is the
        game's). Returns 1 when it cannot be written, else 0."""
        if self.transcript_path is None or self.game.playthrough is None:
            return 0
        record = self.game.record()
        try:
            write_record(self.transcript_path, record)
        except OSError as error:
            self.say(
                f"error: the record could not be written to {self.transcript_path}: "
                f"{error.strerror or error}"
            )
            return 1
        return 0

    def show_notices(self) -> None:
        for title, text in self.game.notices:
            self.say(f"{title}: {text}")
        self.game.notices.clear()

    # Showing -----------------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def wrap(self, text: str, indent: str = "", hanging: int = 0) -> None:
        """Print `text` wrapped to the width; continuation lines sit `hanging` further in."""
        lines = textwrap.wrap(text, self.width - len(indent), subsequent_indent=" " * hanging) or [
            ""
        ]
        for line in lines:
            self.say(indent + line)

    def paragraphs(self, text: str, indent: str = "") -> None:
        """Print story text (a debrief, support text) keeping its paragraphs."""
        for number, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
            if number:
                self.say()
            self.wrap(" ".join(paragraph.split()), indent)

    def show_title(self) -> None:
        story = self.game.story
        self.say(f"=== {story.title} ===")
        if story.content_note:
            self.say()
            self.wrap("Content note: " + " ".join(story.content_note.split()))
        if story.support:
            self.say()
            self.wrap("Type 'support' at any time to see where to get help.")
        if self.game.show_meters:
            self.show_meter_meanings()
        self.say()

    def show_meter_meanings(self) -> None:
        """What each meter stands for, when the story says (before play, or at the debrief
        when a class hides the meters during play)."""
        meters = [m for m in self.game.story.meters.values() if m.description]
        if not meters:
            return
        self.say()
        self.say("The meters:")
        for meter in meters:
            self.wrap(f"{meter.label}: {' '.join(meter.description.split())}", "  ", hanging=2)

    def show_scene(self) -> None:
        session = self.session
        scene = session.scene
        if scene.title:
            self.say(f"--- {session.render(scene.title)} ---")
        self.show_picture()
        for paragraph in session.paragraphs():
            if paragraph.speaker:
                self.wrap(f"{paragraph.speaker}: {paragraph.text}", "    ")
            else:
                self.wrap(paragraph.text)
            self.say()
        if self.game.show_meters and self.session.story.meters:
            self.say(self.meters_line())
        for option in session.options:
            label = self.response_label(option.choice.response)
            text = session.render(option.text)
            if option.offered:
                number = f"{option.number}. "
                self.wrap(f"{number}{text}{label}", "  ", hanging=len(number))
            else:
                reason = session.render(option.locked_reason or "")
                self.wrap(f"x  {text}{label} (locked: {reason})", "  ", hanging=3)
        self.game.choices_shown()  # the decision's clock starts

    def show_picture(self) -> None:
        """The scene's picture, as its alternative text: a terminal shows no pictures."""
        image = self.session.scene.image
        if image is not None:
            self.wrap(f"[Picture: {' '.join(self.session.render(image.alt).split())}]")
            self.say()

    def response_label(self, response: str | None) -> str:
        if response is None:
            return ""
        return f"  [{self.session.story.responses.get(response, response)}]"

    def meters_line(self) -> str:
        meters = self.session.story.meters
        parts = [
            f"{meter.label} {self.session.meters[meter.id]}/{meter.maximum}"
            for meter in meters.values()
        ]
        return "  |  ".join(parts)

    def show_turn(self, turn: Turn) -> None:
        self.say()
        for text in turn.feedback:
            self.wrap(" ".join(text.split()), "  ")
        for change in turn.changes if self.game.show_meters else ():
            if not change.delta:
                continue
            label = self.session.story.meters[change.meter].label
            self.say(f"  {label} {change.old} -> {change.new} ({change.delta:+d})")
        self.say()

    def show_end(self) -> int:
        session = self.session
        if session.state == Flow.STUCK:
            self.wrap(
                f"The story cannot go on: {session.fault}. This is a fault in the story; "
                "please tell its author."
            )
            return 1
        scene = session.scene
        ending = scene.ending
        self.say(f"=== Ending: {session.render(ending.title)} ===")
        self.show_picture()
        for paragraph in session.paragraphs():
            prefix = f"{paragraph.speaker}: " if paragraph.speaker else ""
            self.wrap(prefix + paragraph.text)
            self.say()
        if ending.debrief:
            self.say("What happened:")
            self.paragraphs(session.render(ending.debrief), "  ")
            self.say()
        if ending.support and session.story.support:
            self.paragraphs(session.render(session.story.support))
            self.say()
        self.show_path()
        if session.story.meters:
            if not self.game.show_meters:
                self.show_meter_meanings()
            self.say("Final meters: " + self.meters_line())
        if ending.questions:
            self.say()
            self.say("For discussion:")
            for number, question in enumerate(ending.questions, start=1):
                self.wrap(f"{number}. {session.render(question)}", "  ", hanging=3)
        return 0

    def show_path(self) -> None:
        labels = self.session.story.responses
        parts = [
            f"{labels[key]} {count}" if key is not None else f"other choices {count}"
            for key, count in self.session.response_counts().items()
        ]
        summary = f"Your path: {_count(len(self.session.history), 'choice')}"
        self.say(summary + (" - " + ", ".join(parts) if labels and parts else ""))
        for response, titles in self.session.decisions().items():
            self.wrap(f"{labels[response]} ({len(titles)}): {', '.join(titles)}.", "  ", hanging=2)

    def show_history(self) -> None:
        if not self.session.history:
            self.say("No choices yet.")
            return
        for number, turn in enumerate(self.session.history, start=1):
            scene = self.session.story.scenes.get(turn.scene)
            where = self.session.render(scene.title) if scene and scene.title else turn.scene
            self.wrap(f"{number}. {where}: {turn.text}", "  ")
            for text in turn.feedback:
                self.wrap(" ".join(text.split()), "       ")

    def show_saves(self) -> None:
        infos = self.game.store.list()
        if not infos:
            self.say("There are no saves yet.")
            return
        for info in infos:
            name = info.slot.removeprefix("slot-")
            if info.problem:
                self.say(f"  {name}: cannot be loaded ({info.problem})")
            else:
                where = info.scene_title or info.scene
                self.say(
                    f"  {name}: {_when(info.saved_at)}, {where}, {_count(info.turns, 'choice')}"
                )

    def show_credits(self) -> None:
        credits = self.session.story.credits
        if not credits:
            self.say("This story has no credits.")
            return
        previous = None
        for block in markup_blocks(credits):
            if previous is not None and not (block.kind == previous == "item"):
                self.say()
            if block.kind == "heading":
                self.say(block.text.upper())
            elif block.kind == "item":
                self.wrap(block.text, "  ", hanging=2)
            else:
                self.wrap(block.text)
            previous = block.kind

    def show_help(self) -> None:
        self.say("Type the number of a choice, or one of:")
        for command, text in COMMANDS.items():
            if command == "support" and not self.game.story.support:
                continue
            self.say(f"  {command:10} {text}")

    def show_support(self) -> None:
        """The story's page on where to get help (the desktop game has it in its menu)."""
        story = self.game.story
        if not story.support:
            self.say("This story has no page on where to get help.")
            return
        self.say("=== Where to get help ===")
        session = self.session
        self.paragraphs(session.render(story.support) if session else story.support)


def ask_partner(default: Partner, ask: Callable[[str], str], out: TextIO) -> Partner:
    """Ask the player to name the partner and pick pronouns, keeping the defaults on Enter."""
    try:
        name = ask_name(f"Your partner's name [{default.name}]: ", ask, out) or default.name
        choices = "/".join(PRONOUN_SETS)
        while True:
            prompt = f"Their pronouns ({choices}) [{default.pronouns}]: "
            pronouns = read_line(ask, prompt, out).strip().lower() or default.pronouns
            if pronouns in PRONOUN_SETS:
                break
            print(f"Please type one of: {choices}.", file=out)
    except EOFError:
        return default
    print(file=out)
    return Partner(name[:40], pronouns)


def ask_player(kind: str, ask: Callable[[str], str], out: TextIO | None = None) -> str | None:
    """Ask for the player's name or code (as a classroom's settings require); None when the
    input ends first."""
    prompt = "Your name: " if kind == "name" else "Your code (from your teacher): "
    try:
        while True:
            answer = ask_name(prompt, ask, out)
            if answer and answer.lower() not in RESERVED_ANSWERS:
                return answer[:60]
    except EOFError:
        return None


def ask_name(prompt: str, ask: Callable[[str], str], out: TextIO | None) -> str:
    """Ask for a name or a code until what is typed is printable text (or nothing); the answer
    without the spaces around it. Raises EOFError when the input ends."""
    while True:
        answer = read_line(ask, prompt, out).strip()
        problem = typed_text_problem(answer)
        if problem is None:
            return answer
        print(f"That cannot be used: {problem}. Please type it again.", file=out)


def read_line(ask: Callable[[str], str], prompt: str, out: TextIO | None) -> str:
    """One line typed, or '' (with a message) when what came cannot be read as text."""
    try:
        return ask(prompt)
    except UnicodeDecodeError:
        print("That line could not be read as text; please type it again.", file=out)
        return ""


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def _when(saved_at: str | None) -> str:
    """An ISO time as a reader would write it, in local time: '29 Nov 2026, 14:05'."""
    try:
        return datetime.fromisoformat(saved_at).astimezone().strftime("%d %b %Y, %H:%M")
    except (TypeError, ValueError):
        return "at an unknown time"
