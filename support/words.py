"""Values in business words for failure messages: no Python reprs (dict braces, Decimal('10.00'), None).

    in_words({"page": 2, "pages": 3, "total": 25})  -> "page 2, pages 3, total 25"
    in_words([("Mug", 2, Decimal("10.00"))])         -> "(Mug, 2, 10.00)"
    in_words([])                                     -> "none"
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any


def in_words(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, dict):
        return ", ".join(f"{in_words(key)} {in_words(item)}" for key, item in value.items()) or "none"
    if isinstance(value, tuple):
        return "(" + ", ".join(_item(item) for item in value) + ")"
    if isinstance(value, list | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return ", ".join(_item(item) for item in items) or "none"
    return str(value)


def _item(value: Any) -> str:
    """One item of a list or tuple: a dict in parentheses, so that its words do not run into the next item's."""
    return f"({in_words(value)})" if isinstance(value, dict) else in_words(value)


def one_per_line(items: Any, most: int | None = None) -> str:
    """Each item on its own indented line (after a line break), in words; past `most`, how many more there were.

        one_per_line(["sign-in: 401 wrong", "sign-in: 200"]) -> "\\n  sign-in: 401 wrong\\n  sign-in: 200"
    """
    items = list(items)
    if not items:
        return "none"
    shown = items if most is None else items[:most]
    lines = [in_words(item) if not isinstance(item, str) else item.rstrip() for item in shown]
    if len(items) > len(shown):
        lines.append(f"... and {len(items) - len(shown)} more")
    return "".join(f"\n  {line}" for line in lines)


def tallied(items: Any, *, per_line: bool = False) -> str:
    """Alike items counted, in the order first seen: tallied(["401 bad", "401 bad", "500"]) -> "401 bad (x2), 500".

    per_line=True puts each on its own indented line, as one_per_line does.
    """
    counts: dict[str, int] = {}
    for item in items:
        text = item.rstrip() if isinstance(item, str) else in_words(item)
        counts[text] = counts.get(text, 0) + 1
    counted = [text if n == 1 else f"{text} (x{n})" for text, n in counts.items()]
    return one_per_line(counted) if per_line else ", ".join(counted) or "none"
