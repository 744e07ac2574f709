"""Checks of orders and stock: what the shop answered, and what it stored, in the catalogue's own words.

The shop names products by SKU; these checks name them as the scenario does ("Mug"), by way of the
scenario's catalogue, so a failure reads like the scenario that failed.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from support.catalogue.arrange import Catalogue
from support.people.check import expect_error, expect_status
from support.rush import RushOutcome
from support.wires.api_client import Reply
from support.wires.database import DatabaseInspector
from support.words import in_words, tallied

REFUSALS = {
    "the order is already cancelled": (409, "Only an unpaid order can be cancelled; this order is cancelled"),
    "the order has already shipped": (409, "Only an unpaid order can be cancelled; this order is shipped"),
}


def stock_levels(db: DatabaseInspector) -> dict[str, int]:
    """Every product's stock, by SKU, as stored right now."""
    return {row["sku"]: row["stock"] for row in db.rows("SELECT sku, stock FROM products")}


def expect_stock(db: DatabaseInspector, catalogue: Catalogue, levels: dict[str, int]) -> None:
    """`levels` by product name; each is compared with the stored stock."""
    stored = stock_levels(db)
    seen = {name: stored.get(catalogue[name].sku) for name in levels}
    assert seen == levels, f"stock: expected {in_words(levels)}, found {in_words(seen)}"


def expect_stock_unchanged(db: DatabaseInspector, catalogue: Catalogue, before: dict[str, int]) -> None:
    after = stock_levels(db)
    moved = {
        catalogue.name_of(sku): (level, after.get(sku)) for sku, level in before.items() if after.get(sku) != level
    }
    assert not moved, f"expected no stock to move; it did (product: before, after): {in_words(moved)}"


def expect_order_accepted(reply: Reply, customer_id: str, status: str = "pending") -> str:
    expect_status(reply, 201, "placing the order")
    seen = (reply.body["customerId"], reply.body["status"])
    assert seen == (customer_id, status), (
        f"expected a {status} order for {customer_id}, the shop answered one for {seen[0]}, {seen[1]}")
    return reply.body["id"]


def stored_order(db: DatabaseInspector, order_id: str) -> dict[str, Any]:
    row = db.one("SELECT id, customer_id, status, total FROM orders WHERE id = %s", (order_id,))
    assert row is not None, f"expected order {order_id} to be stored, found nothing"
    return row


def expect_order_status(db: DatabaseInspector, order_id: str, status: str) -> None:
    seen = stored_order(db, order_id)["status"]
    assert seen == status, f"order {order_id}: expected it stored as {status}, found {seen}"


def expect_total(db: DatabaseInspector, order_id: str, total: Decimal, reply: Reply | None = None) -> None:
    """The stored total, and the one the shop answered with when there is an answer about this order."""
    stored = stored_order(db, order_id)["total"]
    assert stored == total, f"order {order_id}: expected a stored total of {total}, found {stored}"
    if reply is not None and isinstance(reply.body, dict) and reply.body.get("id") == order_id:
        shown = reply.body["total"]
        assert shown == f"{total:.2f}", f"expected the shop to answer a total of {total}, it said {shown}"


def expect_lines(db: DatabaseInspector, catalogue: Catalogue, order_id: str, lines: list[dict]) -> None:
    """`lines` as (product, quantity, price) rows, in the order the customer listed them."""
    stored = db.rows(
        "SELECT p.sku, l.quantity, l.unit_price FROM order_lines l JOIN products p ON p.id = l.product_id"
        " WHERE l.order_id = %s ORDER BY l.line_no",
        (order_id,),
    )
    seen = [(catalogue.name_of(r["sku"]), r["quantity"], r["unit_price"]) for r in stored]
    wanted = [(line["product"], line["quantity"], line["price"]) for line in lines]
    assert seen == wanted, (
        f"order {order_id}: expected lines (product, quantity, price) {in_words(wanted)}, "
        f"found {in_words(seen)}"
    )


def expect_orders_stored(db: DatabaseInspector, customer_id: str, count: int, who: str) -> None:
    stored = db.one("SELECT count(*) AS n FROM orders WHERE customer_id = %s", (customer_id,))["n"]
    assert stored == count, f"expected {who} to have {count} order(s) stored, found {stored}"


def expect_insufficient_stock(reply: Reply, catalogue: Catalogue, product: str) -> None:
    expect_error(reply, 409, f"Insufficient inventory for {catalogue[product].sku}")


