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

    def stock(self, rows: list[dict]) -> None:
        """Store products from table rows with `product`, `price`, `stock` (and optionally `sku`)."""
        for row in rows:
            sku = row.get("sku") or builders.sku_for(row["product"])
            fields = {"sku": sku, "name": row["product"], "price": str(row["price"]), "stock": row["stock"]}
            stored = self.products_service.create(fields, _ARRANGER)
            self._products[row["product"]] = StockedProduct(
                stored.name, stored.sku, str(stored.id), stored.price, stored.stock
            )

    def __getitem__(self, name: str) -> StockedProduct:
        for candidate in (name, name.removesuffix("s"), name.removesuffix("es")):
            if candidate in self._products:
                return self._products[candidate]
        known = ", ".join(self._products) or "nothing yet"
        raise KeyError(f"the catalogue of this scenario has no {name!r} (it has: {known})")

    def name_of(self, sku: str) -> str:
        return next((p.name for p in self._products.values() if p.sku == sku), sku)

    def items(self, lines: list[tuple[str, int]]) -> list[dict]:
        """Order items as the shop takes them, from (product name, quantity) pairs."""
        return [{"sku": self[name].sku, "quantity": quantity} for name, quantity in lines]

    def items_from_rows(self, rows: list[dict]) -> list[dict]:
        return self.items([(row["product"], row["quantity"]) for row in rows])

    def arrange_order(self, person: str, customer_id: str, lines: list[tuple[str, int]]) -> str:
        """An order the person has already placed when the scenario starts; its id."""
        caller = Caller(uuid.UUID(customer_id), "customer")
        order = self.orders_service.place(caller, self.items(lines))
        return self.record_order(person, str(order.id))

    def arrange_shipping(self, order_id: str) -> None:
        self.orders_service.ship(order_id, _ARRANGER)

    def record_order(self, person: str, order_id: str) -> str:
        self._orders.setdefault(person, []).append(order_id)
        return order_id

    def last_order_of(self, person: str) -> str:
        if not self._orders.get(person):
            raise KeyError(f"{person} has not placed an order in this scenario")
        return self._orders[person][-1]

    def orders_of(self, person: str) -> list[str]:
        return list(self._orders.get(person, []))
