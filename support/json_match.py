"""Readable JSON matching for `@api-contract` scenarios, modelled on Karate's `match`.

The scenario states the expected body once, in a doc string, with markers such as "#uuid" or
"#notpresent" where the exact value does not matter; a failure lists every mismatch with its JSON path.

Markers (string values in the expected JSON):
    #string #number #boolean #array #object #null #notnull #uuid #date #datetime #email
    #regex <pattern>     a string that fully matches the pattern
    #present             the key exists, with any value (null included)
    #notpresent          the key is absent
    #ignore              anything, or absent
    ##<marker>           null or absent, otherwise as <marker> (e.g. "##string", "##[] #uuid")
    #[] / #[3]           any array / an array of exactly 3 elements
    #[] #string          an array whose every element satisfies the marker after the brackets
A string value that starts with "#" but is none of these is refused, so a typo such as "#strnig" fails
loudly instead of being compared as a literal.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

__all__ = ["assert_json_matches", "match", "match_contains", "mismatches", "parse_expected"]

_SHOWN_VALUE_LIMIT = 80
_SHOWN_DOCUMENT_LIMIT = 2000

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ARRAY_MARKER = re.compile(r"#\[(\d*)\](?:\s+(#.*))?")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _is_number(value: Any) -> bool:
    # bool is a subclass of int in Python, but true and 1 are different things in a JSON contract.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_iso_text(value: Any, shape: re.Pattern, parse: Callable[[str], Any]) -> bool:
    # The shape insists on the exact layout (a "T" and a time part for date-times); parsing then rejects
    # impossible values such as month 13, which the shape alone would let through.
    if not isinstance(value, str) or not shape.fullmatch(value):
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


_PREDICATES: dict[str, Callable[[Any], bool]] = {
    "string": lambda value: isinstance(value, str),
    "number": _is_number,
    "boolean": lambda value: isinstance(value, bool),
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
    "null": lambda value: value is None,
    "notnull": lambda value: value is not None,
    "present": lambda value: True,
    "uuid": lambda value: isinstance(value, str) and _UUID.fullmatch(value) is not None,
    "date": lambda value: _is_iso_text(value, _DATE, date.fromisoformat),
    "datetime": lambda value: _is_iso_text(value, _DATETIME, datetime.fromisoformat),
    "email": lambda value: isinstance(value, str) and _EMAIL.fullmatch(value) is not None,
}
_KNOWN_MARKERS = [*(f"#{name}" for name in _PREDICATES), "#notpresent", "#ignore", "#regex", "#[]"]


@dataclass(frozen=True)
class _Marker:
    text: str
    check: Callable[[Any, str], list[str]]  # (actual value, JSON path) -> mismatch lines
    may_be_absent: bool = False


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOWN_VALUE_LIMIT else text[: _SHOWN_VALUE_LIMIT - 3] + "..."


def _predicate_marker(shown: str, predicate: Callable[[Any], bool]) -> _Marker:
    return _Marker(
        shown,
        lambda value, path: [] if predicate(value) else [f"{path}: expected {shown}, found {_show(value)}"],
    )


def _array_marker(shown: str, size_text: str, element_text: str | None) -> _Marker:
    size = int(size_text) if size_text else None
    element = _parse_marker(element_text) if element_text else None

    def check(value: Any, path: str) -> list[str]:
        if not isinstance(value, list):
            return [f"{path}: expected {shown}, found {_show(value)}"]
        if size is not None and len(value) != size:
            return [f"{path}: expected {size} elements, found {len(value)}"]
        if element is None:
            return []
        return [line for index, item in enumerate(value) for line in element.check(item, f"{path}[{index}]")]

    return _Marker(shown, check)


def _unknown_marker(text: str) -> ValueError:
    suggestion = difflib.get_close_matches(text.split(" ")[0], _KNOWN_MARKERS, n=1)
    hint = f"; did you mean {suggestion[0]!r}?" if suggestion else ""
    return ValueError(
        f"unknown JSON marker {text!r}{hint} "
        f"(known: {', '.join(_KNOWN_MARKERS)}, #[n], #[] <marker>, ##<marker>; "
        "a literal string in expected JSON may not start with '#')"
    )


def _parse_required(text: str, shown: str) -> _Marker:
    name, _, argument = text[1:].partition(" ")
    if name == "notpresent" and not argument:
        return _Marker(
            shown,
            lambda value, path: [f"{path}: expected to be absent, found {_show(value)}"],
            may_be_absent=True,
        )
    if name == "ignore" and not argument:
        return _Marker(shown, lambda value, path: [], may_be_absent=True)
    if name in _PREDICATES and not argument:
        return _predicate_marker(shown, _PREDICATES[name])
    if name == "regex":
        if not argument:
            raise ValueError(
                f"JSON marker {shown!r} needs a pattern after a space, e.g. '#regex [A-Z]+-\\d+'"
            )
        try:
            pattern = re.compile(argument)
        except re.error as error:
            raise ValueError(f"invalid pattern in JSON marker {shown!r}: {error}") from error
        return _predicate_marker(
            shown, lambda value: isinstance(value, str) and bool(pattern.fullmatch(value))
        )
    array = _ARRAY_MARKER.fullmatch(text)
    if array:
        return _array_marker(shown, array.group(1), array.group(2))
    raise _unknown_marker(shown)


@cache
def _parse_marker(text: str) -> _Marker:
    if not text.startswith("##"):
        return _parse_required(text, shown=text)
    required = _parse_required(text[1:], shown=text)
    return _Marker(
        text, lambda value, path: [] if value is None else required.check(value, path), may_be_absent=True
    )


def _marker_in(expected: Any) -> _Marker | None:
    if isinstance(expected, str) and expected.startswith("#"):
        return _parse_marker(expected)
    return None


def _refuse_unknown_markers(expected: Any) -> None:
    # Checked up front so a typo fails even where the actual JSON never reaches that marker.
    if isinstance(expected, dict):
        for value in expected.values():
            _refuse_unknown_markers(value)
    elif isinstance(expected, list):
        for value in expected:
            _refuse_unknown_markers(value)
    else:
        _marker_in(expected)


def _key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if _IDENTIFIER.fullmatch(key) else f"{path}[{json.dumps(key)}]"


def _same_primitive(actual: Any, expected: Any) -> bool:
    if _is_number(actual) and _is_number(expected):
        return actual == expected
    return type(actual) is type(expected) and actual == expected


def _match_object(actual: Any, expected: dict, path: str, contains: bool) -> list[str]:
    if not isinstance(actual, dict):
        return [f"{path}: expected an object, found {_show(actual)}"]
    found = []
    for key, expected_value in expected.items():
        if key in actual:
            found += _match(actual[key], expected_value, _key_path(path, key), contains)
            continue
        marker = _marker_in(expected_value)
        if marker is None or not marker.may_be_absent:
            found.append(f"{path}: missing key {key!r}, expected {_describe(expected_value)}")
    if not contains:
        found += [f"{path}: unexpected key {key!r}" for key in actual if key not in expected]
    return found


def _match_array_in_order(actual: list, expected: list, path: str) -> list[str]:
    if len(actual) != len(expected):
        return [f"{path}: expected {len(expected)} elements, found {len(actual)}"]
    return [
        line
        for index, (item, wanted) in enumerate(zip(actual, expected, strict=True))
        for line in _match(item, wanted, f"{path}[{index}]", contains=False)
    ]


def _match_array_any_order(actual: list, expected: list, path: str) -> list[str]:
    found = []
    for wanted in expected:
        attempts = [
            _match(item, wanted, f"{path}[{index}]", contains=True) for index, item in enumerate(actual)
        ]
        if any(not attempt for attempt in attempts):
            continue
        if not attempts:
            found.append(f"{path}: no element matches {_describe(wanted)} (the array is empty)")
            continue
        # Naming the nearest element turns "not found" into the one field that differs.
        closest = min(attempts, key=len)
        found.append(f"{path}: no element matches {_describe(wanted)}; closest: {'; '.join(closest)}")
    return found


def _match(actual: Any, expected: Any, path: str, contains: bool) -> list[str]:
    marker = _marker_in(expected)
    if marker is not None:
        return marker.check(actual, path)
    if isinstance(expected, dict):
        return _match_object(actual, expected, path, contains)
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected an array, found {_show(actual)}"]
        if contains:
            return _match_array_any_order(actual, expected, path)
        return _match_array_in_order(actual, expected, path)
    if _same_primitive(actual, expected):
        return []
    return [f"{path}: expected {_show(expected)}, found {_show(actual)}"]


def _describe(expected: Any) -> str:
    return expected if _marker_in(expected) is not None else _show(expected)


def parse_expected(text: str) -> Any:
    """Parse a doc string of expected JSON, pointing at the line and column when it is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        lines = text.splitlines() or [""]
        line = lines[min(error.lineno, len(lines)) - 1]
        raise ValueError(
            f"expected JSON is not valid at line {error.lineno}, column {error.colno}: {error.msg}\n"
            f"    {line}\n    {' ' * (error.colno - 1)}^"
        ) from error


