"""The terminal player: a story played in a text console, turn by turn.

It shows the scene, the meters and the numbered choices, reads a number, a choice id or a command
(undo, history, save, load, quit, help), and after each choice shows its feedback and how every
meter moved (`Trust 50 -> 55 (+5)`). With a script of choices it plays them without asking.
All the rules live in the Session; this module only prints and reads.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from engine.records import build_record, record_file_name, write_record
from engine.saves import AUTOSAVE, SaveError, SaveStore
from engine.session import ChoiceNotOffered, Session, SessionError, Turn
from engine.text import PRONOUN_SETS, Partner, markup_blocks

COMMANDS = {
    "undo": "take back your last choice",
    "history": "show the choices you have made",
    "save [N]": "save in slot N (default 1)",
    "load [N]": "load slot N, or 'load autosave'; 'load' alone lists the saves",
    "credits": "show the story's credits and further reading",
    "quit": "stop playing (your place is autosaved)",
    "help": "show this list",
}
ALIASES = {"u": "undo", "h": "history", "s": "save", "l": "load", "q": "quit", "?": "help",
           "exit": "quit"}


@dataclass
class TextPlayer:
    session: Session
    out: TextIO = sys.stdout
    ask: Callable[[str], str] = input
    saves: SaveStore | None = None
    transcript_path: Path | None = None
    clock: Callable[[], float] = time.monotonic
    width: int = field(default_factory=lambda: min(88, shutil.get_terminal_size((88, 24)).columns))
    seconds: list[float] = field(default_factory=list)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    show_meters: bool = True  # a classroom may hide them until the debrief
    records: Path | None = None  # a classroom's records folder: every playthrough lands here
    player: str | None = None
    classroom: str | None = None

    # Running -----------------------------------------------------------------------------------

    def run(self, script: Sequence[str] | None = None) -> int:
        """Play until the story ends, the script runs out, or the player quits. Returns an exit
        code: 0 when all went well, 1 when a scripted choice was refused or the story got stuck."""
        self.show_title()
        code = self.play_interactive() if script is None else self.play_script(script)
        self.write_record()
        return code

    def play_script(self, script: Sequence[str]) -> int:
        for token in script:
            if self.session.state != "playing":
                break
            self.show_scene()
            try:
                choice_id = self.session.resolve(token)
            except ChoiceNotOffered as refused:
                self.say(f"error: {refused}")
                return 1
            self.say(f"> {token}")
            self.take(choice_id, seconds=0.0)
        if self.session.state == "playing":
            self.show_scene()
            self.say(f"(stopped after {len(self.session.history)} choices; the story goes on "
                     f"from scene {self.session.scene_id!r})")
            return 0
        return self.show_end()

    def play_interactive(self) -> int:
        while True:
            if self.session.state != "playing":
                code = self.show_end()
                if self.session.can_undo and self.confirm_end():
                    continue
                return code
            self.show_scene()
            shown = self.clock()
            while True:
                try:
                    line = self.ask("> ").strip()
                except EOFError:
                    line = "quit"
                if not line:
                    continue
                outcome = self.handle(line, self.clock() - shown)
                if outcome == "quit":
                    self.autosave()
                    self.say("Your place is saved. Goodbye.")
                    return 0
                if outcome == "moved":
                    break

    def handle(self, line: str, seconds: float) -> str:
        """Act on one line of input: 'moved' when the scene changed, 'quit', or 'stay'."""
        word, _, argument = line.partition(" ")
        command = ALIASES.get(word.lower(), word.lower())
        try:
            choice_id = self.session.resolve(line)
        except ChoiceNotOffered:
            choice_id = None
        if choice_id is not None:
            self.take(choice_id, seconds)
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
        elif command == "save":
            self.save(argument.strip() or "1")
        elif command == "load":
            return "moved" if self.load(argument.strip()) else "stay"
        else:
            count = len(self.session.offered())
            self.say(f"There is no choice {line!r} here. Type a number from 1 to {count}, or "
                     "'help'.")
        return "stay"

    def take(self, choice_id: str, seconds: float) -> Turn:
        turn = self.session.choose(choice_id)
        self.seconds.append(seconds)
        self.show_turn(turn)
        self.autosave()
        return turn

    # Commands ----------------------------------------------------------------------------------

    def undo(self) -> bool:
        try:
            turn = self.session.undo()
        except SessionError as problem:
            self.say(f"Cannot undo: {problem}.")
            return False
        del self.seconds[len(self.session.history):]
        self.say(f"(undone: {turn.text})")
        self.autosave()
        return True

    def save(self, slot: str) -> None:
        if self.saves is None:
            self.say("Saving is not available here.")
            return
        try:
            path = self.saves.write(slot, self.session)
        except SaveError as problem:
            self.say(f"Could not save: {problem}")
            return
        self.say(f"Saved to {path}.")

    def load(self, slot: str) -> bool:
        if self.saves is None:
            self.say("Loading is not available here.")
            return False
        if not slot:
            self.show_saves()
            return False
        try:
            session, notes = self.saves.read(slot)
        except SaveError as problem:
            self.say(f"Could not load: {problem}")
            return False
        self.session = session
        self.seconds = self.seconds[: len(session.history)]
        self.seconds += [0.0] * (len(session.history) - len(self.seconds))
        for note in notes:
            self.say(f"Note: {note}")
        self.say(f"Loaded {slot}.")
        return True

    def autosave(self) -> None:
        if self.saves is None:
            return
        try:
            self.saves.write(AUTOSAVE, self.session)
        except SaveError as problem:
            self.say(f"(autosave failed: {problem})")

    def confirm_end(self) -> bool:
        try:
            answer = self.ask("Type 'undo' to go back, or press Enter to finish: ").strip()
        except EOFError:
            return False
        return answer.lower() in ("undo", "u") and self.undo()

    def write_record(self) -> None:
        """Write the playthrough's record: to --transcript, and to the classroom's records
        folder, finished or abandoned, without asking."""
        if self.transcript_path is None and self.records is None:
            return
        record = build_record(self.session, self.seconds, self.started, datetime.now(UTC),
                              self.player, self.classroom)
        try:
            if self.transcript_path is not None:
                write_record(self.transcript_path, record)
            if self.records is not None:
                write_record(self.records / record_file_name(record), record)
        except OSError as error:
            self.say(f"Could not write the record: {error.strerror or error}")

    # Showing -----------------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def wrap(self, text: str, indent: str = "", hanging: int = 0) -> None:
        """Print `text` wrapped to the width; continuation lines sit `hanging` further in."""
        lines = textwrap.wrap(text, self.width - len(indent),
                              subsequent_indent=" " * hanging) or [""]
        for line in lines:
            self.say(indent + line)

    def paragraphs(self, text: str, indent: str = "") -> None:
        """Print story text (a debrief, support text) keeping its paragraphs."""
        for number, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
            if number:
                self.say()
            self.wrap(" ".join(paragraph.split()), indent)

    def show_title(self) -> None:
        story = self.session.story
        self.say(f"=== {story.title} ===")
        if story.content_note:
            self.say()
            self.wrap("Content note: " + " ".join(story.content_note.split()))
        self.say()

    def show_scene(self) -> None:
        session = self.session
        scene = session.scene
        if scene.title:
            self.say(f"--- {session.render(scene.title)} ---")
        for paragraph in session.paragraphs():
            if paragraph.speaker:
                self.wrap(f"{paragraph.speaker}: {paragraph.text}", "    ")
            else:
                self.wrap(paragraph.text)
            self.say()
        if self.show_meters:
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

    def response_label(self, response: str | None) -> str:
        if response is None:
            return ""
        return f"  [{self.session.story.responses.get(response, response)}]"

    def meters_line(self) -> str:
        meters = self.session.story.meters
        parts = [f"{meter.label} {self.session.meters[meter.id]}/{meter.maximum}"
                 for meter in meters.values()]
        return "  |  ".join(parts)

    def show_turn(self, turn: Turn) -> None:
        self.say()
        for text in turn.feedback:
            self.wrap(" ".join(text.split()), "  ")
        for change in turn.changes if self.show_meters else ():
            if not change.delta:
                continue
            label = self.session.story.meters[change.meter].label
            self.say(f"  {label} {change.old} -> {change.new} ({change.delta:+d})")
        self.say()

    def show_end(self) -> int:
        session = self.session
        if session.state == "stuck":
            self.wrap(f"The story cannot go on: {session.fault}. This is a fault in the story; "
                      "please tell its author.")
            return 1
        scene = session.scene
        ending = scene.ending
        self.say(f"=== Ending: {session.render(ending.title)} ===")
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
        self.say("Final meters: " + self.meters_line())
        if ending.questions:
            self.say()
            self.say("For discussion:")
            for number, question in enumerate(ending.questions, start=1):
                self.wrap(f"{number}. {session.render(question)}", "  ", hanging=3)
        return 0

    def show_path(self) -> None:
        labels = self.session.story.responses
        parts = [f"{labels[key]} {count}" if key is not None else f"other choices {count}"
                 for key, count in self.session.response_counts().items()]
        summary = f"Your path: {len(self.session.history)} choices"
        self.say(summary + (" - " + ", ".join(parts) if labels and parts else ""))

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
        infos = self.saves.list() if self.saves else []
        if not infos:
            self.say("There are no saves yet.")
            return
        for info in infos:
            if info.problem:
                self.say(f"  {info.slot}: cannot be loaded ({info.problem})")
            else:
                where = info.scene_title or info.scene
                self.say(f"  {info.slot}: {info.saved_at}, {where}, {info.turns} choices")

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
        self.say("Type the number of a choice (or its id), or one of:")
        for command, text in COMMANDS.items():
            self.say(f"  {command:10} {text}")


def ask_partner(default: Partner, ask: Callable[[str], str], out: TextIO) -> Partner:
    """Ask the player to name the partner and pick pronouns, keeping the defaults on Enter."""
    try:
        name = ask(f"Your partner's name [{default.name}]: ").strip() or default.name
        choices = "/".join(PRONOUN_SETS)
        while True:
            pronouns = ask(f"Their pronouns ({choices}) [{default.pronouns}]: ").strip().lower()
            pronouns = pronouns or default.pronouns
            if pronouns in PRONOUN_SETS:
                break
            print(f"Please type one of: {choices}.", file=out)
    except EOFError:
        return default
    print(file=out)
    return Partner(name[:40], pronouns)


def ask_player(kind: str, ask: Callable[[str], str]) -> str | None:
    """Ask for the player's name or code (as a classroom's settings require)."""
    prompt = "Your name: " if kind == "name" else "Your code (from your teacher): "
    try:
        while True:
            answer = ask(prompt).strip()
            if answer:
                return answer[:60]
    except EOFError:
        return None
