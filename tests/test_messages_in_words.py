"""Failure messages in business words: no assertion message in support/ or steps/ interpolates a collection as is.

A failing scenario is read by people who do not read Python: `['sign-in: 401 ...', ...]`, `[('id', 'body')]`
or `{'page': 2}` in a message is noise to them. So every collection in an `assert ..., f"..."` message or an
`...Error(f"...")` is rendered in words (support.words: in_words, one_per_line, tallied) or joined.

The check is static and reads each function the way a person would: a name is a collection when the function
made it one (a list/dict/set/tuple display or comprehension, sorted(), list(), set(), dict(), a slice of one,
`x or []`), when its parameter is annotated as one, or when it came from a suite function or method whose
return is annotated as one; an attribute is one when a suite class annotates a field of that name as one.
Such a value interpolated into a message (as is, with !r, sliced, or `or 'none'`) is reported with its line.
It is run rather than imagined: test_the_check_sees_collections feeds it the shapes it must catch and pass.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

COLLECTION_TYPES = {"list", "dict", "set", "frozenset", "tuple", "List", "Dict", "Set", "Tuple", "Sequence",
                    "Mapping", "Iterable", "Collection", "MutableMapping", "Counter", "defaultdict", "deque"}
COLLECTION_CALLS = {"sorted", "list", "dict", "set", "frozenset", "tuple", "Counter", "defaultdict", "deque"}
COLLECTION_METHODS = {"fetchall", "split", "splitlines", "items", "keys", "values", "most_common"}
DISPLAYS = (ast.List, ast.ListComp, ast.Dict, ast.DictComp, ast.Set, ast.SetComp, ast.Tuple, ast.GeneratorExp)


def suite_modules() -> list[Path]:
    return [ROOT / "environment.py", *sorted((ROOT / "steps").rglob("*.py")), *sorted((ROOT / "support").rglob("*.py"))]


def is_collection_annotation(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    if isinstance(annotation, ast.BinOp):  # list[str] | None: a collection or nothing
        return is_collection_annotation(annotation.left) or is_collection_annotation(annotation.right)
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    name = annotation.attr if isinstance(annotation, ast.Attribute) else getattr(annotation, "id", None)
    return name in COLLECTION_TYPES


def suite_types(modules: list[Path]) -> tuple[set[str], set[str]]:
    """Names of suite functions/methods returning a collection, and of class fields annotated as one."""
    returning, fields, other, plain = set(), set(), set(), set()
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
                (returning if is_collection_annotation(node.returns) else other).add(node.name)
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        (fields if is_collection_annotation(item.annotation) else plain).add(item.target.id)
    return returning - other, fields - plain  # a name also used for something else is left out: no guessing


class Collections:
    """Which expressions of one function hold collections."""

    def __init__(self, function: ast.FunctionDef | ast.AsyncFunctionDef, returning: set[str], fields: set[str]):
        self.returning, self.fields, self.names = returning, fields, set()
        arguments = function.args
        for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            if is_collection_annotation(argument.annotation):
                self.names.add(argument.arg)
        for argument in (arguments.vararg, arguments.kwarg):
            if argument is not None:
                self.names.add(argument.arg)
        for _ in range(2):  # twice: a name made from a collection assigned later in the walk
            for node in ast.walk(function):
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    if self.holds(node.value):
                        self.names.add(node.targets[0].id)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    if is_collection_annotation(node.annotation) or (node.value and self.holds(node.value)):
                        self.names.add(node.target.id)
                elif isinstance(node, ast.NamedExpr) and self.holds(node.value):
                    self.names.add(node.target.id)

    def holds(self, node: ast.expr) -> bool:
        if isinstance(node, DISPLAYS):
            return True
        if isinstance(node, ast.Name):
            return node.id in self.names
        if isinstance(node, ast.Attribute):
            return node.attr in self.fields
        if isinstance(node, ast.Subscript):
            return isinstance(node.slice, ast.Slice) and self.holds(node.value)
        if isinstance(node, ast.BoolOp):
            return any(self.holds(value) for value in node.values)
        if isinstance(node, ast.IfExp):
            return self.holds(node.body) or self.holds(node.orelse)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.BitOr | ast.Sub):
            return self.holds(node.left) and self.holds(node.right)
        if isinstance(node, ast.Call):
            called = node.func
            if isinstance(called, ast.Name):
                return called.id in COLLECTION_CALLS or called.id in self.returning
            if isinstance(called, ast.Attribute):
                return called.attr in COLLECTION_METHODS or called.attr in self.returning
        return False


def messages(tree: ast.AST):
    """(function, message) for every assert message, every raised ...Error(...)/...Failure(...) message, and what
    every describe()/summary() returns (messages quote them)."""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Assert) and node.msg is not None:
                yield function, node.msg
            elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                called = node.exc.func
                name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
                if name.endswith(("Error", "Failure", "Timeout", "Exception")):
                    yield function, node.exc.args[0]
            elif isinstance(node, ast.Return) and node.value is not None and function.name in ("describe", "summary"):
                yield function, node.value


def reprs_in(path: Path, returning: set[str], fields: set[str]) -> list[str]:
    found = set()
    for function, message in messages(ast.parse(path.read_text(), filename=str(path))):
        collections = Collections(function, returning, fields)
        for part in ast.walk(message):
            if isinstance(part, ast.FormattedValue) and collections.holds(part.value):
                found.add((part.lineno, f"{path.relative_to(ROOT)}:{part.lineno}: {{{ast.unparse(part.value)}}}"))
    return [text for _, text in sorted(found)]


def test_no_message_interpolates_a_collection_as_is():
    modules = suite_modules()
    returning, fields = suite_types(modules)
    offenders = [text for path in modules for text in reprs_in(path, returning, fields)]
    assert not offenders, ("these failure messages would print a Python list/dict/tuple/set; render it with "
                           "support.words (in_words, one_per_line, tallied) or join it:\n  " + "\n  ".join(offenders))


def test_the_check_sees_collections(tmp_path):
    module = tmp_path / "support" / "sample.py"
    module.parent.mkdir()
    module.write_text('''
def shown_rows(reply) -> list[tuple[str, str]]:
    return []

class Page:
    rows: list[str]

def check(reply, page: Page, wanted: dict[str, int], count: int, name: str):
    refused = [r for r in reply if r]
    seen = sorted(reply)
    shown = shown_rows(reply)
    fine = ", ".join(refused)
    assert not refused, f"{len(refused)} were refused: {refused[:3]}"
    assert seen, f"saw {seen!r} for {name!r} ({count})"
    assert shown, f"it shows {shown or 'nothing'} and {fine}"
    assert wanted, f"wanted {wanted}, the page has {page.rows}"
    if count:
        raise AssertionError(f"{[r for r in reply]} {in_words(refused)} {len(seen)}")
''')
    global ROOT
    kept, ROOT = ROOT, tmp_path
    try:
        returning, fields = suite_types([module])
        found = reprs_in(module, returning, fields)
    finally:
        ROOT = kept
    assert [line.split(": ", 1)[1] for line in found] == [
        "{refused[:3]}", "{seen}", "{shown or 'nothing'}", "{page.rows}", "{wanted}", "{[r for r in reply]}"], found


# The static scan above cannot see every value's type; these run a representative set of checks with answers
# that make them fail, and read the messages as a product owner would.
PYTHON_LOOKS = ("['", '["', "{'", "[(", "('", '("', "<support.", "Decimal(", "datetime.", "Reply(", "None")


def failure_of(check, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as raised:
        check(*args, **kwargs)
    message = str(raised.value)
    assert not [look for look in PYTHON_LOOKS if look in message], message
    return message


class Rows:
    """A database inspector answering every query with the same rows."""

    def __init__(self, *rows: dict):
        self._rows = list(rows)

    def rows(self, *_):
        return self._rows

    def one(self, *_):
        return self._rows[0] if self._rows else None


def test_failing_checks_speak_in_words():
    from support.catalogue import check as catalogue
    from support.catalogue.frozen_cache import TimedRequest, expect_all_answered
    from support.documents.check import expect_kept
    from support.orders.check import expect_some_expired
    from support.robustness.check import expect_nothing_new_stored
    from support.wires.api_client import Reply

    refused = Reply(401, {"error": "Invalid email or password"}, '{"error": "Invalid email or password"}\n')
    listed = Reply(200, {"data": []}, '{"data": []}')
    message = failure_of(expect_all_answered, [TimedRequest("sign-in", refused, 0.1)] * 2
                         + [TimedRequest("listing", listed, 0.1)] * 3)
    assert message.endswith("2 of 5 were not:\n  sign-in: 401 Invalid email or password (x2)"), message

    message = failure_of(catalogue.expect_position, Reply(200, {"pagination": {"page": 2, "pages": 3, "total": 25}},
                                                          ""), page=1, pages=3, total=25)
    assert message == "expected to be on page 1, pages 3, total 25, the catalogue said page 2, pages 3, total 25"

    message = failure_of(catalogue.expect_all_listed, [refused, refused, listed])
    assert message.endswith("2 of 3 were not: 401 Invalid email or password (x2)"), message

    message = failure_of(expect_some_expired, Rows({"status": "paid"}, {"status": "paid"}, {"status": "pending"}),
                         ["a", "b", "c"])
    assert message.endswith("their statuses are paid (x2), pending"), message

    failure_of(expect_kept, Rows({"status": "stored", "attempts": 1, "last_error": None, "has_body": False}),
               "order-1", "Alice")
    assert "users (1, 2)" in failure_of(expect_nothing_new_stored, {"users": 1, "posts": 0}, {"users": 2, "posts": 0})


def test_the_words_helpers():
    from support.words import in_words, one_per_line, tallied

    assert in_words([{"status": "paid", "attempts": 1}, {"status": "pending"}]) == \
        "(status paid, attempts 1), (status pending)"
    assert one_per_line(["a\n", "b", "c"], most=2) == "\n  a\n  b\n  ... and 1 more"
    assert (one_per_line([]), tallied([])) == ("none", "none")
    assert tallied(["x", "y", "x"]) == "x (x2), y"
    assert tallied([("queued", 1), ("queued", 1)], per_line=True) == "\n  (queued, 1) (x2)"
