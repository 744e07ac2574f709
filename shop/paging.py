"""Reading a caller's page and page size, and searching by text safely: shared by the shop's listings."""
from __future__ import annotations

from typing import Any

from shop.errors import InvalidInput

MAX_PAGE_SIZE = 100
# Far beyond any real listing, and small enough that (page - 1) * limit always fits PostgreSQL's OFFSET.
MAX_PAGE = 1_000_000
# How the OpenAPI document describes a page number.
PAGE = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}


def page_and_limit(page: Any, limit: Any) -> tuple[int, int]:
    page_no, size = _positive(page, "page"), _positive(limit, "limit")
    if size > MAX_PAGE_SIZE:
        raise InvalidInput(f"limit must be at most {MAX_PAGE_SIZE}", {"limit": f"at most {MAX_PAGE_SIZE}"})
    if page_no > MAX_PAGE:
        raise InvalidInput(f"page must be at most {MAX_PAGE:,}", {"page": f"at most {MAX_PAGE:,}"})
    return page_no, size


def pagination(page: int, limit: int, total: int) -> dict[str, int]:
    return {"page": page, "limit": limit, "total": total, "pages": -(-total // limit)}


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere; LIKE's own wildcards in it are escaped: input is data."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _positive(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise InvalidInput(f"{name} must be a positive whole number", {name: "must be a positive whole number"})
    return number
