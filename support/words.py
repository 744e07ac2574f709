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
        return "(" + ", ".join(in_words(item) for item in value) + ")"
    if isinstance(value, list | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return ", ".join(in_words(item) for item in items) or "none"
    return str(value)
