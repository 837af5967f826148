"""Conditions: parsed once by a whitelist over Python's `ast`, never evaluated by Python.

An author's condition (`trust >= 60 and not met_family`) goes through three steps:

1. `parse_condition` turns the text into a small tree of plain tuples, accepting only the
   documented forms: numbers, true/false, names, `visited('scene')`, `chosen('response')`,
   `turns()`, comparisons, `and`/`or`/`not`, `+ - * /` and parentheses. Anything else is a
   `ConditionError` with the column it starts at.
2. `resolve_condition` checks every name against the story's meters, flags, scenes and
   responses, tags each name with what it is, and checks types (no arithmetic on flags, no
   ordering of true/false).
3. `Condition` turns the resolved tree into nested closures over the session's dictionaries.

The resolved tree is plain data (lists, strings, numbers), so it can be cached as JSON.

The third mapping a test reads holds the path so far: each scene's visit count by its id, and
the path's tallies under keys no scene id can have (`chosen_key(response)`, `TURNS_KEY`), so
that one dictionary, copied with the session's snapshots and saves, carries them all.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass

from engine.story.diagnostics import suggest
from engine.story.keys import NUMBER_LIMIT
from engine.story.text import CONTROL, describe_control

MAX_LENGTH = 1000
MAX_DEPTH = 60

NUM = "number"
BOOL = "truth value"

RESERVED = frozenset(
    {"and", "or", "not", "true", "false", "True", "False", "visited", "chosen", "turns", "None"}
)
FUNCTIONS = ("visited", "chosen", "turns")
# The path's tallies among the visit counts: ':' is in no scene id (keys.ID_PATTERN).
CHOSEN_PREFIX = "chosen:"
TURNS_KEY = "turns:"


def chosen_key(response: str) -> str:
    """Where the count of choices made carrying `response` is kept among the visit counts."""
    return CHOSEN_PREFIX + response


def count_turn(visits: dict[str, int], response: str | None) -> None:
    """Add one choice (carrying `response`, or none) to the path's tallies in `visits`."""
    visits[TURNS_KEY] = visits.get(TURNS_KEY, 0) + 1
    if response is not None:
        key = CHOSEN_PREFIX + response
        visits[key] = visits.get(key, 0) + 1


def is_tally(key: str, responses: Collection[str]) -> bool:
    """Whether a key of the visit counts is one of the path's tallies for these responses."""
    return key == TURNS_KEY or (
        key.startswith(CHOSEN_PREFIX) and key[len(CHOSEN_PREFIX) :] in responses
    )


_COMPARE = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_OPERATORS: dict[str, Callable] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}
_CONSTANT_NAMES = {"true": True, "false": False, "True": True, "False": False}


