"""Self-voicing: the platform's own voice, heard without ever holding up the game's loop.

`Voice.speak(text)` stops whatever it was saying and starts saying `text` in a subprocess of the
platform's speech program: espeak-ng on Linux (and wherever it is installed), `say` on macOS,
SAPI through PowerShell on Windows. Starting a process returns at once, and `stop()` kills it,
so the loop never waits on speech (pyttsx3's `runAndWait`, by contrast, blocks until the words
are spoken). The text goes to the program in a file, never on its command line, so nothing in
it can be read as an option. On Windows, a screen reader that is running (NVDA, JAWS) is spoken
through instead, when accessible_output2 is installed (optional, best effort: not a dependency).
Where no voice is found, the voice is `SilentBackend`, and `notice` is the one line that tells
the player so.

No pygame here: what to say is `engine/ui/speech.py`'s, and when to say it `App`'s.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MAX_SPOKEN_CHARACTERS = 20_000  # a long ending is about 5,000; more would take an hour to hear
ESPEAK_WORDS_PER_MINUTE = 175  # espeak-ng's own default
SILENT_NOTICE = (
    "Self-voicing needs the system's voice: espeak-ng on Linux (sudo apt install espeak-ng), "
    "`say` on macOS or PowerShell on Windows. None was found, so the game stays silent."
)


class Backend:
    """One way of speaking: the command that says the text in a file (None: cannot speak)."""

    name = "silent"

    def command(self, text_file: Path) -> list[str] | None:
        return None


class SilentBackend(Backend):
    """No voice was found: nothing is said (what would have been is kept, for tests)."""


class EspeakBackend(Backend):
    """espeak-ng (or espeak); with `wav`, the speech is written to that WAV file instead of
    played (tests, and a player who wants the file)."""

    name = "espeak-ng"

    def __init__(
        self, program: str, words_per_minute: int = ESPEAK_WORDS_PER_MINUTE, wav: Path | None = None
    ) -> None:
        self.program = program
        self.words_per_minute = words_per_minute
        self.wav = wav

    def command(self, text_file: Path) -> list[str]:
        command = [self.program, "-s", str(self.words_per_minute), "-f", str(text_file)]
        if self.wav is not None:
            command[1:1] = ["-w", str(self.wav)]
        return command


class SayBackend(Backend):
    """macOS's `say`."""

    name = "say"

    def __init__(self, program: str) -> None:
        self.program = program

    def command(self, text_file: Path) -> list[str]:
        return [self.program, "-f", str(text_file)]


# PowerShell's -Command takes the rest of its command line as script, so the file's path goes
# into the script, as a single-quoted string (a quote in it doubled).
SAPI_SCRIPT = (
    "Add-Type -AssemblyName System.Speech; "
    "$voice = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    "$voice.Speak([IO.File]::ReadAllText('{path}', [Text.Encoding]::UTF8))"
)


class SapiBackend(Backend):
    """Windows' SAPI voice, through PowerShell's System.Speech."""

    name = "SAPI"

    def __init__(self, program: str) -> None:
        self.program = program

    def command(self, text_file: Path) -> list[str]:
        script = SAPI_SCRIPT.replace("{path}", str(text_file).replace("'", "''"))
        return [self.program, "-NoProfile", "-NonInteractive", "-Command", script]


class ScreenReaderBackend(Backend):
    """A screen reader that is running (NVDA, JAWS ...), spoken through by accessible_output2,
    where that is installed (it is optional: not one of the game's dependencies). Its calls hand
    the text to the screen reader and return; a fault in them falls back to the system's voice."""

    name = "screen reader"

    def __init__(self, output: object) -> None:
        self.output = output

    def say(self, text: str) -> None:
        self.output.speak(text, interrupt=True)

    def silence(self) -> None:
        silence = getattr(self.output, "silence", None)
        if silence is not None:
            silence()


# accessible_output2's outputs that are voices, not screen readers: the system's voice is
# reached without it.
NOT_SCREEN_READERS = {"SAPI5", "SAPI4", "sapi5", "sapi4", "Speech Dispatcher", "e-Speak"}


