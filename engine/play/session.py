"""The session: one playthrough of a story, as plain data, moved on by the player's choices.

A `Session` holds everything a playthrough is: the current scene, meters, flags, visit counts,
the seeded random generator and the turns taken. It reads nothing and writes nothing; the text
player, the desktop game, the tools and the tests all drive it through the same few calls:

    session = Session(story, seed=7)
    session.scene, session.options, session.meters     # what to show
    turn = session.apply(Choose("argue"))               # what happened: feedback, meter changes
    session.apply(Undo()); session.to_save(); Session.from_save(story, data)

Its flow (playing, ended, stuck) is the table in `engine.play.flow`; its state at any moment is
a `Snapshot`, which undo, saves and the playtester keep and restore.
"""

from __future__ import annotations

import random
import secrets
from typing import Any

from engine.play.actions import Action, Choose, Undo
from engine.play.errors import ChoiceNotOffered, SessionError
from engine.play.flow import ENDED, PLAYING, STUCK, Flow, new_flow
from engine.play.saved_session import read_session_data
from engine.play.snapshot import Snapshot
from engine.play.start import Start
from engine.play.turns import MeterChange, Option, Turn
from engine.story import model
from engine.story.conditions import count_turn
from engine.story.model import Choice, Effect, Scene, Story
from engine.story.text import Paragraph, Partner, paragraphs, render

NO_OUTCOME = -1  # a choice with outcomes none of which can happen now (an authoring fault)

# Routers are followed at once; this many in a row without a choice means a loop.
MAX_ROUTER_HOPS = 1000


