"""Service functions for orders: placing one takes its stock in the same transaction, or nothing at all.

Every transaction that changes stock locks the product rows it touches in one fixed order (by SKU),
so two orders over the same products, listed in opposite orders, queue for each other instead of
deadlocking. The database's `stock >= 0` check stands behind the availability check here.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from shop.auth import Caller
from shop.catalogue_cache import CatalogueCache
from shop.db import Database
from shop.errors import Conflict, InsufficientStock, InvalidInput, NotFound, Unauthorized
from shop.ids import uuid_or_none
from shop.messaging.outbox import add_event
from shop.money import MAX_ORDER_TOTAL, as_text
from shop.paging import page_and_limit, pagination

MAX_LINES = 100
MAX_QUANTITY = 10_000
ORDER_REFUSED = "The order could not be placed"
NOT_FOUND = "Order not found"
# Orders nobody has paid for: a declined card leaves the order cancellable, and its stock returnable.
CANCELLABLE = ("pending", "payment_failed")
PAYMENT_UNDER_WAY = "A payment for this order is under way; try again in a moment"


@dataclass(frozen=True)
class OrderLine:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal

    def as_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "quantity": self.quantity,
                "unitPrice": as_text(self.unit_price), "lineTotal": as_text(self.unit_price * self.quantity)}


@dataclass(frozen=True)
class Order:
    id: uuid.UUID
    customer_id: uuid.UUID
    status: str
    total: Decimal
    created_at: datetime
    lines: tuple[OrderLine, ...]

    def as_json(self) -> dict[str, Any]:
        return {"id": str(self.id), "customerId": str(self.customer_id), "status": self.status,
                "total": as_text(self.total), "lines": [line.as_json() for line in self.lines],
                "createdAt": self.created_at.isoformat()}


def validate_items(items: Any) -> list[tuple[str, int]]:
    """The (SKU, quantity) lines asked for, in the caller's order; every problem with them at once."""
    if not isinstance(items, list) or not items:
        raise InvalidInput(ORDER_REFUSED, {"items": "An order needs at least one item"})
    if len(items) > MAX_LINES:
        raise InvalidInput(ORDER_REFUSED, {"items": f"An order has at most {MAX_LINES} lines"})
    errors: dict[str, str] = {}
    lines: list[tuple[str, int]] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"items[{index}]"
        sku = item.get("sku") if isinstance(item, dict) else None
        quantity = item.get("quantity") if isinstance(item, dict) else None
        if not isinstance(sku, str) or not sku.strip():
            errors[f"{where}.sku"] = "Say which product, by SKU"
        elif sku in seen:
            errors[f"{where}.sku"] = f"{sku} is ordered more than once; order it once with the whole quantity"
        else:
            seen.add(sku)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 < quantity <= MAX_QUANTITY:
            errors[f"{where}.quantity"] = f"Quantity must be a whole number from 1 to {MAX_QUANTITY}"
        lines.append((sku, quantity))
    if errors:
        raise InvalidInput(ORDER_REFUSED, errors)
    return lines


