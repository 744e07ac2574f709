"""The scenario's products, by the names its Gherkin uses, and the SKUs the shop knows them by.

What a scenario *starts with* ("Given the catalogue has") is added through the shop's public API with
the operator's authority (support/door.py), as an administrator adds products; what a scenario *does*
goes over HTTP in its people's names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from support import builders
from support.people.operator import Operator
from support.wires.api_client import Reply, ShopApi


@dataclass(frozen=True)
class StockedProduct:
    name: str
    sku: str
    id: str
    price: Decimal
    stock: int


@dataclass
class Catalogue:
    api: ShopApi
    operator: Operator
    _products: dict[str, StockedProduct] = field(default_factory=dict)
    # Products a scenario names that the shop does not sell, with the SKUs made up for them.
    _unsold: dict[str, str] = field(default_factory=dict)

    def stock(self, rows: list[dict]) -> None:
        """Store products from table rows with `product`, `price`, `stock` (and optionally `sku`)."""
        for row in rows:
            sku = row.get("sku") or builders.sku_for(row["product"])
            fields = {"sku": sku, "name": row["product"], "price": str(row["price"]), "stock": row["stock"]}
            self.remember(self.operator.act(lambda token, fields=fields: self.api.create_product(token, fields),
                                            f"add {row['product']} to the catalogue", 201))

    def stock_any(self, count: int) -> None:
        """`count` products with distinct, plausible names, prices and stock, for scenarios that do not care which."""
        names: set[str] = set()
        while len(names) < count:
            names.add(builders.product_name())
        self.stock([{"product": name, "price": "12.50", "stock": 100} for name in sorted(names)])

    def names(self) -> list[str]:
        """The names of the products this scenario stocked."""
        return list(self._products)

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
