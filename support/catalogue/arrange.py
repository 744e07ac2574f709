"""The scenario's products, by the names its Gherkin uses, and the orders its people have placed.

What a scenario *starts with* ("Given the catalogue has", "Given Alice has ordered") is stored through
the shop's own service layer, which is quick; everything a scenario *does* goes over HTTP.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from shop.auth import Caller
from shop.orders import Orders
from shop.products import Products
from support import builders
from support.wires.api_client import Reply, ShopApi

# The shop's own authority, used only to arrange a scenario's starting state.
_ARRANGER = Caller(uuid.UUID(int=0), "admin")


@dataclass(frozen=True)
class StockedProduct:
    name: str
    sku: str
    id: str
    price: Decimal
    stock: int


@dataclass
class Catalogue:
    products_service: Products
    orders_service: Orders
    _products: dict[str, StockedProduct] = field(default_factory=dict)
    # Each person's orders, oldest first, as the shop gave their ids.
    _orders: dict[str, list[str]] = field(default_factory=dict)
    # Products a scenario names that the shop does not sell, with the SKUs made up for them.
    _unsold: dict[str, str] = field(default_factory=dict)
    _latest: str | None = None

    def stock(self, rows: list[dict]) -> None:
        """Store products from table rows with `product`, `price`, `stock` (and optionally `sku`)."""
        for row in rows:
            sku = row.get("sku") or builders.sku_for(row["product"])
            fields = {"sku": sku, "name": row["product"], "price": str(row["price"]), "stock": row["stock"]}
            stored = self.products_service.create(fields, _ARRANGER)
            self._products[row["product"]] = StockedProduct(
                stored.name, stored.sku, str(stored.id), stored.price, stored.stock
            )

    def fields_for(self, name: str, price: object, stock: int) -> dict:
        """What an administrator sends to add a product, with a SKU made up for it."""
        return {"sku": builders.sku_for(name), "name": name, "price": price, "stock": stock}

    def remember(self, reply: Reply) -> None:
        """A product the shop says it added over HTTP, so later steps can name it."""
        if reply.status == 201:
            body = reply.body
            self._products[body["name"]] = StockedProduct(
                body["name"], body["sku"], body["id"], Decimal(body["price"]), body["stock"]
            )

    def __getitem__(self, name: str) -> StockedProduct:
        for candidate in (name, name.removesuffix("s"), name.removesuffix("es")):
            if candidate in self._products:
                return self._products[candidate]
        known = ", ".join(self._products) or "nothing yet"
        raise KeyError(f"the catalogue of this scenario has no {name!r} (it has: {known})")

    def unsold(self, name: str) -> str:
        """A SKU for a product the shop does not sell, remembered under the scenario's name for it."""
        return self._unsold.setdefault(name, builders.sku_for(name))

    def names_by_sku(self) -> dict[str, str]:
        return {**{sku: name for name, sku in self._unsold.items()}, **{p.sku: p.name for p in self._products.values()}}

    def name_of(self, sku: str) -> str:
        return self.names_by_sku().get(sku, sku)

    def items(self, lines: list[tuple[str, int]]) -> list[dict]:
        """Order items as the shop takes them, from (product name, quantity) pairs."""
        return [{"sku": self[name].sku, "quantity": quantity} for name, quantity in lines]

    def items_from_rows(self, rows: list[dict]) -> list[dict]:
        return self.items(lines_from_rows(rows))

    def arrange_order(self, person: str, customer_id: str, lines: list[tuple[str, int]]) -> str:
        """An order the person has already placed when the scenario starts; its id."""
        caller = Caller(uuid.UUID(customer_id), "customer")
        order = self.orders_service.place(caller, self.items(lines))
        return self.record_order(person, str(order.id))

    def arrange_shipping(self, order_id: str) -> None:
        self.orders_service.ship(order_id, _ARRANGER)

    def arrange_cancellation(self, order_id: str) -> None:
        self.orders_service.cancel(order_id, _ARRANGER)

    def place(self, api: ShopApi, person: str, token: str | None, lines: list[tuple[str, int]]) -> Reply:
        """The person orders over HTTP; an order the shop accepts is remembered as theirs."""
        reply = api.place_order(token, self.items(lines))
        if reply.status == 201:
            self.record_order(person, reply.body["id"])
        return reply

    def record_order(self, person: str, order_id: str) -> str:
        self._orders.setdefault(person, []).append(order_id)
        self._latest = order_id
        return order_id

    def last_order(self) -> str:
        """The order placed last in the scenario, whoever placed it ("that order")."""
        if self._latest is None:
            raise KeyError("nobody has placed an order in this scenario")
        return self._latest

    def last_order_of(self, person: str) -> str:
        if not self._orders.get(person):
            raise KeyError(f"{person} has not placed an order in this scenario")
        return self._orders[person][-1]

    def orders_of(self, person: str) -> list[str]:
        return list(self._orders.get(person, []))

    def all_orders(self) -> list[str]:
        return [order for orders in self._orders.values() for order in orders]


def lines_from_rows(rows: list[dict]) -> list[tuple[str, int]]:
    """(product, quantity) pairs from table rows with those columns."""
    return [(row["product"], row["quantity"]) for row in rows]
