"""Starting anywhere: a scene and chosen meter and flag values to begin a playthrough with
(`python main.py play STORY --from SCENE --set trust=30,gave_key=true`), so that an author can
try the last chapter without playing the first ones again.

`StartRequest` is what the author typed; `resolve` checks it against a story (the scene exists,
each name is a meter or a flag, each value is in the meter's range or true/false) and gives the
`Start` a `Session` begins at, or a `StartError` that says what is wrong in plain words. The
request is kept as typed, so that after the story is reloaded (F5) it is checked again against
the new story.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from engine.story.diagnostics import suggest
from engine.story.model import Story

MAX_SETTINGS = 10_000  # characters of --set: a story has a few dozen meters and flags
MAX_SCENE_ID = 200  # characters of --from
WHOLE_NUMBER = re.compile(r"[+-]?0*[0-9]{1,7}")  # within the format's bounds, and then some
TRUE_WORDS = ("true", "yes", "on")
FALSE_WORDS = ("false", "no", "off")


class StartError(ValueError):
    """A start that this story cannot begin at; the message says why, and how to fix it."""


@dataclass(frozen=True, slots=True)
class Start:
    """Where a playthrough begins and with which values (the rest as the story declares)."""

    scene: str
    meters: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    flags: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class StartRequest:
    """A start as typed: a scene id (None: the story's start) and `name=value` pairs."""

    scene: str | None = None
    settings: str | None = None

    def resolve(self, story: Story) -> Start:
        """The start in this story; raises StartError."""
        scene = self.scene if self.scene is not None else story.start
        if len(scene) > MAX_SCENE_ID:
            raise StartError(f"--from takes a scene id, not {len(scene):,} characters")
        if scene not in story.scenes:
            hint = suggest(scene, story.scenes)
            raise StartError(f"the story has no scene '{scene}'" + (f" ({hint})" if hint else ""))
        meters: dict[str, int] = {}
        flags: dict[str, bool] = {}
        for name, value in _pairs(self.settings or ""):
            if name in meters or name in flags:
                raise StartError(f"--set gives '{name}' twice")
            if name in story.meters:
                meters[name] = _meter_value(story, name, value)
            elif name in story.flags:
                flags[name] = _flag_value(name, value)
            else:
                hint = suggest(name, [*story.meters, *story.flags])
                known = ", ".join([*story.meters, *story.flags]) or "none"
                raise StartError(
                    f"'{shorten(name)}' is not a meter or a flag of this story"
                    + (f" ({hint})" if hint else f" (it has: {known})")
                )
        return Start(scene, MappingProxyType(meters), MappingProxyType(flags))


def shorten(text: str, most: int = 40) -> str:
    """Typed text as an error message quotes it: cut short when long."""
    return text if len(text) <= most else f"{text[:most]}..."


def _pairs(settings: str) -> list[tuple[str, str]]:
    if len(settings) > MAX_SETTINGS:
        raise StartError(f"--set is longer than {MAX_SETTINGS:,} characters")
    pairs = []
    for item in settings.split(","):
        if not item.strip():
            continue
        name, equals, value = item.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise StartError(
                f"--set takes name=value pairs separated by commas (trust=30,gave_key=true), "
                f"not {shorten(item.strip())!r}"
            )
        pairs.append((name.strip(), value.strip()))
    return pairs


def _meter_value(story: Story, name: str, value: str) -> int:
    meter = story.meters[name]
    if WHOLE_NUMBER.fullmatch(value) is None:
        raise StartError(f"the meter '{name}' takes a whole number, not {shorten(value)!r}")
    number = int(value)
    if not meter.minimum <= number <= meter.maximum:
        raise StartError(
            f"the meter '{name}' goes from {meter.minimum} to {meter.maximum}, so {number} "
            "cannot be set"
        )
    return number


def _flag_value(name: str, value: str) -> bool:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise StartError(f"the flag '{name}' is true or false, not {value!r}")
