"""Scenes as JSON-ready records and back: the form the compiled cache stores.

A record is a dict keyed by the model's field names (a scene's `kind`, `text`, `choices` ...; a
choice's `id`, `goto`, `effects` ...), nested for choices, outcomes, routes, effects and the
ending. Fields at their default value are left out, so the records stay compact. A flag change is
a `[flag, value]` pair, as in the model.

Conditions and effects are stored by their index in two tables kept beside the records: the
conditions as `[source, tree]` pairs, the effects as records (`meter`, `kind`, `amount`). A story
repeats the same few of each thousands of times, so each distinct one is written once and, read
back, is one object (a condition compiled at most once).
"""

from __future__ import annotations

from engine.story import model
from engine.story.conditions import Condition

# Effect kinds read back as the model's own strings, so the session compares them by identity.
_EFFECT_KINDS = {kind: kind for kind in (model.ADD, model.SET, model.FAIR_UP, model.FAIR_DOWN)}


class SceneEncoder:
    """Turns scenes into records, gathering the tables of the conditions and effects they use."""

    def __init__(self) -> None:
        self.conditions: list[list] = []  # [source, tree] per distinct condition
        self.effects: list[dict] = []  # a record per distinct effect
        self._conditions: dict[str, int] = {}
        self._effects: dict[model.Effect, int] = {}

    def condition(self, condition: Condition) -> int:
        """The index of a condition in its table, adding it when it is new."""
        index = self._conditions.get(condition.source)
        if index is None:
            index = self._conditions[condition.source] = len(self.conditions)
            self.conditions.append([condition.source, condition.tree])
        return index

    def effect(self, effect: model.Effect) -> int:
        """The index of an effect in its table, adding it when it is new."""
        index = self._effects.get(effect)
        if index is None:
            index = self._effects[effect] = len(self.effects)
            self.effects.append(
                {"meter": effect.meter, "kind": effect.kind, "amount": effect.amount}
            )
        return index

    def record(self, scene: model.Scene) -> dict:
        """A scene's record (its id is kept beside it, not in it)."""
        record: dict = {"kind": scene.kind, "text": scene.text}
        if scene.title is not None:
            record["title"] = scene.title
        if scene.image is not None:
            record["image"] = _image(scene.image)
        if scene.mood is not None:
            record["mood"] = scene.mood
        if scene.place is not None:
            place = scene.place
            record["place"] = {"file": place.file, "line": place.line, "col": place.col}
        if scene.choices:
            record["choices"] = [self._choice(choice) for choice in scene.choices]
        if scene.routes:
            record["routes"] = [self._route(route) for route in scene.routes]
        if scene.ending is not None:
            record["ending"] = _ending(scene.ending)
            if scene.ending.expect is not None:
                record["ending"]["condition"] = self.condition(scene.ending.expect)
        return record

    def _choice(self, choice: model.Choice) -> dict:
        record: dict = {"id": choice.id, "text": choice.text}
        if choice.goto is not None:
            record["goto"] = choice.goto
        if choice.outcomes:
            record["outcomes"] = [self._outcome(outcome) for outcome in choice.outcomes]
        if choice.response is not None:
            record["response"] = choice.response
        if choice.condition is not None:
            record["condition"] = self.condition(choice.condition)
        if choice.locked is not None:
            record["locked"] = choice.locked
        self._results(record, choice)
        return record

    def _outcome(self, outcome: model.Outcome) -> dict:
        record: dict = {"goto": outcome.goto}
        if outcome.weight != 1.0:
            record["weight"] = outcome.weight
        if outcome.condition is not None:
            record["condition"] = self.condition(outcome.condition)
        self._results(record, outcome)
        return record

    def _results(self, record: dict, source: model.Choice | model.Outcome) -> None:
        """The fields a choice and an outcome share: effects, flags set and feedback."""
        if source.effects:
            record["effects"] = [self.effect(effect) for effect in source.effects]
        if source.sets:
            record["sets"] = [[name, value] for name, value in source.sets]
        if source.feedback is not None:
            record["feedback"] = source.feedback

    def invariant(self, invariant: model.Invariant) -> dict:
        """An invariant of the head as a record."""
        record: dict = {"name": invariant.name, "condition": self.condition(invariant.check)}
        if invariant.place is not None:
            place = invariant.place
            record["place"] = {"file": place.file, "line": place.line, "col": place.col}
        return record

    def _route(self, route: model.Route) -> dict:
        record: dict = {"goto": route.goto}
        if route.condition is not None:
            record["condition"] = self.condition(route.condition)
        return record