class ConditionError(Exception):
    """A problem in a condition, at a 0-based column of its text; `code` is its diagnostic code
    when it is not the usual one for its step (E030 for parsing)."""

    def __init__(
        self,
        message: str,
        column: int = 0,
        length: int = 1,
        help: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.length = length
        self.help = help
        self.code = code


# Parsing -------------------------------------------------------------------------------------


def parse_condition(source: str) -> list:
    """Parse condition text into a tree; names are still unresolved (`["name", n, col]`)."""
    if not source.strip():
        raise ConditionError(
            "the condition is empty", 0, 1, "write a condition such as 'trust > 50'"
        )
    source = source.replace("\r", " ").replace("\n", " ")  # a folded or literal block scalar
    if len(source) > MAX_LENGTH:
        raise ConditionError(f"the condition is longer than {MAX_LENGTH} characters", 0)
    control = CONTROL.search(source)
    if control is not None:
        character = describe_control(control[0])
        message = f"the condition holds the control character {character}"
        raise ConditionError(message, control.start(), 1, code="E019")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        lead = len(source) - len(source.lstrip())
        if not error.offset:  # Python reports an early end of input at offset 0
            column, message = lead + len(source.strip()), "the condition ends too early"
        else:
            column = min(error.offset - 1, len(source.strip())) + lead
            message = "the condition is not valid: " + _syntax_message(error)
        help, slip = _syntax_help(source)
        if slip is not None:  # point at the slip itself, not where Python gave up
            column = source.find(slip)
        raise ConditionError(message, column, len(slip or " "), help) from None
    except (RecursionError, MemoryError, ValueError):
        raise ConditionError("the condition is nested too deeply", 0) from None
    offset = len(source) - len(source.lstrip())
    return _Converter(source.strip(), offset).convert(tree.body, 0)


def _syntax_message(error: SyntaxError) -> str:
    message = error.msg or "syntax error"
    return "unexpected end of the condition" if "EOF" in message else message


def _syntax_help(source: str) -> tuple[str, str | None]:
    """A hint for a syntax error, and the slip it is about when one is recognised."""
    for slip, word in (("&&", "and"), ("||", "or"), ("=>", ">="), ("=<", "<=")):
        if slip in source:
            return f"write '{word}' instead of '{slip}'", slip
    if re.search(r"!(?!=)", source):
        return "write 'not' instead of '!'", "!"
    match = re.search(r"(?<![=!<>])=(?!=)", source)
    if match:
        return "compare with '==' (a single '=' is not a comparison)", None
    return CONDITION_HELP, None


CONDITION_HELP = "conditions use names, numbers, comparisons, and/or/not, + - * / and parentheses"


class _Converter:
    """Walks a Python AST, keeping only the whitelisted forms."""

    def __init__(self, source: str, offset: int) -> None:
        self.source = source
        self.offset = offset
        self.encoded = source.encode("utf-8")

    def column(self, node: ast.AST) -> int:
        # ast offsets count UTF-8 bytes; the author counts characters.
        byte_offset = getattr(node, "col_offset", 0)
        return len(self.encoded[:byte_offset].decode("utf-8", errors="ignore")) + self.offset

    def length(self, node: ast.AST) -> int:
        end = getattr(node, "end_col_offset", None)
        if end is None or getattr(node, "end_lineno", 1) != getattr(node, "lineno", 1):
            return 1
        start = getattr(node, "col_offset", 0)
        return max(1, len(self.encoded[start:end].decode("utf-8", errors="ignore")))

    def fail(
        self, node: ast.AST, message: str, help: str | None = None, code: str | None = None
    ) -> ConditionError:
        return ConditionError(message, self.column(node), self.length(node), help, code)

    def convert(self, node: ast.AST, depth: int) -> list:
        if depth > MAX_DEPTH:
            raise self.fail(node, "the condition is nested too deeply")
        depth += 1
        if isinstance(node, ast.BoolOp):
            kind = "and" if isinstance(node.op, ast.And) else "or"
            return [kind, [self.convert(value, depth) for value in node.values]]
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth)
        if isinstance(node, ast.BinOp):
            symbol = _ARITH.get(type(node.op))
            if symbol is None:
                raise self.fail(node, "only + - * / are allowed for arithmetic", CONDITION_HELP)
            left, right = self.convert(node.left, depth), self.convert(node.right, depth)
            return ["arith", symbol, left, right]
        if isinstance(node, ast.Compare):
            symbols = []
            for op in node.ops:
                symbol = _COMPARE.get(type(op))
                if symbol is None:
                    raise self.fail(node, "only < <= > >= == != may compare", CONDITION_HELP)
                symbols.append(symbol)
            operands = [self.convert(node.left, depth)]
            operands += [self.convert(right, depth) for right in node.comparators]
            return ["compare", symbols, operands]
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            if node.id in _CONSTANT_NAMES:
                return ["const", _CONSTANT_NAMES[node.id]]
            return ["name", node.id, self.column(node), self.length(node)]
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.fail(node, f"{_describe(node)} is not allowed in a condition", CONDITION_HELP)

    def unary(self, node: ast.UnaryOp, depth: int) -> list:
        operand = self.convert(node.operand, depth)
        if isinstance(node.op, ast.Not):
            return ["not", operand]
        if isinstance(node.op, ast.USub):
            if operand[0] == "const" and not isinstance(operand[1], bool):
                return ["const", -operand[1]]
            return ["neg", operand]
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.fail(node, "'~' is not allowed in a condition", "write 'not' to negate")

    def constant(self, node: ast.Constant) -> list:
        value = node.value
        if isinstance(value, bool):
            return ["const", value]
        if value is None:
            raise self.fail(node, "'None' is not allowed in a condition", "write true or false")
        if isinstance(value, int | float):
            if not in_range(value):
                written = self.encoded[node.col_offset : node.end_col_offset].decode("utf-8")
                raise self.fail(node, f"the number {shorten(written)} is out of range", code="E042")
            return ["const", value]
        if isinstance(value, str):
            raise self.fail(
                node,
                "text is only allowed inside visited('scene') and chosen('response')",
                "compare meters with numbers",
            )
        raise self.fail(node, f"{type(value).__name__} values are not allowed in a condition")

    def call(self, node: ast.Call) -> list:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            raise self.fail(
                node.func,
                "the only functions a condition may call are visited('scene'), chosen('response') "
                "and turns()",
                CONDITION_HELP,
            )
        if node.keywords:
            raise self.fail(node, f"{name}() takes no named arguments")
        if name == "turns":
            if node.args:
                raise self.fail(node, "turns() takes nothing between its brackets", "write turns()")
            return ["turns", self.column(node), self.length(node)]
        what = "scene id" if name == "visited" else "response id"
        if len(node.args) != 1:
            raise self.fail(node, f"{name}() takes exactly one {what}, in quotes")
        argument = node.args[0]
        if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
            raise self.fail(
                argument, f"{name}() takes a {what} in quotes", f"write {name}('{what[:-3]}_id')"
            )
        return [name, argument.value, self.column(argument), self.length(argument)]