class Orders:
    def __init__(self, db: Database, cache: CatalogueCache):
        self._db = db
        self._cache = cache

    def place(self, caller: Caller, items: Any) -> Order:
        lines = validate_items(items)
        wanted = dict(lines)
        with self._db.transaction() as cur:
            # A pass outlives its account if the account is deleted (the web layer refuses such a pass; this
            # closes the race with a deletion): the customer must exist, and stays so (a key-share lock)
            # until the order is stored.
            cur.execute("SELECT 1 FROM users WHERE id = %s FOR KEY SHARE", (caller.user_id,))
            if cur.fetchone() is None:
                raise Unauthorized()
            # One statement locks every product of the order, in SKU order: the fixed order that prevents deadlocks.
            cur.execute(
                "SELECT id, sku, name, price, stock FROM products WHERE sku = ANY(%s) ORDER BY sku FOR UPDATE",
                (sorted(wanted),),
            )
            products = {row["sku"]: row for row in cur.fetchall()}
            unknown = {f"items[{i}].sku": f"There is no product {sku}" for i, (sku, _) in enumerate(lines)
                       if sku not in products}
            if unknown:
                raise InvalidInput(ORDER_REFUSED, unknown)
            for sku in sorted(wanted):
                if products[sku]["stock"] < wanted[sku]:
                    raise InsufficientStock(sku)
            ids = [products[sku]["id"] for sku, _ in lines]
            quantities = [quantity for _, quantity in lines]
            prices = [products[sku]["price"] for sku, _ in lines]
            cur.execute(
                "UPDATE products p SET stock = p.stock - w.quantity, updated_at = now()"
                " FROM unnest(%s::uuid[], %s::int[]) AS w(id, quantity) WHERE p.id = w.id",
                (ids, quantities),
            )
            total = sum((price * quantity for price, quantity in zip(prices, quantities, strict=True)), Decimal(0))
            if total > MAX_ORDER_TOTAL:
                raise InvalidInput(ORDER_REFUSED, {"items": f"An order can total at most {as_text(MAX_ORDER_TOTAL)};"
                                                            f" this one would total {as_text(total)}"})
            cur.execute(
                "INSERT INTO orders (customer_id, total) VALUES (%s, %s) RETURNING id, customer_id, status, total,"
                " created_at",
                (caller.user_id, total),
            )
            order = cur.fetchone()
            cur.execute(
                "INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price)"
                " SELECT %s, l.n, l.product_id, l.quantity, l.unit_price"
                " FROM unnest(%s::uuid[], %s::int[], %s::numeric[]) WITH ORDINALITY AS l(product_id, quantity,"
                " unit_price, n)",
                (order["id"], ids, quantities, prices),
            )
            add_event(cur, "order.placed", event_payload(order))
        self._cache.invalidate()
        placed = tuple(OrderLine(sku, products[sku]["name"], qty, products[sku]["price"]) for sku, qty in lines)
        return Order(**order, lines=placed)

    def get(self, order_id: str, caller: Caller) -> Order:
        with self._db.transaction() as cur:
            found = self._load(cur, "o.id = %s", [uuid_or_none(order_id)])
        # Someone else's order is "not found", exactly like a missing one, so ids cannot be probed.
        if not found or not _may_see(caller, found[0]):
            raise NotFound(NOT_FOUND)
        return found[0]

    def list(self, caller: Caller, *, page: Any = 1, limit: Any = 20) -> tuple[list[Order], dict[str, int]]:
        """The caller's own orders, newest first, and the pagination."""
        page_no, size = page_and_limit(page, limit)
        with self._db.transaction() as cur:
            cur.execute("SELECT count(*) AS n FROM orders WHERE customer_id = %s", (caller.user_id,))
            total = cur.fetchone()["n"]
            orders = self._load(
                cur, "o.customer_id = %s", [caller.user_id],
                page=" ORDER BY o.created_at DESC, o.id LIMIT %s OFFSET %s", page_args=[size, (page_no - 1) * size],
            )
        return orders, pagination(page_no, size, total)

    def cancel(self, order_id: str, caller: Caller) -> Order:
        """Cancel an unpaid order and put its stock back, in one transaction. A payment whose outcome is
        unknown must be settled first (shop/payments.py does, then calls this)."""
        wanted = uuid_or_none(order_id)
        with self._db.transaction() as cur:
            # The order row is locked first: a second cancellation waits here, then finds it cancelled.
            cur.execute("SELECT id, customer_id, status FROM orders WHERE id = %s FOR UPDATE", (wanted,))
            row = cur.fetchone() if wanted else None
            if row is None or not _may_see(caller, row):
                raise NotFound(NOT_FOUND)
            if row["status"] == "payment_pending":
                raise Conflict(PAYMENT_UNDER_WAY)
            if row["status"] not in CANCELLABLE:
                raise Conflict(f"Only an unpaid order can be cancelled; this order is {row['status']}")
            release(cur, wanted, "cancelled")
            order = self._load(cur, "o.id = %s", [wanted])[0]
        self._cache.invalidate()
        return order

    def ship(self, order_id: str, caller: Caller) -> Order:
        """An administrator records that a pending order has left the warehouse."""
        caller.require_admin()
        wanted = uuid_or_none(order_id)
        with self._db.transaction() as cur:
            cur.execute("SELECT status FROM orders WHERE id = %s FOR UPDATE", (wanted,))
            row = cur.fetchone() if wanted else None
            if row is None:
                raise NotFound(NOT_FOUND)
            if row["status"] != "pending":
                raise Conflict(f"Only a pending order can be shipped; this order is {row['status']}")
            cur.execute("UPDATE orders SET status = 'shipped', updated_at = now() WHERE id = %s", (wanted,))
            return self._load(cur, "o.id = %s", [wanted])[0]

    def _load(self, cur, where: str, args: list, *, page: str = "", page_args: list | None = None) -> list[Order]:
        """Orders matching `where` with their lines: two statements however many orders there are."""
        cur.execute(
            f"SELECT o.id, o.customer_id, o.status, o.total, o.created_at FROM orders o WHERE {where}{page}",
            [*args, *(page_args or [])],
        )
        orders = cur.fetchall()
        if not orders:
            return []
        cur.execute(
            "SELECT l.order_id, p.sku, p.name, l.quantity, l.unit_price FROM order_lines l"
            " JOIN products p ON p.id = l.product_id WHERE l.order_id = ANY(%s) ORDER BY l.order_id, l.line_no",
            ([o["id"] for o in orders],),
        )
        lines: dict[uuid.UUID, list[OrderLine]] = {}
        for row in cur.fetchall():
            lines.setdefault(row.pop("order_id"), []).append(OrderLine(**row))
        return [Order(**o, lines=tuple(lines.get(o["id"], ()))) for o in orders]


def release(cur, order_id: uuid.UUID, status: str) -> None:
    """End an unpaid order (cancelled or expired): its stock goes back and its event is stored, in the
    caller's transaction, which holds the order's row lock."""
    return_stock(cur, order_id)
    cur.execute("UPDATE orders SET status = %s, updated_at = now() WHERE id = %s"
                " RETURNING id, customer_id, status, total", (status, order_id))
    add_event(cur, f"order.{status}", event_payload(cur.fetchone()))


def return_stock(cur, order_id: uuid.UUID) -> None:
    """The order's quantities back on the shelf, in the caller's transaction."""
    # Products locked in SKU order, as every stock-changing transaction does.
    cur.execute(
        "SELECT p.id FROM products p JOIN order_lines l ON l.product_id = p.id WHERE l.order_id = %s"
        " ORDER BY p.sku FOR UPDATE OF p",
        (order_id,),
    )
    cur.execute(
        "UPDATE products p SET stock = p.stock + l.quantity, updated_at = now()"
        " FROM order_lines l WHERE l.order_id = %s AND l.product_id = p.id",
        (order_id,),
    )


def event_payload(order: Any) -> dict[str, Any]:
    """What order events say about the order: enough for a consumer to act without asking the shop."""
    get = order.__getattribute__ if isinstance(order, Order) else order.__getitem__
    return {"orderId": str(get("id")), "customerId": str(get("customer_id")), "status": get("status"),
            "total": as_text(get("total"))}


def _may_see(caller: Caller, order_row: Any) -> bool:
    customer = order_row.customer_id if isinstance(order_row, Order) else order_row["customer_id"]
    return caller.is_admin or customer == caller.user_id

