"""The session's flow, declared as data: its states and the transitions between them.

Moving from scene to scene within play is not a flow change, so a choice costs no trigger;
reaching an ending, getting stuck on an authoring fault, and rewinding (undo, restore) are.
The table is run by a `transitions` state machine, which refuses any move it does not list.
"""

from __future__ import annotations

import functools
import weakref
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transitions import Machine


class Flow(StrEnum):
    """Where a session stands: in play, at an ending, or stuck on an authoring fault. The values
    are the words saves and records store."""

    PLAYING = "playing"
    ENDED = "ended"
    STUCK = "stuck"


# The members as plain module constants: code that runs once per choice reads these, since
# `Flow.PLAYING` costs an enum class lookup every time (docs/performance.md).
PLAYING, ENDED, STUCK = Flow.PLAYING, Flow.ENDED, Flow.STUCK

TRANSITIONS = [
    {"trigger": "reach_ending", "source": Flow.PLAYING, "dest": Flow.ENDED},
    {"trigger": "strand", "source": Flow.PLAYING, "dest": Flow.STUCK},
    {"trigger": "rewind", "source": [Flow.PLAYING, Flow.ENDED, Flow.STUCK], "dest": Flow.PLAYING},
]


class FlowState:
    """The object the flow machine drives (kept apart so the session's API stays small). Its
    `state` is a `Flow`; the machine adds the table's triggers as methods: `reach_ending()`,
    `strand()` and `rewind()`."""

    state: Flow


@functools.cache
def flow_machine() -> Machine:
    """The one machine that drives every session's flow: adding a model to it costs a fraction
    of building a machine, which matters to a playtester starting thousands of sessions
    (docs/performance.md). Built on first use, so that reading the states (a report reading
    records) does not load `transitions`."""
    from transitions import Machine

    return Machine(
        model=None,
        states=list(Flow),
        transitions=TRANSITIONS,
        initial=Flow.PLAYING,
        auto_transitions=False,
    )


def new_flow(owner: object) -> FlowState:
    """A flow in play, driven by the shared machine for as long as `owner` lives."""
    machine = flow_machine()
    flow = FlowState()
    machine.add_model(flow)
    weakref.finalize(owner, machine.remove_model, flow)
    return flow