class Session:
    """One playthrough of a story."""

    def __init__(
        self,
        story: Story,
        seed: int | None = None,
        partner: Partner | None = None,
        allow_undo: bool | None = None,
        start: Start | None = None,
    ):
        """`start` begins at another scene, with some meters and flags set (engine/play/start.py;
        it must have been resolved against this story); undo goes back to it, not further."""
        self.story = story
        self._rendered: dict[str, str] = {}
        # A classroom may turn undo off (or on) whatever the story says.
        self.allow_undo = story.allow_undo if allow_undo is None else allow_undo
        self.partner = partner or story.partner
        self.seed = secrets.randbits(32) if seed is None else int(seed)
        self._rng = random.Random(self.seed)
        self._draws: int | None = 0  # random() calls since seeding (None: not known)
        self.meters: dict[str, int] = story.initial_meters()
        self.flags: dict[str, bool] = dict(story.flags)
        # Each scene's visits by id, and the path's tallies for chosen() and turns() (keys with a
        # ':', which no scene id has): what conditions read as their third mapping.
        self.counts: dict[str, int] = {}
        self.history: list[Turn] = []
        self.last_outcome: int | None = None  # the outcome `step` drew last (None: none)
        self.fault: str | None = None
        self._flow = new_flow(self)
        self._options: tuple[Option, ...] | None = ()
        self._offered: tuple[Choice, ...] = ()
        first = story.start
        if start is not None:
            self.meters.update(start.meters)
            self.flags.update(start.flags)
            first = start.scene
        self.scene_id = first
        self._scene = story.scenes[first]
        self._enter(first, [])
        self._origin = self.snapshot()

    # What to show ----------------------------------------------------------------------------

    @property
    def start_meters(self) -> dict[str, int]:
        """The meters when this playthrough began (a start anywhere sets some): the undo
        point's, while that is the beginning; else, after a load into a changed story, the
        story's starting values."""
        if self._origin.turns == 0:
            return dict(self._origin.meters)
        return self.story.initial_meters()

    @property
    def visits(self) -> dict[str, int]:
        """How often each scene was entered, by id (a copy)."""
        return {key: value for key, value in self.counts.items() if ":" not in key}

    @property
    def state(self) -> Flow:
        """Playing, ended (at an ending) or stuck (an authoring fault; see `fault`)."""
        return self._flow.state

    @property
    def ended(self) -> bool:
        return self._flow.state == ENDED

    @property
    def scene(self) -> Scene:
        return self._scene

    @property
    def ending(self) -> model.Ending | None:
        return self.scene.ending if self.ended else None

    @property
    def text(self) -> str:
        """The current scene's text, with the partner's name and pronouns filled in."""
        return render(self.scene.text, self.partner)

    def paragraphs(self) -> list[Paragraph]:
        """The current scene's text as paragraphs, dialogue lines marked with their speaker."""
        return paragraphs(self.scene.text, self.partner)

    def render(self, text: str) -> str:
        """Any story text (a choice, feedback, an ending's title) filled in for this session.
        Each text is filled in once: the partner does not change during a session."""
        rendered = self._rendered.get(text)
        if rendered is None:
            rendered = self._rendered[text] = render(text, self.partner)
        return rendered

    @property
    def options(self) -> tuple[Option, ...]:
        """The current scene's choices the player can see: offered ones numbered, locked ones
        shown with their reason. Choices whose condition fails and that have no `locked` reason
        are hidden."""
        if self._options is None:
            self._options = self._compute_options()
        return self._options

    def offered(self) -> tuple[Choice, ...]:
        """The choices that can be made now, in order; `offered()[n - 1]` is number n."""
        return self._offered

    @property
    def can_undo(self) -> bool:
        return self.allow_undo and len(self.history) > self._origin.turns

    # Playing -----------------------------------------------------------------------------------

    def apply(self, action: Action) -> Turn:
        """Apply a player action given as data."""
        if isinstance(action, Choose):
            return self.choose(action.choice_id)
        if isinstance(action, Undo):
            return self.undo()
        raise SessionError(f"unknown action {action!r}")

    def resolve(self, token: str) -> str:
        """The id of the offered choice that `token` names: an id first, else its number."""
        offered = self._offered
        for choice in offered:
            if choice.id == token:
                return choice.id
        if (
            token.isascii()
            and token.isdigit()
            and len(token) <= 6
            and 1 <= int(token) <= len(offered)
        ):
            return offered[int(token) - 1].id
        raise ChoiceNotOffered(token, self.scene_id, [choice.id for choice in offered])

    def choose(self, choice_id: str, outcome: int | None = None) -> Turn:
        """Make a choice on offer; returns what happened. Raises ChoiceNotOffered otherwise.

        `outcome` is for tools that explore every branch: it picks which of the choice's
        outcomes happens instead of drawing one, and must be one of `possible_outcomes`.
        """
        choice = self._offered_choice(choice_id)
        scene = self._scene
        outcome_index = self._outcome_index(choice, outcome)
        count_turn(self.counts, choice.response)  # after the draw: outcomes see the path before
        if outcome_index == NO_OUTCOME:
            return self._strand_turn(scene, choice, _no_outcome(scene, choice))
        outcome = choice.outcomes[outcome_index] if outcome_index is not None else None
        changes: dict[str, list[int]] = {}
        flags: list[tuple[str, bool]] = []
        if choice.effects or choice.sets:
            self._take(choice.effects, choice.sets, changes, flags)
        if outcome is None:
            target = choice.goto
            feedback = (choice.feedback,) if choice.feedback else ()
        else:
            if outcome.effects or outcome.sets:
                self._take(outcome.effects, outcome.sets, changes, flags)
            target = outcome.goto
            feedback = tuple(text for text in (choice.feedback, outcome.feedback) if text)
        path: list[str] = []
        self._enter(target, path)
        turn = Turn(
            scene.id,
            choice.id,
            self.render(choice.text),
            choice.response,
            outcome_index,
            tuple([self.render(text) for text in feedback]) if feedback else (),
            tuple([MeterChange(m, old, new) for m, (old, new) in changes.items()])
            if changes
            else (),
            tuple(flags) if flags else (),
            tuple(path),
            dict(self.meters),
            self.fault,
        )
        self.history.append(turn)
        return turn

    def step(self, choice_id: str) -> list[str]:
        """Make a choice without recording it: no Turn, no history, so nothing to undo. For
        tools that play a story thousands of times (the playtester), cheaper than `choose`
        (docs/performance.md). Returns the scenes entered (routers included)."""
        choice = self._offered_choice(choice_id)
        outcome_index = self._outcome_index(choice, None)
        self.last_outcome = outcome_index  # for tools that count what was read (playtest)
        count_turn(self.counts, choice.response)
        if outcome_index == NO_OUTCOME:
            self._strand(_no_outcome(self._scene, choice))
            return [self.scene_id]
        self._apply(choice.effects, choice.sets)
        if outcome_index is None:
            target = choice.goto
        else:
            outcome = choice.outcomes[outcome_index]
            self._apply(outcome.effects, outcome.sets)
            target = outcome.goto
        path: list[str] = []
        self._enter(target, path)
        return path

    def _offered_choice(self, choice_id: str) -> Choice:
        if self._flow.state != PLAYING:
            raise SessionError(
                f"choose() needs a story in play, but it has {self._flow.state} "
                f"at scene {self.scene_id!r}: undo() or start a new session"
            )
        for choice in self._offered:
            if choice.id == choice_id:
                return choice
        raise ChoiceNotOffered(choice_id, self.scene_id, [c.id for c in self._offered])

    def _outcome_index(self, choice: Choice, forced: int | None) -> int | None:
        """The outcome that happens: drawn, or `forced`; None for a choice without outcomes,
        NO_OUTCOME when none of its outcomes can happen now."""
        if not choice.outcomes:
            return None
        if forced is None:
            drawn = self._draw(choice)
            return NO_OUTCOME if drawn is None else drawn
        if forced in self._eligible(choice)[0]:
            return forced
        raise SessionError(f"outcome {forced} of choice {choice.id!r} cannot happen now")

    def response_counts(self) -> dict[str | None, int]:
        """How often each of the story's responses was chosen so far, in the story's order;
        the key None counts the choices that carry no response (only when there are some)."""
        counts: dict[str | None, int] = dict.fromkeys(self.story.responses, 0)
        for turn in self.history:
            counts[turn.response] = counts.get(turn.response, 0) + 1
        return counts

    def decisions(self) -> dict[str, list[str]]:
        """Where each of the story's responses was chosen: response id -> the titles of the
        scenes (the scene id where it has no title), in the order played, for the debrief that
        names the player's own decisions. Responses never chosen are left out."""
        where: dict[str, list[str]] = {}
        for turn in self.history:
            if turn.response is None:
                continue
            scene = self.story.scenes.get(turn.scene)
            title = self.render(scene.title) if scene is not None and scene.title else turn.scene
            where.setdefault(turn.response, []).append(title)
        return {r: where[r] for r in self.story.responses if r in where}

    def possible_outcomes(self, choice_id: str) -> list[int]:
        """The outcomes an offered choice could have now (indices into its `outcomes`)."""
        for choice in self._offered:
            if choice.id == choice_id:
                return self._eligible(choice)[0]
        raise ChoiceNotOffered(choice_id, self.scene_id, [c.id for c in self._offered])

    def snapshot(self, include_rng: bool = True) -> Snapshot:
        """Where play stands and with what values, as a frozen `Snapshot` (the history is not
        in it; `turns` says how long it was). Tools exploring branches may leave out the random
        generator's state, which costs the most to copy."""
        return Snapshot.of(
            self.scene_id,
            self._flow.state,
            self.fault,
            self.meters,
            self.flags,
            self.counts,
            self._rng.getstate() if include_rng else None,
            len(self.history),
            self._draws if include_rng else None,
        )

    def restore(self, snapshot: Snapshot) -> None:
        """Put play back at a snapshot: scene, flow, values and (when it holds one) the random
        generator's state. The history is left as it is."""
        self.scene_id = snapshot.scene
        self._scene = self.story.scenes[self.scene_id]
        self.fault = snapshot.fault
        self.meters = snapshot.meters.copy()  # a read-only view's copy() is a quick dict copy
        self.flags = snapshot.flags.copy()
        self.counts = snapshot.visits.copy()
        if snapshot.rng is not None:
            self._rng.setstate(snapshot.rng)
            self._draws = snapshot.draws
        if self._flow.state != PLAYING:
            self._flow.rewind()
        if snapshot.flow == ENDED:
            self._flow.reach_ending()
        elif snapshot.flow == STUCK:
            self._flow.strand()
        self._refresh_options()

    def undo(self) -> Turn:
        """Take back the last choice, restoring the state before it exactly. Returns that turn."""
        if not self.allow_undo:
            raise SessionError("undo is turned off for this story")
        if not self.can_undo:
            raise SessionError("there is no choice to undo")
        undone = self.history[-1]
        before, history = self.snapshot(), list(self.history)
        if not self._replay(self._origin, history[:-1]):
            self.restore(before)  # never leave play half rewound
            self.history = history
            raise SessionError("the earlier choices cannot be replayed, so none can be undone")
        return undone

    # Internals ---------------------------------------------------------------------------------

    def _refresh_options(self) -> None:
        """Work out which of the current scene's choices are offered now."""
        self._options = None
        if self._flow.state != PLAYING:
            self._offered = ()
            return
        meters, flags, visits = self.meters, self.flags, self.counts
        self._offered = tuple(
            [
                choice
                for choice in self._scene.choices
                if choice.condition is None or choice.condition.test(meters, flags, visits)
            ]
        )

    def _compute_options(self) -> tuple[Option, ...]:
        offered = {id(choice): number for number, choice in enumerate(self._offered, start=1)}
        return (
            tuple(
                Option(choice, offered.get(id(choice)))
                for choice in self.scene.choices
                if id(choice) in offered or choice.locked is not None
            )
            if self._offered
            else ()
        )

    def _eligible(self, choice: Choice) -> tuple[list[int], float]:
        """The indices of the outcomes whose condition holds now, and their total weight."""
        meters, flags, visits = self.meters, self.flags, self.counts
        eligible = []
        total = 0.0
        for index, outcome in enumerate(choice.outcomes):
            if outcome.condition is None or outcome.condition.test(meters, flags, visits):
                eligible.append(index)
                total += outcome.weight
        return eligible, total

    def _draw(self, choice: Choice) -> int | None:
        """Pick an outcome among those whose condition holds, in proportion to their weights."""
        eligible, total = self._eligible(choice)
        outcomes = choice.outcomes
        if len(eligible) < 2:
            return eligible[0] if eligible else None
        point = self._rng.random() * total
        if self._draws is not None:
            self._draws += 1
        for index in eligible:
            point -= outcomes[index].weight
            if point < 0:
                return index
        return eligible[-1]

    def _apply(self, effects: tuple[Effect, ...], sets: tuple[tuple[str, bool], ...]) -> None:
        """Apply effects and set flags, keeping no account of the changes (see `step`)."""
        meters, story_meters = self.meters, self.story.meters
        for effect in effects:
            meters[effect.meter] = effect.apply(meters[effect.meter], story_meters[effect.meter])
        for name, value in sets:
            self.flags[name] = value

    def _take(
        self,
        effects: tuple[Effect, ...],
        sets: tuple[tuple[str, bool], ...],
        changes: dict[str, list[int]],
        flags: list[tuple[str, bool]],
    ) -> None:
        meters = self.meters
        story_meters = self.story.meters
        for effect in effects:
            name = effect.meter
            old = meters[name]
            new = meters[name] = effect.apply(old, story_meters[name])
            change = changes.get(name)
            if change is None:
                changes[name] = [old, new]
            else:
                change[1] = new
        for name, value in sets:
            self.flags[name] = value
            flags.append((name, value))

    def _enter(self, scene_id: str, path: list[str]) -> None:
        """Enter a scene, following routers, and settle the flow (playing, ended or stuck)."""
        scenes, visits = self.story.scenes, self.counts
        for _ in range(MAX_ROUTER_HOPS):
            visits[scene_id] = visits.get(scene_id, 0) + 1
            path.append(scene_id)
            self.scene_id = scene_id
            self._scene = scene = scenes[scene_id]
            if scene.kind != model.ROUTER:
                break
            for route in scene.routes:
                if route.condition is None or route.condition.test(self.meters, self.flags, visits):
                    scene_id = route.goto
                    break
            else:
                self._strand(f"no entry of 'next' in scene {scene_id!r} applies now")
                return
        else:
            self._strand(
                f"routers led from scene to scene {MAX_ROUTER_HOPS} times without a "
                f"choice (a loop through {scene_id!r}?)"
            )
            return
        if scene.kind == model.ENDING:
            self._flow.reach_ending()
            self._options, self._offered = (), ()
            return
        self._refresh_options()
        if not self._offered:
            self._strand(f"no choice in scene {scene_id!r} is offered now")

    def _settle(self) -> None:
        """After a restore into a changed story: follow a router, note an ending or a dead end."""
        if self._flow.state != PLAYING:
            return
        if self.scene.kind == model.ROUTER:
            self.counts[self.scene_id] -= 1
            self._enter(self.scene_id, [])
        elif self.scene.kind == model.ENDING:
            self._flow.reach_ending()
            self._refresh_options()
        elif not self._offered:
            self._strand(f"no choice in scene {self.scene_id!r} is offered now")

    def _strand(self, fault: str) -> None:
        self.fault = fault
        self._flow.strand()
        self._options, self._offered = (), ()

    def _strand_turn(self, scene: Scene, choice: Choice, fault: str) -> Turn:
        self._strand(fault)
        turn = Turn(
            scene.id,
            choice.id,
            self.render(choice.text),
            choice.response,
            None,
            (),
            (),
            (),
            (scene.id,),
            dict(self.meters),
            fault,
        )
        self.history.append(turn)
        return turn

    # Saving ------------------------------------------------------------------------------------

    def to_save(self, history: bool = True) -> dict[str, Any]:
        """The whole session as plain, JSON-ready data, naming its story by id and hash. With
        `history` False, all but the "history" list (each of its turns is `Turn.to_data`), for
        a caller that keeps its turns encoded already (the class server)."""
        data = self.snapshot().to_data()
        data["story"] = {"id": self.story.id, "hash": self.story.content_hash}
        data["partner"] = {"name": self.partner.name, "pronouns": self.partner.pronouns}
        data["allow_undo"] = self.allow_undo
        data["seed"] = self.seed
        if history:
            data["history"] = [turn.to_data() for turn in self.history]
        data["origin"] = self._origin.to_data()
        return data

    @classmethod
    def from_save(cls, story: Story, data: object) -> tuple[Session, list[str]]:
        """Rebuild a session from `to_save` data. Returns it and notes on anything adjusted.

        When the story has changed since the data was saved, play resumes at the same scene if
        it still exists, with meters and flags carried over where they still exist; choices made
        before that point can no longer be undone. Raises SessionError when the data cannot be a
        session of this story.
        """
        saved = read_session_data(story, data)
        session = cls(story, saved.seed, saved.partner, saved.allow_undo)
        notes = list(saved.notes)
        origin = saved.origin
        if origin is not None and not (
            session._replay(origin, saved.history) and session.snapshot().same_place(saved.snapshot)
        ):
            notes.append(
                "This save's record of earlier choices is damaged, so they "
                "cannot be undone; play goes on from where it was saved."
            )
            origin = None
        session.restore(saved.snapshot)
        session.history = list(saved.history)
        if origin is not None:
            session._origin = origin
        else:
            session._settle()
            session._origin = session.snapshot()
        return session, notes

    def _replay(self, origin: Snapshot, history: list[Turn]) -> bool:
        """Go back to `origin` and make the choices of `history` after it again (which is how
        undo works); False when one of them is no longer on offer."""
        self.restore(origin)
        self.history = list(history[: origin.turns])
        try:
            for turn in history[origin.turns :]:
                self.choose(turn.choice)
        except SessionError:
            return False
        return True


def _no_outcome(scene: Scene, choice: Choice) -> str:
    return f"no outcome of choice {choice.id!r} in scene {scene.id!r} applies now"
