"""A session's state at one moment, without its history: the one frozen type that undo, saves,
a reload and the playtester's search all keep and restore.

It holds everything that decides what can happen next: the scene, the flow, the meters, the
flags, how often each scene was visited, the random generator's state (unless left out) and how
many turns had been taken.

A session's generator is seeded with the session's seed and then only draws `random()`, so its
state is the seed and a count of draws: saves write that count (`{"draws": n}`, a few bytes)
instead of the Mersenne Twister's 625 numbers (7.5 KB of JSON, twice in every save). A state no
count reaches (a save of another kind, or one edited by hand) is written out in full as before.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from engine.play.flow import Flow

RandomState = tuple[int, tuple[int, ...], float | None]  # as `random.Random.getstate()` gives it
# Draws a saved count may ask for: a playthrough draws at most once a choice, and a save holds
# at most a few thousand choices. A count beyond it is damaged data, never replayed.
MAX_DRAWS = 100_000
# How far a full state is searched for its count when an older save is read (8 twists).
MAX_DRAWS_FOUND = 8 * 312


class Snapshot(NamedTuple):
    """Where play stands and with what values. Its maps are read-only views of copies, so a
    snapshot never changes once taken; a view's `copy()` gives a plain dict back quickly.
    (A named tuple: as immutable as a frozen dataclass and cheaper to make, which the
    playtester's search, taking one per move, feels.)"""

    scene: str
    flow: Flow
    fault: str | None
    meters: MappingProxyType[str, int]
    flags: MappingProxyType[str, bool]
    visits: MappingProxyType[str, int]  # the session's `counts`: visits and the path's tallies
    rng: RandomState | None  # None: restoring it leaves the random generator as it is
    turns: int  # how many turns the history held when it was taken
    # random() calls since the generator was seeded with the session's seed (None: not known,
    # or no generator state in the snapshot)
    draws: int | None = None

    @classmethod
    def of(
        cls,
        scene: str,
        flow: Flow,
        fault: str | None,
        meters: Mapping[str, int],
        flags: Mapping[str, bool],
        visits: Mapping[str, int],
        rng: RandomState | None,
        turns: int,
        draws: int | None = None,
    ) -> Snapshot:
        """A snapshot holding copies of the maps it is given."""
        return cls(
            scene,
            flow,
            fault,
            MappingProxyType(dict(meters)),
            MappingProxyType(dict(flags)),
            MappingProxyType(dict(visits)),
            rng,
            turns,
            draws,
        )

    def same_place(self, other: Snapshot) -> bool:
        """Whether both stand at the same place with the same values (the fault aside)."""
        return (
            self.scene == other.scene
            and self.flow == other.flow
            and self.meters == other.meters
            and self.flags == other.flags
            and self.visits == other.visits
            and self.rng == other.rng
            and self.turns == other.turns
        )

    def to_data(self) -> dict[str, Any]:
        """As plain, JSON-ready data (the form saves keep)."""
        return {
            "scene": self.scene,
            "flow": str(self.flow),
            "fault": self.fault,
            "meters": dict(self.meters),
            "flags": dict(self.flags),
            "visits": dict(self.visits),
            "rng": random_state_to_data(self.rng, self.draws) if self.rng is not None else None,
            "turns": self.turns,
        }


def random_state_to_data(state: RandomState, draws: int | None = None) -> list[Any] | dict:
    """`{"draws": n}` when the count is known, else the state as `getstate()` gives it."""
    if draws is not None:
        return {"draws": draws}
    version, internal, gauss = state
    return [version, list(internal), gauss]


def random_state_from_data(data: list[Any] | dict, seed: int) -> tuple[RandomState, int | None]:
    """The state saved data describes (checked already: saved_session.py), and its count of
    draws from `seed` (None when no count up to MAX_DRAWS_FOUND reaches a full saved state)."""
    if isinstance(data, dict):
        return state_after(seed, data["draws"]), data["draws"]
    version, internal, gauss = data
    state = (version, tuple(internal), gauss)
    return state, draws_from_seed(seed, state)


def state_after(seed: int, draws: int) -> RandomState:
    """The state of a generator seeded with `seed` after `draws` calls of random()."""
    generator = random.Random(seed)
    for _ in range(draws):
        generator.random()
    return generator.getstate()


def draws_from_seed(seed: int, state: RandomState) -> int | None:
    """How many random() calls take a generator seeded with `seed` to `state`, or None. Each
    call uses two of the 624 words, so the state's position says the count modulo 312: only
    those counts are compared."""
    _version, internal, gauss = state
    position = internal[-1]
    if gauss is not None or not 2 <= position <= 624 or position % 2:
        return None
    generator = random.Random(seed)
    if position == 624 and generator.getstate() == state:
        return 0
    drawn = 0
    for draws in range(position // 2, MAX_DRAWS_FOUND + 1, 312):
        for _ in range(draws - drawn):
            generator.random()
        drawn = draws
        if generator.getstate() == state:
            return draws
    return None