def _image(image: model.Image) -> dict:
    return {
        "file": image.file,
        "path": image.path,
        "alt": image.alt,
        "width": image.width,
        "height": image.height,
    }


def _ending(ending: model.Ending) -> dict:
    record: dict = {"title": ending.title}
    if ending.debrief is not None:
        record["debrief"] = ending.debrief
    if ending.questions:
        record["questions"] = list(ending.questions)
    if ending.support:
        record["support"] = True
    return record


class SceneDecoder:
    """Turns records back into scenes, given the tables of conditions and effects written with
    them; a malformed table raises ValueError, KeyError or TypeError."""

    def __init__(self, conditions: list, effects: list) -> None:
        self.conditions = [Condition(source, tree) for source, tree in conditions]
        self.effects = [_effect(record) for record in effects]

    def scene(self, scene_id: str, record: dict) -> model.Scene:
        """The scene of a record; a malformed record raises ValueError, KeyError, TypeError,
        IndexError or AttributeError."""
        kind = record["kind"]
        if kind not in (model.CHOICES, model.ROUTER, model.ENDING):
            raise ValueError(f"unknown scene kind {kind!r}")
        place = record.get("place")
        ending = record.get("ending")
        image = record.get("image")
        return model.Scene(
            scene_id,
            record["text"],
            kind,
            record.get("title"),
            choices=tuple(self._choice(choice) for choice in record.get("choices", ())),
            routes=tuple(
                model.Route(route["goto"], self._condition(route))
                for route in record.get("routes", ())
            ),
            ending=None
            if ending is None
            else model.Ending(
                ending["title"],
                ending.get("debrief"),
                tuple(ending.get("questions", ())),
                ending.get("support", False),
                self._condition(ending),
            ),
            place=None
            if place is None
            else model.Place(place["file"], place["line"], place["col"]),
            image=None if image is None else model.Image(**image),
            mood=record.get("mood"),
        )

    def _choice(self, record: dict) -> model.Choice:
        return model.Choice(
            record["id"],
            record["text"],
            record.get("goto"),
            tuple(self._outcome(outcome) for outcome in record.get("outcomes", ())),
            record.get("response"),
            self._condition(record),
            record.get("locked"),
            self._effects_of(record),
            _sets(record),
            record.get("feedback"),
        )

    def _outcome(self, record: dict) -> model.Outcome:
        return model.Outcome(
            record["goto"],
            record.get("weight", 1.0),
            self._condition(record),
            self._effects_of(record),
            _sets(record),
            record.get("feedback"),
        )

    def invariant(self, record: dict) -> model.Invariant:
        """The invariant of a record from `SceneEncoder.invariant`."""
        place = record.get("place")
        return model.Invariant(
            record["name"],
            self.conditions[record["condition"]],
            None if place is None else model.Place(place["file"], place["line"], place["col"]),
        )

    def _condition(self, record: dict) -> Condition | None:
        index = record.get("condition")
        return None if index is None else self.conditions[index]

    def _effects_of(self, record: dict) -> tuple[model.Effect, ...]:
        effects = self.effects
        return tuple(effects[index] for index in record.get("effects", ()))


def _effect(record: dict) -> model.Effect:
    return model.Effect(record["meter"], _EFFECT_KINDS[record["kind"]], record["amount"])


def _sets(record: dict) -> tuple[tuple[str, bool], ...]:
    return tuple((name, value) for name, value in record.get("sets", ()))
