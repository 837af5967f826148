"""What the session raises when it is asked for something its state does not allow."""

from __future__ import annotations

SHOWN = 40  # characters of what a player typed that a message repeats


class SessionError(Exception):
    """The session was asked for something its state does not allow."""


class ChoiceNotOffered(SessionError):
    """A choice that is not on offer in the current scene was chosen."""

    def __init__(self, choice_id: str, scene_id: str, offered: list[str]):
        self.choice_id = choice_id
        self.scene_id = scene_id
        self.offered = offered
        listed = ", ".join(repr(o) for o in offered) or "none"
        super().__init__(
            f"the choice {shown(choice_id)!r} is not offered in scene {scene_id!r} "
            f"(offered: {listed})"
        )


def shown(typed: str) -> str:
    """What a player typed, as a message repeats it: cut short when it is long."""
    return typed if len(typed) <= SHOWN else typed[: SHOWN - 1] + "…"
