"""A session's state at one moment, without its history: the one frozen type that undo, saves,
a reload and the playtester's search all keep and restore.

It holds everything that decides what can happen next: the scene, the flow, the meters, the
flags, how often each scene was visited, the random generator's state (unless left out) and how
many turns had been taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from engine.play.flow import Flow

RandomState = tuple[int, tuple[int, ...], float | None]  # as `random.Random.getstate()` gives it


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
            "rng": random_state_to_data(self.rng) if self.rng is not None else None,
            "turns": self.turns,
        }


def random_state_to_data(state: RandomState) -> list[Any]:
    version, internal, gauss = state
    return [version, list(internal), gauss]


def random_state_from_data(data: list[Any]) -> RandomState:
    version, internal, gauss = data
    return (version, tuple(internal), gauss)
