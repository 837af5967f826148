"""What the session raises when it is asked for something its state does not allow."""

from __future__ import annotations


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
            f"the choice {choice_id!r} is not offered in scene {scene_id!r} (offered: {listed})"
        )
