"""The scenario's orders: placed over HTTP in a person's name, or arranged before the scenario starts,
and remembered, by whom and in which order, so later steps can say "her order" or "that order".

Arranged orders go through the public API too: the customer places them with her own pass, and the
operator (support/door.py) ships or cancels them as an administrator would.
"""
from __future__ import annotations

from support.catalogue.arrange import Catalogue
from support.people.arrange import Cast, Person
from support.people.operator import Operator
from support.wires.api_client import Reply, ShopApi


class Orders:
    def __init__(self, api: ShopApi, catalogue: Catalogue, cast: Cast, operator: Operator):
        self._api, self._catalogue, self._cast, self._operator = api, catalogue, cast, operator
        self._latest: str | None = None

    def place(self, person: str, lines: list[tuple[str, int]]) -> Reply:
        """The person orders over HTTP; an order the shop accepts is remembered as theirs."""
        reply = self._api.place_order(self._cast.token_of(person), self._catalogue.items(lines))
        if reply.status == 201:
            self._remember(self._cast[person], reply.body["id"])
        return reply

    def arrange(self, person: str | Person, lines: list[tuple[str, int]]) -> str:
        """An order the person has already placed when the scenario starts; its id."""
        customer = self._cast[person] if isinstance(person, str) else person
        token = customer.token if customer.first_name not in self._cast else self._cast.token_of(customer.first_name)
        reply = self._api.place_order(token, self._catalogue.items(lines))
        _arranged(reply, 201, f"{customer.first_name}'s order")
        return self._remember(customer, reply.body["id"])

    def arrange_shipping(self, order_id: str) -> None:
        self._operator.act(lambda token: self._api.ship_order(token, order_id), "ship the order")

    def arrange_cancellation(self, order_id: str) -> None:
        self._operator.act(lambda token: self._api.cancel_order(token, order_id), "cancel the order")

    def record(self, person: str, order_id: str) -> str:
        """An order the person placed some other way (the storefront in a browser), remembered as theirs."""
        return self._remember(self._cast[person], order_id)

    def all(self) -> list[str]:
        return [order for person in self._cast.everyone() for order in person.orders]

    def _remember(self, person: Person, order_id: str) -> str:
        person.orders.append(order_id)
        self._latest = order_id
        return order_id

    def last(self) -> str:
        """The order placed last in the scenario, whoever placed it ("that order")."""
        if self._latest is None:
            raise KeyError("nobody has placed an order in this scenario")
        return self._latest

    def last_of(self, person: str) -> str:
        return self._cast[person].last_order

    def of(self, person: str) -> list[str]:
        return list(self._cast[person].orders) if person in self._cast else []

    def items_from_rows(self, rows: list[dict]) -> list[dict]:
        return self._catalogue.items(lines_from_rows(rows))


def _arranged(reply: Reply, status: int, what: str) -> None:
    if reply.status != status:
        raise AssertionError(f"could not arrange {what}: {reply.describe()}")


def lines_from_rows(rows: list[dict]) -> list[tuple[str, int]]:
    """(product, quantity) pairs from table rows with those columns."""
    return [(row["product"], row["quantity"]) for row in rows]
