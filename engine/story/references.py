"""Pass 2's references: scene ids, meters, flags and responses named by a scene's fields, each
checked against what pass 1 found (the head's declarations and the scene index), and the fields
built from them: conditions (`if`), meter changes (`effects`) and flag changes (`set`).

Each distinct condition text is parsed and checked once, and each distinct effect built once,
however often they appear; their problems are reported wherever they appear.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from yaml.nodes import Node, ScalarNode

from engine.story import keys, lint, model
from engine.story.conditions import (
    Condition,
    ConditionError,
    Names,
    names_by_kind,
    parse_condition,
    resolve_condition,
    shorten,
)
from engine.story.diagnostics import WARNING, suggest
from engine.story.head import Head
from engine.story.nodes import BOOL_TAG, FLOAT_TAG, Fields, NodeReader, yaml_bool
from engine.story.yaml_source import PLAIN_TAGS, describe_node

_EFFECT = re.compile(keys.EFFECT_PATTERN + r"\Z")
MAX_PERCENT = 100  # '%+N' moves N% of the way to the max: at most all of it


def whole_number(written: str) -> int | None:
    """The whole number `written` (a sign and digits), or None when it lies beyond the
    format's bounds; never turns thousands of digits into a number."""
    digits = written.strip().lstrip("+-").lstrip("0")
    if len(digits) > len(str(keys.NUMBER_LIMIT)):
        return None
    value = int(written)
    return value if -keys.NUMBER_LIMIT <= value <= keys.NUMBER_LIMIT else None


Checked = Condition | list[tuple[ConditionError, str]]  # a condition, or its coded problems


