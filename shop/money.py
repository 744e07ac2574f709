"""Money in the shop: exact decimal amounts with two places, read from text and shown as text, never floats."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")
# numeric(12, 2) holds up to 9,999,999,999.99; prices stay well below so totals of many lines still fit.
MAX_PRICE = Decimal("1000000.00")
# The most an order can total: what its numeric(12, 2) column holds.
MAX_ORDER_TOTAL = Decimal("9999999999.99")
_AMOUNT = re.compile(r"\d{1,7}(\.\d{1,2})?")


def parse_amount(value: Any) -> Decimal:
    """An amount from a client: text such as "25.00" or "25", or a whole JSON number. ValueError otherwise.

    A JSON number with a fraction arrives as a float, already inexact, so it is refused rather than rounded.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _AMOUNT.fullmatch(value.strip()):
        raise ValueError(f"not an amount of money: {value!r}")
    amount = Decimal(value.strip()).quantize(CENT)
    if amount > MAX_PRICE:
        raise ValueError(f"more than {MAX_PRICE}: {value!r}")
    return amount


def as_text(amount: Decimal) -> str:
    """How the API shows an amount: always two places, e.g. "45.00"."""
    return str(amount.quantize(CENT))