def in_range(value: float) -> bool:
    """Whether a number lies within the story format's bounds (and is not infinite)."""
    return -NUMBER_LIMIT <= value <= NUMBER_LIMIT  # false for nan and the infinities too


def shorten(written: str) -> str:
    """A number as written, cut short when it is long (a number of 400 digits is not shown)."""
    return written if len(written) <= 20 else f"{written[:12]}... ({len(written)} characters)"


def _describe(node: ast.AST) -> str:
    names = {
        ast.Attribute: "attribute access ('.')",
        ast.Subscript: "indexing ('[...]')",
        ast.Lambda: "lambda",
        ast.IfExp: "'if ... else'",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dict",
        ast.Set: "a set",
        ast.JoinedStr: "an f-string",
        ast.NamedExpr: "':='",
        ast.Starred: "'*'",
        ast.Await: "'await'",
    }
    for kind, text in names.items():
        if isinstance(node, kind):
            return text
    return type(node).__name__


# Resolving -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Names:
    """What a condition may refer to."""

    meters: Collection[str]
    flags: Collection[str]
    scenes: Collection[str]
    responses: Collection[str] = ()


def resolve_condition(tree: list, names: Names) -> tuple[list, list[ConditionError]]:
    """Resolve names and check types. Returns the resolved tree and every problem found."""
    problems: list[ConditionError] = []
    resolved, _ = _resolve(tree, names, problems)
    return resolved, problems


def _resolve(tree: list, names: Names, problems: list[ConditionError]) -> tuple[list, str]:
    kind = tree[0]
    if kind == "const":
        return tree, BOOL if isinstance(tree[1], bool) else NUM
    if kind == "name":
        return _resolve_name(tree, names, problems)
    if kind == "visited":
        _, scene, column, length = tree
        if scene not in names.scenes:
            problems.append(
                ConditionError(
                    f"visited() names a missing scene '{scene}'",
                    column,
                    length,
                    suggest(scene, names.scenes) or "name a scene that exists",
                )
            )
        return ["visited", scene], NUM
    if kind == "chosen":
        _, response, column, length = tree
        if response not in names.responses:
            declared = ", ".join(names.responses) or "none"
            problems.append(
                ConditionError(
                    f"chosen() names an unknown response '{response}' (declared: {declared})",
                    column,
                    length,
                    suggest(response, names.responses)
                    or "name a response declared under 'responses:' in the story's head",
                )
            )
        return ["chosen", response], NUM
    if kind == "turns":
        return ["turns"], NUM
    if kind in ("and", "or"):
        return [kind, [_resolve(part, names, problems)[0] for part in tree[1]]], BOOL
    if kind == "not":
        return ["not", _resolve(tree[1], names, problems)[0]], BOOL
    if kind == "neg":
        operand, operand_type = _resolve(tree[1], names, problems)
        _expect_number(tree[1], operand_type, "negated with '-'", problems)
        return ["neg", operand], NUM
    if kind == "arith":
        left, left_type = _resolve(tree[2], names, problems)
        right, right_type = _resolve(tree[3], names, problems)
        _expect_number(tree[2], left_type, f"used with '{tree[1]}'", problems)
        _expect_number(tree[3], right_type, f"used with '{tree[1]}'", problems)
        return ["arith", tree[1], left, right], NUM
    if kind == "compare":
        return _resolve_compare(tree, names, problems), BOOL
    raise AssertionError(f"unknown condition node {kind!r}")


def _resolve_name(tree: list, names: Names, problems: list[ConditionError]) -> tuple[list, str]:
    _, name, column, length = tree
    if name in names.meters:
        return ["meter", name], NUM
    if name in names.flags:
        return ["flag", name], BOOL
    hint = {
        "turns": "turns() needs its brackets: write turns()",
        "chosen": "chosen() counts a response: write chosen('accept')",
        "visited": "visited() counts a scene's visits: write visited('scene_id')",
    }.get(name) or suggest(name, [*names.meters, *names.flags])
    if hint is None and name in names.scenes:
        hint = f"to test a scene, write visited('{name}')"
    problems.append(
        ConditionError(
            f"unknown name '{name}': not a meter or a flag",
            column,
            length,
            hint or "declare it under 'meters:' or 'flags:' in the story's head",
        )
    )
    return ["const", 0], NUM