class References:
    """What pass 2 checks references against, and what it learns of their use (for lint)."""

    def __init__(self, head: Head, scenes: Collection[str], unreadable: list[str]) -> None:
        self.meters = head.meters
        self.flags = head.flags
        self.responses = head.responses
        self.moods = head.moods
        self.scenes = scenes  # every scene id of the story
        self.unreadable = unreadable  # files that could not be read: a missing scene may be there
        self.names = Names(self.meters, self.flags, scenes, self.responses)
        self.usage = lint.Usage()
        self.lint_budget = lint.Budget()  # what W108 may still spend proving conditions impossible
        self._conditions: dict[str, Checked] = {}
        self._condition_facts: dict[str, tuple[frozenset[str], bool]] = {}
        self._effects: dict[tuple[str, str, str], model.Effect] = {}

    # Names -------------------------------------------------------------------------------------

    def scene(self, reader: NodeReader, fields: Fields, name: str, what: str) -> str | None:
        """The scene id under `name`, when the key is there and the scene exists."""
        if name not in fields:
            return None
        node = fields[name][1]
        scene_id = reader.text(node, f"{what} (a scene id)")
        if scene_id is None:
            return None
        if scene_id not in self.scenes:
            help = suggest(scene_id, self.scenes) or "add the scene, or point to one that exists"
            if self.unreadable:
                help = self._unreadable_help()
            reader.error(node, "E020", f"{what} names a missing scene '{scene_id}'", help)
            return None
        return scene_id

    def known(
        self, reader: NodeReader, node: Node, table: Mapping[str, object], kind: str, code: str
    ) -> str | None:
        """A name that must be declared in `table` (the head's meters, flags or responses)."""
        name = reader.text(node, f"a {kind} id")
        if name is None:
            return None
        if name not in table:
            self.unknown(reader, node, table, kind, code)
            return None
        return name

    def unknown(
        self, reader: NodeReader, node: Node, table: Mapping[str, object], kind: str, code: str
    ) -> None:
        name = node.value if isinstance(node, ScalarNode) else "?"
        help = suggest(name, table)
        if help is None and not table:
            help = f"the story declares no {kind}s: add '{kind}s:' to its head"
        reader.error(node, code, f"unknown {kind} '{name}'", help)

    def _unreadable_help(self) -> str:
        return (
            f"it may be defined in {', '.join(self.unreadable)}, which could not be read: "
            "fix that file first"
        )

    # Conditions --------------------------------------------------------------------------------

    def condition(
        self, reader: NodeReader, fields: Fields, never: str, key: str = "if"
    ) -> Condition | None:
        """The checked condition under `key` ('if', an ending's 'expect', an invariant's
        'check'); `never` says what it means if it can never hold."""
        if key not in fields:
            return None
        node = fields[key][1]
        if not isinstance(node, ScalarNode):
            if reader.plain(node):
                reader.wrong_type(node, "a condition", f"'{key}'")
            return None
        if node.tag not in PLAIN_TAGS and not reader.plain(node):
            return None
        source = node.value
        if node.tag == BOOL_TAG:
            source = "true" if yaml_bool(node) else "false"
        checked = self._conditions.get(source)
        if checked is None:
            checked = self._conditions[source] = self._check_condition(source)
        if isinstance(checked, Condition):
            flags_read, impossible = self._condition_facts[source]
            self.usage.flags_read |= flags_read
            if impossible:
                reader.error(
                    node,
                    "W108",
                    "this condition can never hold, whatever the meters' "
                    f"values within their ranges: {never}",
                    "check the numbers against the meters' min and max",
                    severity=WARNING,
                )
            return checked
        for problem, code in checked:
            self._condition_problem(reader, node, problem, code)
        return None

    def _check_condition(self, source: str) -> Checked:
        """A checked condition, or its problems with their codes. One Condition per distinct
        source text, so each is compiled once however often it appears."""
        try:
            parsed = parse_condition(source)
        except ConditionError as problem:
            return [(problem, problem.code or "E030")]
        tree, problems = resolve_condition(parsed, self.names)
        if not problems:
            condition = Condition(source, tree)
            names = names_by_kind(tree)
            self._condition_facts[source] = (
                frozenset(names.get("flag", ())),
                lint.never_holds(condition, self.meters, names, self.lint_budget),
            )
            return condition
        coded = []
        for problem in problems:
            code = (
                "E032"
                if "cannot be" in problem.message or "compares" in problem.message
                else "E020"
                if problem.message.startswith("visited()")
                else "E023"
                if problem.message.startswith("chosen()")
                else "E031"
            )
            coded.append((problem, code))
        return coded

    def _condition_problem(
        self, reader: NodeReader, node: ScalarNode, problem: ConditionError, code: str
    ) -> None:
        """Report a problem in a condition at its column in the file, when the condition is on
        one line, or at the condition's start."""
        help = problem.help
        if code == "E020" and self.unreadable:
            help = self._unreadable_help()
        mark = node.start_mark
        column = mark.column + 1
        if node.style not in ("|", ">") and node.end_mark.line == mark.line:
            column += problem.column + (1 if node.style in ("'", '"') else 0)
        reader.error_at(
            mark.line + 1, column, code, f"in condition: {problem.message}", help, problem.length
        )

    # Effects and flags -------------------------------------------------------------------------

    def effects(self, reader: NodeReader, fields: Fields) -> tuple[model.Effect, ...]:
        """The changes to meters under 'effects'."""
        if "effects" not in fields:
            return ()
        effects = []
        for key, node in reader.id_map(fields["effects"][1], "'effects'", None, "meter"):
            meter = self.meters.get(key.value)
            if meter is None:
                self.unknown(reader, key, self.meters, "meter", "E021")
                continue
            known = (meter.id, node.value, node.tag) if node.__class__ is ScalarNode else None
            effect = self._effects.get(known) if known else None
            if effect is None:
                effect = self._effect(reader, node, meter)
                if effect is not None and known:
                    self._effects[known] = effect  # one Effect per distinct change, checked once
            if effect is not None:
                effects.append(effect)
                self.usage.meters_changed.add(meter.id)
        return tuple(effects)

    def _effect(self, reader: NodeReader, node: Node, meter: model.Meter) -> model.Effect | None:
        what = f"the effect on '{meter.id}'"
        if not isinstance(node, ScalarNode):
            if reader.plain(node):
                reader.error(
                    node, "E040", f"{what} must be a change such as +5, not {describe_node(node)}"
                )
            return None
        if node.tag not in PLAIN_TAGS and not reader.plain(node):
            return None
        match = _EFFECT.match(node.value) if node.tag != FLOAT_TAG else None
        if match is None:
            reader.error(node, "E040", f"{what} is not a change this engine knows: {node.value!r}")
            return None
        written = match["add"] or match["set"] or match["pct"]
        amount = whole_number(written)
        if amount is None:
            reader.error(
                node, "E042", f"{what} holds the number {shorten(written.strip())}, out of range"
            )
            return None
        if match["add"] is not None:
            return model.Effect(meter.id, model.ADD, amount)
        if match["set"] is not None:
            if not meter.minimum <= amount <= meter.maximum:
                reader.error(
                    node,
                    "E040",
                    f"{what} sets it to {amount}, outside {meter.minimum}..{meter.maximum}",
                )
                return None
            return model.Effect(meter.id, model.SET, amount)
        if amount > MAX_PERCENT:
            reader.error(
                node,
                "E040",
                f"{what} moves {amount}% of the way; at most {MAX_PERCENT}% is possible",
            )
            return None
        kind = model.FAIR_UP if match["sign"] == "+" else model.FAIR_DOWN
        return model.Effect(meter.id, kind, amount)

    def sets(self, reader: NodeReader, fields: Fields) -> tuple[tuple[str, bool], ...]:
        """The flags set under 'set', with their values."""
        if "set" not in fields:
            return ()
        sets = []
        for key, node in reader.id_map(fields["set"][1], "'set'", None, "flag"):
            if key.value not in self.flags:
                self.unknown(reader, key, self.flags, "flag", "E022")
                continue
            value = reader.boolean(node, f"the value set for the flag '{key.value}'")
            if value is not None:
                sets.append((key.value, value))
                self.usage.flags_set.add(key.value)
        return tuple(sets)
