"""Every listing the shop pages through (products, a customer's orders, users, posts), checked at its edges.

A page is checked against the stored rows, not only against its own numbers: which rows it holds
(the right slice, in the listing's order), how many pages the listing says there are, and the total.
"""
from __future__ import annotations

from typing import Any

from support.people.check import expect_status
from support.wires.api_client import Reply, ShopApi
from support.wires.database import DatabaseInspector
from support.words import in_words

# -- the stored order of each listing, which a page must be a slice of --------------------------
_STORED = {
    "products": ("SELECT id::text AS id FROM products ORDER BY lower(name), sku", ()),
    "users": ("SELECT id::text AS id FROM users ORDER BY created_at, id", ()),
}


def stored_ids(db: DatabaseInspector, listing: str, customer_id: str | None = None) -> list[str]:
    if listing == "orders":
        rows = db.rows("SELECT id::text AS id FROM orders WHERE customer_id::text = %s ORDER BY created_at DESC, id",
                       (customer_id,))
    else:
        query, args = _STORED[listing]
        rows = db.rows(query, args)
    return [row["id"] for row in rows]


def expect_page_of(reply: Reply, db: DatabaseInspector, listing: str, *, page: int, limit: int, count: int,
                   pages: int, customer_id: str | None = None) -> None:
    """The page holds `count` rows, exactly the stored slice for (page, limit), and says it is page `page`
    of `pages`, out of every stored row."""
    expect_status(reply, 200, f"listing {listing}")
    stored = stored_ids(db, listing, customer_id)
    wanted_rows = stored[(page - 1) * limit: page * limit]
    shown_rows = [row["id"] for row in reply.body["data"]]
    said = {k: reply.body["pagination"][k] for k in ("page", "pages", "total")}
    wanted = {"page": page, "pages": pages, "total": len(stored)}
    assert len(wanted_rows) == count, (
        f"the scenario stored {len(stored)} {listing}, so page {page} of {limit} holds {len(wanted_rows)}, "
        f"not {count}: the scenario's own numbers disagree")
    assert said == wanted, f"expected the {listing} listing to say {in_words(wanted)}, it said {in_words(said)}"
    assert shown_rows == wanted_rows, (
        f"expected page {page} of the {listing} ({limit} per page) to hold the stored {listing} "
        f"{(page - 1) * limit + 1} to {(page - 1) * limit + count} ({count} of them); it held {len(shown_rows)}: "
        f"{_positions(shown_rows, stored)}")


def _positions(shown: list[str], stored: list[str]) -> str:
    """Where the shown rows stand in the stored order (1-based), or 'unknown' for a row not stored."""
    return "[" + ", ".join(str(stored.index(row) + 1) if row in stored else "unknown" for row in shown) + "]"


# -- posts: read by cursor, so their edges are the last page and reading past it ------------------
def post_page_sizes(pages: list[Reply]) -> list[int]:
    return [len(_posts(page)) for page in pages]


def expect_nothing_past_the_end(past: Reply) -> None:
    """Asking for the page after the last one finds no posts and says there is no further page."""
    expect_status(past, 200, "reading posts past the last page")
    connection = (past.body.get("data") or {}).get("posts") or {}
    found = [edge["node"]["title"] for edge in connection.get("edges", [])]
    more = connection.get("pageInfo", {}).get("hasNextPage")
    assert not found and more is False, (
        f"expected no posts after the last page and no further page; found {in_words(found)}, "
        f"further page: {in_words(more)}")


def after_last_page(api: ShopApi, token: str | None, pages: list[Reply], query: str) -> Reply:
    """The page after the last page read, asked for with the last page's end cursor, as large as allowed."""
    info = ((pages[-1].body or {}).get("data") or {}).get("posts", {}).get("pageInfo", {})
    assert info.get("endCursor"), f"the last page gave no cursor to read on from: {in_words(info)}"
    return api.graphql(token, query, {"first": 50, "after": info["endCursor"]})


def _posts(page: Reply) -> list[Any]:
    return (((page.body or {}).get("data") or {}).get("posts") or {}).get("edges", [])