def _resolve_compare(tree: list, names: Names, problems: list[ConditionError]) -> list:
    _, symbols, operands = tree
    resolved = [_resolve(operand, names, problems) for operand in operands]
    for index, symbol in enumerate(symbols):
        (_, left_type), (_, right_type) = resolved[index], resolved[index + 1]
        if symbol in ("==", "!="):
            if left_type != right_type:
                problems.append(
                    _at(
                        operands[index + 1],
                        f"'{symbol}' compares a {left_type} with a {right_type}",
                        "compare flags with true or false, and meters with numbers",
                    )
                )
        else:
            _expect_number(operands[index], left_type, f"ordered with '{symbol}'", problems)
            _expect_number(operands[index + 1], right_type, f"ordered with '{symbol}'", problems)
    return ["compare", symbols, [node for node, _ in resolved]]


def _expect_number(tree: list, found: str, action: str, problems: list[ConditionError]) -> None:
    if found != NUM:
        problems.append(
            _at(
                tree,
                f"a {found} cannot be {action}",
                "flags are true or false; use and/or/not with them",
            )
        )


def _at(tree: list, message: str, help: str) -> ConditionError:
    column, length = _position(tree)
    return ConditionError(message, column, length, help)


def _position(tree: list) -> tuple[int, int]:
    if tree[0] in ("name", "visited", "chosen"):
        return tree[2], tree[3]
    if tree[0] == "turns" and len(tree) == 3:
        return tree[1], tree[2]
    for part in tree[1:]:
        if isinstance(part, list) and part and isinstance(part[0], str):
            return _position(part)
        if isinstance(part, list):
            for item in part:
                if isinstance(item, list):
                    return _position(item)
    return 0, 1


def names_in(tree: list, kind: str) -> set[str]:
    """The meter, flag or visited-scene names (or constants) a resolved tree refers to."""
    return names_by_kind(tree).get(kind, set())


def names_by_kind(tree: list) -> dict[str, set]:
    """Every name a resolved tree refers to, by kind ('meter', 'flag', 'visited', 'chosen',
    'const'; 'turns' maps to {True} when the tree counts turns), in one walk."""
    found: dict[str, set] = {}
    for node in _walk(tree):
        if node[0] in _LEAVES:
            found.setdefault(node[0], set()).add(node[1] if len(node) > 1 else True)
    return found


def path_keys(tree: list) -> set[str]:
    """The keys among the visit counts that a resolved tree reads: visited scenes' ids, and
    the tallies of chosen() and turns()."""
    names = names_by_kind(tree)
    keys = set(names.get("visited", ()))
    keys.update(chosen_key(response) for response in names.get("chosen", ()))
    if "turns" in names:
        keys.add(TURNS_KEY)
    return keys


def tree_size(tree: list) -> int:
    """How many parts (operators, names and numbers) a resolved tree has: what one evaluation
    of it costs."""
    return sum(1 for _ in _walk(tree))


def _walk(tree: list) -> Iterator[list]:
    """Every node of a resolved tree (operators and leaves), without recursion."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if node[0] in _LEAVES:
            continue
        for part in node[1:]:
            if isinstance(part, list) and part:
                if isinstance(part[0], str) and part[0] in _KINDS:
                    stack.append(part)
                else:
                    stack.extend(item for item in part if isinstance(item, list))


_LEAVES = frozenset({"const", "meter", "flag", "visited", "chosen", "turns"})
_KINDS = frozenset(
    {
        "const",
        "meter",
        "flag",
        "visited",
        "chosen",
        "turns",
        "and",
        "or",
        "not",
        "neg",
        "arith",
        "compare",
    }
)


# Compiling -----------------------------------------------------------------------------------

State = Callable[[Mapping[str, int], Mapping[str, bool], Mapping[str, int]], object]


def _divide(left: float, right: float) -> float:
    return left / right if right else 0


def _as_float(value: float) -> float:
    """A number as a float, a whole number too large for one becoming an infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def compile_tree(tree: list) -> State:
    """Turn a resolved tree into a function of (meters, flags, visits)."""
    kind = tree[0]
    if kind == "const":
        value = tree[1]
        return lambda m, f, v: value
    if kind == "meter":
        name = tree[1]
        return lambda m, f, v: m[name]
    if kind == "flag":
        name = tree[1]
        return lambda m, f, v: f[name]
    if kind == "visited":
        scene = tree[1]
        return lambda m, f, v: v.get(scene, 0)
    if kind == "chosen":
        key = chosen_key(tree[1])
        return lambda m, f, v: v.get(key, 0)
    if kind == "turns":
        return lambda m, f, v: v.get(TURNS_KEY, 0)
    if kind == "not":
        if tree[1][0] == "flag":
            name = tree[1][1]
            return lambda m, f, v: not f[name]
        inner = compile_tree(tree[1])
        return lambda m, f, v: not inner(m, f, v)
    if kind == "neg":
        inner = compile_tree(tree[1])
        return lambda m, f, v: -inner(m, f, v)
    if kind in ("and", "or"):
        return _compile_junction(kind, [compile_tree(part) for part in tree[1]])
    if kind == "arith":
        return _compile_arithmetic(tree[1], compile_tree(tree[2]), compile_tree(tree[3]))
    if kind == "compare":
        return _compile_compare(tree[1], tree[2])
    raise AssertionError(f"unknown condition node {kind!r}")