def expect_invalid_order(reply: Reply, catalogue: Catalogue, problem: str) -> None:
    """Refused as invalid, with `problem` among the reasons given (SKUs read as the products' names)."""
    expect_status(reply, 400, "placing an order that makes no sense")
    reasons = [reply.error, *((reply.body or {}).get("errors") or {}).values()]
    named = [_with_names(reason or "", catalogue) for reason in reasons]
    assert problem in named, f"expected the refusal to say {problem!r}; it said {in_words(named)}"


def expect_refusal(reply: Reply, reason: str) -> None:
    if reason not in REFUSALS:
        raise KeyError(f"no order refusal is known as {reason!r}; known: {', '.join(REFUSALS)}")
    expect_error(reply, *REFUSALS[reason])


def expect_order_shown(reply: Reply, catalogue: Catalogue, order_id: str, lines: list[tuple[str, int]],
                       total: Decimal) -> None:
    expect_status(reply, 200, f"reading order {order_id}")
    shown_lines = [(catalogue.name_of(line["sku"]), line["quantity"]) for line in reply.body["lines"]]
    seen = (reply.body["id"], shown_lines, reply.body["total"])
    wanted = (order_id, lines, f"{total:.2f}")
    assert seen == wanted, f"expected order (id, lines, total) {in_words(wanted)}, the shop showed {in_words(seen)}"


def expect_order_list(reply: Reply, order_ids: list[str], count: int) -> None:
    """Exactly these orders (`count` of them), in this order."""
    assert len(order_ids) == count, f"the scenario placed {len(order_ids)} orders for this customer, not {count}"
    expect_status(reply, 200, "listing orders")
    seen = [order["id"] for order in reply.body["data"]]
    assert seen == order_ids, (
        f"expected exactly the orders {in_words(order_ids)}, in that order; "
        f"the shop listed {in_words(seen)}"
    )
    assert reply.body["pagination"]["total"] == len(order_ids), (
        f"expected a total of {len(order_ids)} orders, the shop counted {reply.body['pagination']['total']}"
    )


def expect_accepted_count(outcome: RushOutcome, count: int) -> None:
    assert len(outcome.accepted) == count, f"expected exactly {count} accepted; {outcome.describe()}"


def expect_overlap(outcome: RushOutcome, at_least: int) -> None:
    """The race was real: the shop had many of the orders in hand at one instant, not one after another."""
    assert outcome.most_in_flight() >= at_least, (
        f"expected at least {at_least} orders under way at one instant; {outcome.describe()}"
    )


def expect_others_refused(outcome: RushOutcome, status: int, message: str) -> None:
    wrong = [f"{a.buyer}: {a.reply.describe()}" for a in outcome.refused
             if (a.reply.status, a.reply.error) != (status, message)]
    assert not wrong, (
        f"expected every other answer to be {status} {message!r}; {len(wrong)} were not:"
        f"{tallied(wrong, per_line=True)}\n{outcome.describe()}"
    )


def expect_sold_and_left(db: DatabaseInspector, catalogue: Catalogue, product: str, started_with: int) -> None:
    """Nothing sold twice, nothing lost: the quantities in live orders plus the stock left make the stock there was."""
    sku = catalogue[product].sku
    sold = db.one(
        "SELECT coalesce(sum(l.quantity), 0) AS n FROM order_lines l JOIN products p ON p.id = l.product_id"
        " JOIN orders o ON o.id = l.order_id WHERE p.sku = %s AND o.status <> 'cancelled'",
        (sku,),
    )["n"]
    left = stock_levels(db)[sku]
    assert sold + left == started_with, (
        f"{product}: {sold} in stored orders and {left} left make {sold + left}, but there were {started_with}"
    )


def _with_names(text: str, catalogue: Catalogue) -> str:
    for sku, name in catalogue.names_by_sku().items():
        text = text.replace(sku, name)
    return text


def expect_some_expired(db: DatabaseInspector, order_ids: list[str]) -> None:
    statuses = db.rows("SELECT status FROM orders WHERE id = ANY(%s::uuid[])", (order_ids,))
    assert any(row["status"] == "expired" for row in statuses), (
        f"expected an order to have expired; their statuses are {tallied(row['status'] for row in statuses)}")


def expect_briefly_unavailable(reply: Reply) -> None:
    """Refused with 503 because the shop cannot reach its database; it says when to try again."""
    expect_error(reply, 503, "The shop is briefly unavailable; try again in a few seconds")