def running_screen_reader() -> ScreenReaderBackend | None:
    """The screen reader running now, through accessible_output2 (Windows), or None when there
    is none, or accessible_output2 is not installed or fails."""
    try:
        from accessible_output2.outputs import auto  # optional: not a dependency
    except Exception:  # noqa: BLE001 - not installed, or its libraries would not load
        return None
    try:
        for output in auto.Auto().outputs:
            if getattr(output, "name", "") not in NOT_SCREEN_READERS and output.is_active():
                return ScreenReaderBackend(output)
    except Exception:  # noqa: BLE001 - best effort: the system's voice is there
        return None
    return None


class CommandBackend(Backend):
    """Any program given the text file as its last argument (tests use a slow one)."""

    name = "command"

    def __init__(self, command: list[str]) -> None:
        self.base = list(command)

    def command(self, text_file: Path) -> list[str]:
        return [*self.base, str(text_file)]


def find_backend(platform: str = sys.platform, screen_reader: bool = True) -> Backend:
    """The platform's voice (on Windows, a running screen reader first, when accessible_output2
    is installed), or SilentBackend when it has none. `BOP_VOICE=silent` forces silence (the
    suite's UI tests, a classroom that wants none)."""
    if os.environ.get("BOP_VOICE") == "silent":
        return SilentBackend()
    if platform == "darwin" and (program := shutil.which("say")):
        return SayBackend(program)
    if platform == "win32":
        reader = running_screen_reader() if screen_reader else None
        if reader is not None:
            return reader
        program = shutil.which("powershell") or shutil.which("pwsh")
        if program:
            return SapiBackend(program)
    for name in ("espeak-ng", "espeak"):
        if program := shutil.which(name):
            return EspeakBackend(program)
    return SilentBackend()


class Voice:
    """Says one thing at a time, in a subprocess: a new `speak` or `stop` cuts the last short."""

    def __init__(self, backend: Backend | None = None) -> None:
        self.backend = backend if backend is not None else find_backend()
        self.process: subprocess.Popen | None = None
        self.spoken: list[str] = []  # the last things said (asked to be said), for tests
        self._folder: tempfile.TemporaryDirectory | None = None
        self._turn = 0
        self._stopped: list[subprocess.Popen] = []  # killed, not yet reaped

    @property
    def silent(self) -> bool:
        return isinstance(self.backend, SilentBackend)

    @property
    def notice(self) -> str | None:
        """What to tell the player when they turn self-voicing on: None when it can speak."""
        return SILENT_NOTICE if self.silent else None

    @property
    def speaking(self) -> bool:
        """Whether something is being said now (the process has not finished)."""
        return self.process is not None and self.process.poll() is None

    def speak(self, text: str) -> None:
        """Stop what is being said and start saying `text`; returns at once."""
        self.stop()
        text = " ".join(text.split())[:MAX_SPOKEN_CHARACTERS]
        if not text:
            return
        self.spoken = [*self.spoken[-19:], text]
        if isinstance(self.backend, ScreenReaderBackend):
            try:
                self.backend.say(text)
                return
            except Exception:  # noqa: BLE001 - the screen reader went away: the system's voice
                self.backend = find_backend(sys.platform, screen_reader=False)
        text_file = self._text_file(text)
        command = self.backend.command(text_file) if text_file else None
        if not command:
            return
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=True,
            )
        except OSError:  # the program went away: silence rather than a fault
            self.backend = SilentBackend()
            self.process = None

    def stop(self) -> None:
        """Stop speaking at once (the process is killed; it is reaped later, never waited on)."""
        if isinstance(self.backend, ScreenReaderBackend):
            with contextlib.suppress(Exception):
                self.backend.silence()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self._stopped.append(self.process)
        self.process = None
        self._stopped = [process for process in self._stopped if process.poll() is None]

    def close(self) -> None:
        """Stop, and remove the text files."""
        self.stop()
        for process in self._stopped:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=1)
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def _text_file(self, text: str) -> Path | None:
        """The text in a file of its own (a new name each time: the last process may still be
        reading the last one on a system that does not let a killed process go at once)."""
        if isinstance(self.backend, SilentBackend):
            return None
        try:
            if self._folder is None:
                self._folder = tempfile.TemporaryDirectory(prefix="bop-voice-")
            self._turn += 1
            path = Path(self._folder.name) / f"say-{self._turn % 4}.txt"
            path.write_text(text, encoding="utf-8")
        except OSError:
            return None
        return path