def _compile_arithmetic(symbol: str, left: State, right: State) -> State:
    """`left OP right`, total: whole numbers stay exact, division by zero gives 0, and when a
    result is too large for Python to mix with a decimal (products of hundreds of factors can
    be), both sides are taken as floats, where a result too large is an infinity and infinity
    minus infinity is not a number (nan, which no comparison holds for). Nothing raises."""
    op = _divide if symbol == "/" else _OPERATORS[symbol]

    def arithmetic(m: Mapping[str, int], f: Mapping[str, bool], v: Mapping[str, int]) -> float:
        a, b = left(m, f, v), right(m, f, v)
        try:
            return op(a, b)
        except OverflowError:
            return op(_as_float(a), _as_float(b))

    return arithmetic


def _compile_junction(kind: str, parts: list[State]) -> State:
    """`a and b and ...` or `a or b or ...`, short-circuiting; pairs (the usual case) unrolled."""
    if len(parts) == 2:
        first, second = parts
        if kind == "and":
            return lambda m, f, v: first(m, f, v) and second(m, f, v)
        return lambda m, f, v: first(m, f, v) or second(m, f, v)
    fns = tuple(parts)
    if kind == "and":
        return lambda m, f, v: all(fn(m, f, v) for fn in fns)
    return lambda m, f, v: any(fn(m, f, v) for fn in fns)


def _compile_compare(symbols: list[str], operands: list[list]) -> State:
    if len(symbols) == 1:
        op = _OPERATORS[symbols[0]]
        left, right = operands
        # The common case, 'meter OP number', gets a closure with no inner calls.
        if left[0] == "meter" and right[0] == "const":
            name, constant = left[1], right[1]
            return lambda m, f, v: op(m[name], constant)
        if left[0] == "flag" and right[0] == "const":
            name, constant = left[1], right[1]
            return lambda m, f, v: op(f[name], constant)
        if left[0] == "visited" and right[0] == "const":
            scene, constant = left[1], right[1]
            return lambda m, f, v: op(v.get(scene, 0), constant)
        left_fn, right_fn = compile_tree(left), compile_tree(right)
        return lambda m, f, v: op(left_fn(m, f, v), right_fn(m, f, v))
    ops = tuple(_OPERATORS[symbol] for symbol in symbols)
    fns = tuple(compile_tree(operand) for operand in operands)

    def chained(m: Mapping[str, int], f: Mapping[str, bool], v: Mapping[str, int]) -> bool:
        values = [fn(m, f, v) for fn in fns]
        return all(op(values[i], values[i + 1]) for i, op in enumerate(ops))

    return chained


class Condition:
    """A checked condition: its source text, its resolved tree and the compiled test.

    `condition.test(meters, flags, visits)` says whether it holds (truthy or falsy). The test is
    compiled on first use, so a story read from the compiled cache starts without compiling.
    """

    __slots__ = ("source", "tree", "test")

    def __init__(self, source: str, tree: list) -> None:
        self.source = source
        self.tree = tree

    def __getattr__(self, name: str) -> State:
        if name != "test":
            raise AttributeError(name)
        test = self.test = compile_tree(self.tree)
        return test

    def __call__(
        self, meters: Mapping[str, int], flags: Mapping[str, bool], visits: Mapping[str, int]
    ) -> bool:
        return bool(self.test(meters, flags, visits))

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Condition) and other.tree == self.tree

    def __hash__(self) -> int:
        return hash(self.source)
