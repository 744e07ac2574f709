"""Checks of the catalogue: what a customer was shown, what is stored, and where the listing came from.

Whether a listing came from the cache is read from the shop's own figures (its cache hits and the
statements it sent to the database) and from Redis itself, never from how long it took.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from support.people.check import expect_status
from support.people.operator import ShopFigures
from support.wires.api_client import Reply
from support.wires.cache_inspector import CacheInspector
from support.wires.database import DatabaseInspector
from support.words import in_words, tallied


def expect_served_from_cache(before: ShopFigures, after: ShopFigures) -> None:
    change = after.since(before)
    assert change == {"hits": 1, "misses": 0, "unavailable": 0, "statements": 0}, (
        f"expected the listing to come from the cache (1 hit, no miss, no database statement); saw {in_words(change)}"
    )


def expect_served_without_cache(before: ShopFigures, after: ShopFigures) -> None:
    change = after.since(before)
    assert change["unavailable"] == 1 and change["hits"] == change["misses"] == 0 and change["statements"] > 0, (
        f"expected the listing to come from the database with the cache unreachable; saw {in_words(change)}"
    )


def listed(reply: Reply) -> list[tuple[str, Decimal, int]]:
    expect_status(reply, 200, "browsing the catalogue")
    return [(p["name"], Decimal(p["price"]), p["stock"]) for p in reply.body["data"]]


def expect_listed_exactly(reply: Reply, rows: list[dict]) -> None:
    """Exactly these products, in this order, with these prices and stock."""
    wanted = [(row["product"], row["price"], row["stock"]) for row in rows]
    seen = listed(reply)
    assert seen == wanted, (
        f"expected to see (product, price, stock) {in_words(wanted)}; "
        f"the catalogue showed {in_words(seen)}"
    )


def expect_shown(reply: Reply, product: str, *, price: Decimal | None = None, stock: int | None = None) -> None:
    shown = {name: (p, s) for name, p, s in listed(reply)}
    assert product in shown, f"expected {product} in the catalogue; it showed {in_words(sorted(shown))}"
    seen_price, seen_stock = shown[product]
    assert price is None or seen_price == price, f"{product}: expected price {price}, the catalogue showed {seen_price}"
    assert stock is None or seen_stock == stock, (
        f"{product}: expected {stock} in stock, the catalogue showed {seen_stock}"
    )


def expect_position(reply: Reply, *, page: int, pages: int, total: int) -> None:
    seen = {k: reply.body["pagination"][k] for k in ("page", "pages", "total")}
    wanted = {"page": page, "pages": pages, "total": total}
    assert seen == wanted, f"expected to be on {in_words(wanted)}, the catalogue said {in_words(seen)}"


def expect_listing_kept(cache: CacheInspector, reply: Reply, at_most: timedelta) -> None:
    """Redis holds the very listing the customer was shown, under the current generation, expiring in time."""
    kept = cache.current_catalogue_listings()
    lifetimes = [ttl for listing, ttl in kept if listing == reply.body]
    assert lifetimes, (
        f"expected the cache to keep the listing shown to the customer; it keeps {len(kept)} current listing(s), "
        f"none of them that one"
    )
    assert 0 < lifetimes[0] <= at_most.total_seconds(), (
        f"expected the listing to expire within {at_most}; it expires in {lifetimes[0]}s"
    )


def expect_stored_product(
    db: DatabaseInspector, sku: str, name: str, *, price: Decimal, stock: int | None = None
) -> None:
    row = db.one("SELECT price, stock FROM products WHERE sku = %s", (sku,))
    assert row is not None, f"expected {name} ({sku}) to be stored, found nothing"
    seen = (row["price"], row["stock"] if stock is not None else None)
    assert seen == (price, stock), (
        f"{name}: expected stored (price, stock) {in_words((price, stock))}, "
        f"found {in_words(seen)}"
    )



def expect_all_listed(replies: list[Reply]) -> None:
    refused = [reply.describe() for reply in replies if reply.status != 200]
    assert replies and not refused, (
        f"expected every listing answered; {len(refused)} of {len(replies)} were not: {tallied(refused)}")


def expect_listings_kept_at_most(cache: CacheInspector, count: int) -> None:
    """Counted in Redis itself: every listing key of the shop's, whatever its generation."""
    kept = cache.catalogue_listing_keys()
    assert len(kept) <= count, (
        f"expected at most {count} catalogue listings in the cache, found {len(kept)}: {in_words(kept[:8])}"
        f"{' ...' if len(kept) > 8 else ''}")
