"""The player's settings, kept between runs as versioned JSON (`settings.json` in the saves folder).

A damaged, foreign or newer settings file (cut off, larger than `MAX_SETTINGS_BYTES`, nested too
deep) never stops the game: its backup is used when that is good, else the defaults, and
`load_settings` returns a message for the player. Writing is atomic, with a backup.

The file is versioned: a file of an older version is brought up to this one as it is read
(`MIGRATIONS`), and written back in this version at the next change.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from engine.atomic import backup_path, write_atomic
from engine.json_files import DamagedJson, read_json
from engine.play.saves import saves_folder
from engine.ui.fonts import FONT_FAMILIES, LINE_SPACINGS, TEXT_SIZES

FORMAT = "balance-of-power-settings"
VERSION = 2
FILE_NAME = "settings.json"
TEXT_SPEEDS = ("instant", "typewriter")
# The typewriter's speed, in characters a second.
TYPEWRITER_SPEEDS = {"slow": 40.0, "medium": 90.0, "fast": 180.0}
MAX_BOUND_KEYS = 8  # keys a player may bind to one verb
MIN_WINDOW = (640, 480)
# The largest window the game opens or resizes to: a resize beyond it (40000x40000) would ask the
# system for gigabytes, or make it fail and lose the window. 8192 spans an 8K screen or several.
MAX_WINDOW = (8192, 8192)


def window_size_within(size: tuple[int, int]) -> tuple[int, int]:
    """A window size brought within MIN_WINDOW and MAX_WINDOW."""
    return (
        max(MIN_WINDOW[0], min(MAX_WINDOW[0], size[0])),
        max(MIN_WINDOW[1], min(MAX_WINDOW[1], size[1])),
    )


MAX_SETTINGS_BYTES = 64 * 1024  # the file the game writes is under 1 KiB


@dataclass(frozen=True)
class Settings:
    text_size: str = "medium"
    high_contrast: bool = False
    fullscreen: bool = False
    text_speed: str = "instant"
    allow_undo: bool = True  # a classroom can turn undo off; a story can forbid it regardless
    watch_story: bool = False  # reload the story by itself when its files change (authors)
    window_width: int = 1280
    window_height: int = 720
    # Version 2: reading and self-voicing (issue 15).
    font: str = "standard"  # or "hyperlegible" (Atkinson Hyperlegible), "dyslexic" (OpenDyslexic)
    line_spacing: str = "normal"  # or "wide", "widest"
    reduced_motion: bool = False  # no sliding meters, no typewriter
    typewriter_speed: str = "medium"  # or "slow", "fast"
    voice: bool = False  # self-voicing: the game reads the screen aloud
    keys: dict[str, list[str]] = field(default_factory=dict)  # verb -> key names ("ctrl+z")

    @property
    def typewriter(self) -> bool:
        """Whether scenes are written out letter by letter (never with reduced motion)."""
        return self.text_speed == "typewriter" and not self.reduced_motion

    @property
    def characters_per_second(self) -> float:
        return TYPEWRITER_SPEEDS[self.typewriter_speed]

    @property
    def window_size(self) -> tuple[int, int]:
        return (self.window_width, self.window_height)

    def checked(self) -> Settings:
        """The same settings with anything out of range put back to its default."""
        default = Settings()
        changes = {}
        if not isinstance(self.text_size, str) or self.text_size not in TEXT_SIZES:
            changes["text_size"] = default.text_size
        if not isinstance(self.text_speed, str) or self.text_speed not in TEXT_SPEEDS:
            changes["text_speed"] = default.text_speed
        for name, allowed in (
            ("font", FONT_FAMILIES),
            ("line_spacing", LINE_SPACINGS),
            ("typewriter_speed", TYPEWRITER_SPEEDS),
        ):
            value = getattr(self, name)
            if not isinstance(value, str) or value not in allowed:
                changes[name] = getattr(default, name)
        if not _good_keys(self.keys):
            changes["keys"] = {}
        for name in (
            "high_contrast",
            "fullscreen",
            "allow_undo",
            "watch_story",
            "reduced_motion",
            "voice",
        ):
            if not isinstance(getattr(self, name), bool):
                changes[name] = getattr(default, name)
        for name, least, most in (
            ("window_width", MIN_WINDOW[0], MAX_WINDOW[0]),
            ("window_height", MIN_WINDOW[1], MAX_WINDOW[1]),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not least <= value <= most:
                changes[name] = getattr(default, name)
        return replace(self, **changes) if changes else self


def _good_keys(keys: object) -> bool:
    """Whether the keys a player bound are as the game writes them: verb names to short lists
    of key names (which `KeyMap` reads; a name it does not know binds nothing)."""
    return isinstance(keys, dict) and all(
        isinstance(verb, str)
        and len(verb) <= 40
        and isinstance(names, list)
        and len(names) <= MAX_BOUND_KEYS
        and all(isinstance(name, str) and 0 < len(name) <= 40 for name in names)
        for verb, names in keys.items()
    )


def _from_version_1(values: dict) -> dict:
    """Version 1 had no reading settings, no self-voicing and no keys of the player's own: they
    start at their defaults (the typewriter setting is kept as it was)."""
    return dict(values)


# version -> how a file of that version becomes one of the next
MIGRATIONS = {1: _from_version_1}


def settings_path(folder: str | Path | None = None) -> Path:
    return saves_folder(folder) / FILE_NAME


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """The saved settings, or the defaults and a message saying why they were not used. When
    the file is damaged but its backup (`settings.json.bak`) is good, the backup is used."""
    settings, problem = _read_settings(path)
    if problem is None:
        return settings or Settings(), None
    backup = backup_path(path)
    if not isinstance(problem, OSError) and backup.is_file():
        previous, backup_problem = _read_settings(backup)
        if previous is not None and backup_problem is None:
            return (
                previous,
                f"Your settings file could not be used ({problem}); your previous settings "
                "were used instead.",
            )
    if isinstance(problem, OSError):
        return (
            Settings(),
            f"Your settings could not be read ({problem.strerror or problem}); "
            "the defaults are used.",
        )
    return (
        Settings(),
        f"Your settings file could not be used ({problem}); the defaults "
        "are used, and will be saved when you change a setting.",
    )


def _read_settings(path: Path) -> tuple[Settings | None, OSError | ValueError | None]:
    """The settings in one file (None when there is no file), or what is wrong with it."""
    try:
        data = read_json(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, error
    except DamagedJson:
        return None, ValueError("it is damaged")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, ValueError("not a settings file")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        return None, ValueError("made by a newer version of the game")
    values = data.get("settings")
    if not isinstance(values, dict):
        return None, ValueError("no settings in it")
    while version < VERSION:
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            return None, ValueError(f"of an unknown version ({version})")
        values, version = migrate(values), version + 1
    known = {field.name for field in fields(Settings)}
    settings = Settings(**{key: value for key, value in values.items() if key in known})
    return settings.checked(), None


def save_settings(path: Path, settings: Settings) -> str | None:
    """Write the settings; returns a message for the player when that failed."""
    record = {"format": FORMAT, "version": VERSION, "settings": asdict(settings)}
    try:
        write_atomic(path, (json.dumps(record, indent=1) + "\n").encode("utf-8"), backup=True)
    except OSError as error:
        return f"Your settings could not be saved ({error.strerror or error})."
    return None