def _expected_value(expected: Any) -> Any:
    # Valid JSON never starts with "#", so a bare string such as "#uuid" can only mean a marker.
    if isinstance(expected, str):
        return expected.strip() if expected.lstrip().startswith("#") else parse_expected(expected)
    return expected


def mismatches(actual: Any, expected: Any, *, contains: bool = False) -> list[str]:
    """Every way `actual` differs from `expected`, one readable line each, with its JSON path.

    `expected` may be a value or JSON text. With `contains`, objects may carry extra keys and each
    expected array element need only match some actual element, at any depth.
    """
    expected = _expected_value(expected)
    _refuse_unknown_markers(expected)
    return _match(actual, expected, "$", contains)


def _pretty(actual: Any) -> str:
    text = json.dumps(actual, indent=2, ensure_ascii=False, default=str)
    if len(text) <= _SHOWN_DOCUMENT_LIMIT:
        return text
    return f"{text[:_SHOWN_DOCUMENT_LIMIT]}\n... ({len(text) - _SHOWN_DOCUMENT_LIMIT} more characters)"


def assert_json_matches(actual: Any, expected: Any, *, contains: bool = False) -> None:
    """Fail with all mismatches and the actual JSON, so one run shows the whole gap."""
    found = mismatches(actual, expected, contains=contains)
    if not found:
        return
    verb = "contain" if contains else "match"
    plural = "" if len(found) == 1 else "es"
    listing = "\n".join(f"  {line}" for line in found)
    raise AssertionError(
        f"JSON does not {verb} the expected ({len(found)} mismatch{plural}):\n{listing}\n"
        f"actual JSON:\n{_pretty(actual)}"
    )


def match(actual: Any, expected: Any) -> None:
    """Karate's `match ==`: exactly the expected keys, arrays equal in length and order."""
    assert_json_matches(actual, expected)


def match_contains(actual: Any, expected: Any) -> None:
    """Karate's `match contains`: extra keys allowed, array elements found in any order."""
    assert_json_matches(actual, expected, contains=True)
