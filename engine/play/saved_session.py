"""Reading a session back from saved data: check every field, adapt to a story that changed.

Saved data comes from disk, so nothing in it is trusted: each field is checked, and a problem
becomes a `SessionError` with a message a player can act on, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from engine.play.errors import SessionError
from engine.play.flow import Flow
from engine.play.snapshot import MAX_DRAWS, Snapshot, random_state_from_data
from engine.play.turns import Turn
from engine.story.conditions import TURNS_KEY, count_turn, is_tally
from engine.story.model import Story
from engine.story.text import PRONOUN_SETS, Partner

RNG_STATE_LENGTH = 625


@dataclass(frozen=True, slots=True)
class SavedSession:
    """Saved session data, checked against its story."""

    seed: int
    partner: Partner
    allow_undo: bool | None
    snapshot: Snapshot
    history: tuple[Turn, ...]
    origin: Snapshot | None  # None when the story changed: undo starts afresh from the save
    notes: tuple[str, ...]  # what was adjusted to fit a changed story, for the player


def read_session_data(story: Story, data: object) -> SavedSession:
    """Check saved session data against the story; SessionError says what is wrong."""
    try:
        return _read(story, data)
    except SessionError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError) as error:
        # A value of a wrong type deep inside: the file is damaged in a way not foreseen.
        raise SessionError(f"the saved session is damaged ({type(error).__name__})") from None


def _read(story: Story, data: object) -> SavedSession:
    if not isinstance(data, dict):
        raise SessionError("the saved session is not a JSON object")
    notes: list[str] = []
    saved_story = data.get("story")
    if not isinstance(saved_story, dict):
        raise SessionError("the saved session does not name its story")
    if saved_story.get("id") != story.id:
        raise SessionError(
            f"this save belongs to the story {saved_story.get('id')!r}, not {story.id!r}"
        )
    changed = saved_story.get("hash") != story.content_hash
    if changed:
        notes.append(
            "The story has changed since this was saved; play resumes at the same "
            "scene, and earlier choices cannot be undone."
        )
    seed = data.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise SessionError("the saved session has no valid seed")
    snapshot = _snapshot(story, data, seed, notes if changed else None)
    try:
        history = tuple(Turn.from_data(item) for item in _list(data.get("history"), "history"))
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise SessionError(f"the saved history is damaged ({error})") from None
    if snapshot.turns != len(history):
        raise SessionError("the saved history does not match the saved state")
    snapshot = _with_tallies(snapshot, history)
    origin = None
    if not changed:
        origin = _snapshot(story, _dict(data.get("origin"), "origin"), seed, None)
        if origin.turns > len(history):
            raise SessionError("the saved undo point lies after the saved state")
        origin = _with_tallies(origin, history)
    allow_undo = data.get("allow_undo")
    if not isinstance(allow_undo, bool):
        allow_undo = None
    return SavedSession(
        seed,
        _partner(data.get("partner"), story),
        allow_undo,
        snapshot,
        history,
        origin,
        tuple(notes),
    )


def _partner(data: object, story: Story) -> Partner:
    if data is None:
        return story.partner
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise SessionError("the saved partner is damaged")
    pronouns = data.get("pronouns", "they")
    if pronouns not in PRONOUN_SETS:
        raise SessionError("the saved partner's pronouns are unknown")
    return Partner(data["name"][:40], pronouns)


def _with_tallies(snapshot: Snapshot, history: tuple[Turn, ...]) -> Snapshot:
    """The snapshot with the path's tallies (chosen(), turns()) counted from the history when
    it has none: a save from before they were kept."""
    if snapshot.turns == 0 or TURNS_KEY in snapshot.visits:
        return snapshot
    visits = dict(snapshot.visits)
    for turn in history[: snapshot.turns]:
        count_turn(visits, turn.response)
    return snapshot._replace(visits=MappingProxyType(visits))


def _snapshot(story: Story, data: dict[str, Any], seed: int, notes: list[str] | None) -> Snapshot:
    """Check one saved state; with `notes`, adapt it to a changed story instead of refusing."""
    scene = data.get("scene")
    if not isinstance(scene, str):
        raise SessionError("the saved session has no scene")
    if scene not in story.scenes:
        raise SessionError(f"the saved scene {scene!r} no longer exists in this story")
    flow = data.get("flow")
    if flow not in tuple(Flow):
        raise SessionError(f"the saved session's state {flow!r} is unknown")
    flow = Flow(flow)
    if notes is not None and flow == Flow.ENDED and story.scenes[scene].ending is None:
        flow = Flow.PLAYING
    if flow == Flow.ENDED and story.scenes[scene].ending is None:
        raise SessionError(f"the save says the story ended at {scene!r}, which is no ending")
    fault = data.get("fault")
    if flow == Flow.STUCK and not isinstance(fault, str):
        raise SessionError("the saved session is stuck but does not say why")
    turns = data.get("turns")
    if not isinstance(turns, int) or turns < 0:
        raise SessionError("the saved session does not say how many turns it holds")
    rng, draws = random_state_from_data(_rng(data.get("rng")), seed)
    return Snapshot.of(
        scene,
        flow,
        fault if flow == Flow.STUCK else None,
        meters=_values(
            story.initial_meters(), _dict(data.get("meters"), "meters"), "meter", notes, int, story
        ),
        flags=_values(
            dict(story.flags), _dict(data.get("flags"), "flags"), "flag", notes, bool, story
        ),
        visits={
            str(k): v
            for k, v in _dict(data.get("visits"), "visits").items()
            if (k in story.scenes or is_tally(str(k), story.responses))
            and isinstance(v, int)
            and not isinstance(v, bool)
            and v >= 0
        },
        rng=rng,
        turns=turns,
        draws=draws,
    )


def _values(
    defaults: dict, saved: dict, kind: str, notes: list[str] | None, type_: type, story: Story
) -> dict:
    values = dict(defaults)
    for name, value in saved.items():
        if name not in defaults:
            if notes is None:
                raise SessionError(f"the save has a {kind} {name!r} this story does not have")
            notes.append(f"The {kind} {name!r} no longer exists and was dropped.")
            continue
        if type(value) is not type_:
            raise SessionError(f"the saved {kind} {name!r} has a wrong value {value!r}")
        if kind == "meter":
            value = story.meters[name].clamp(value)
        values[name] = value
    missing = [name for name in defaults if name not in saved]
    if missing:
        if notes is None:
            raise SessionError(f"the save has no value for the {kind} {missing[0]!r}")
        notes.append(f"New {kind}s start at their initial values: {', '.join(missing)}.")
    return values


def _rng(data: object) -> list | dict:
    """The saved random state: `{"draws": n}` (save format 2), or the generator's whole state
    as `getstate()` gives it (format 1, and a state no count reaches)."""
    if isinstance(data, dict):
        draws = data.get("draws")
        if (
            len(data) == 1
            and isinstance(draws, int)
            and not isinstance(draws, bool)
            and 0 <= draws <= MAX_DRAWS
        ):
            return data
        raise SessionError("the saved random state is damaged")
    if (
        isinstance(data, list)
        and len(data) == 3
        and data[0] == 3
        and isinstance(data[1], list)
        and len(data[1]) == RNG_STATE_LENGTH
        and all(
            isinstance(x, int) and not isinstance(x, bool) and 0 <= x < 2**32 for x in data[1][:-1]
        )
        and isinstance(data[1][-1], int)
        and 0 <= data[1][-1] <= RNG_STATE_LENGTH - 1
        and (data[2] is None or isinstance(data[2], float))
    ):
        return data
    raise SessionError("the saved random state is damaged")


def _dict(value: object, what: str) -> dict:
    if not isinstance(value, dict):
        raise SessionError(f"the saved {what} are missing or damaged")
    return value


def _list(value: object, what: str) -> list:
    if not isinstance(value, list):
        raise SessionError(f"the saved {what} is missing or damaged")
    return value
