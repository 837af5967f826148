"""Scenes as plain nested lists and back: the form the compiled cache stores (as JSON) and the
parallel loader passes between processes (pickled).

A record holds only strings, numbers, booleans, None and lists. Conditions are stored by their
index in a table of `[source, tree]` pairs kept beside the records, so each distinct condition is
written once and, read back, is one `Condition` object, compiled at most once.
"""

from __future__ import annotations

from engine.story import model
from engine.story.conditions import Condition

_KINDS = {kind: kind for kind in (model.ADD, model.SET, model.FAIR_UP, model.FAIR_DOWN)}


class SceneEncoder:
    """Turns scenes into records, gathering the table of the conditions they use."""

    def __init__(self) -> None:
        self.conditions: list[list] = []  # [source, tree] per distinct condition
        self._index: dict[str, int] = {}

    def condition(self, cond: Condition | None) -> int | None:
        if cond is None:
            return None
        index = self._index.get(cond.source)
        if index is None:
            index = self._index[cond.source] = len(self.conditions)
            self.conditions.append([cond.source, cond.tree])
        return index

    def record(self, scene: model.Scene) -> list:
        """`[text, kind, title, place, body]`; the body depends on the kind."""
        condition = self.condition
        place = [scene.place.file, scene.place.line, scene.place.col] if scene.place else None
        body: list = []
        if scene.kind == model.CHOICES:
            body = [[c.id, c.text, c.goto, c.response, condition(c.condition), c.locked,
                     _effects(c.effects), _sets(c.sets), c.feedback,
                     [[o.goto, o.weight, condition(o.condition), _effects(o.effects),
                       _sets(o.sets), o.feedback] for o in c.outcomes]]
                    for c in scene.choices]
        elif scene.kind == model.ROUTER:
            body = [[route.goto, condition(route.condition)] for route in scene.routes]
        else:
            ending = scene.ending
            body = [ending.title, ending.debrief, list(ending.questions), ending.support]
        return [scene.text, scene.kind, scene.title, place, body]


def _effects(items: tuple[model.Effect, ...]) -> list:
    return [[e.meter, e.kind, e.amount] for e in items]


def _sets(items: tuple[tuple[str, bool], ...]) -> list:
    return [[name, value] for name, value in items]


class SceneDecoder:
    """Turns records back into scenes, given the table of conditions written with them.

    `known` offers conditions already built (by source text), so a condition met both here and
    elsewhere stays one object.
    """

    def __init__(self, conditions: list, known: dict[str, object] | None = None):
        known = known or {}
        table = []
        for source, tree in conditions:
            existing = known.get(source)
            table.append(existing if isinstance(existing, Condition) and existing.tree == tree
                         else Condition(source, tree))
        self.conditions = table
        self._effects: dict[tuple, model.Effect] = {}

    def effects(self, items: list) -> tuple[model.Effect, ...]:
        built = []
        table = self._effects
        for meter, kind, amount in items:
            key = (meter, kind, amount)
            effect = table.get(key)
            if effect is None:
                effect = table[key] = model.Effect(meter, _KINDS[kind], amount)
            built.append(effect)
        return tuple(built)

    def scene(self, scene_id: str, record: list) -> model.Scene:
        """The scene of a record; a malformed record raises ValueError, KeyError, TypeError or
        IndexError."""
        text, kind, title, place, body = record
        where = model.Place(*place) if place else None
        conditions, effects = self.conditions, self.effects

        def condition(index: int | None) -> Condition | None:
            return None if index is None else conditions[index]

        def sets(items: list) -> tuple[tuple[str, bool], ...]:
            return tuple((name, value) for name, value in items)

        if kind == model.CHOICES:
            choices = tuple(
                model.Choice(cid, ctext, goto, tuple(
                    model.Outcome(ogoto, weight, condition(ocond), effects(oeff), sets(oset),
                                  ofeed)
                    for ogoto, weight, ocond, oeff, oset, ofeed in outcomes
                ), response, condition(cond), locked, effects(eff), sets(flag_sets), feedback)
                for cid, ctext, goto, response, cond, locked, eff, flag_sets, feedback, outcomes
                in body
            )
            return model.Scene(scene_id, text, model.CHOICES, title, choices=choices,
                               place=where)
        if kind == model.ROUTER:
            routes = tuple(model.Route(goto, condition(cond)) for goto, cond in body)
            return model.Scene(scene_id, text, model.ROUTER, title, routes=routes, place=where)
        if kind != model.ENDING:
            raise ValueError(f"unknown scene kind {kind!r}")
        ending = model.Ending(body[0], body[1], tuple(body[2]), body[3])
        return model.Scene(scene_id, text, model.ENDING, title, ending=ending, place=where)
