"""How the scenario's customers reach the shop: through its REST API (the default), or through the
storefront in a browser (support/storefront/channel.py, for @ui scenarios).

One business sentence ("Alice orders 2 Kettles") means the same in both; the channel decides how she
does it, and how what she was told is checked. Effects (rows, stock, provider calls, events) are
checked the same way whichever channel acted. Both channels offer the methods below.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from support.catalogue import check as catalogue_expectations
from support.catalogue.arrange import Catalogue
from support.orders import check as order_expectations
from support.orders.arrange import Orders
from support.payments import arrange as payments
from support.payments import check as payment_expectations
from support.people import check as expectations
from support.people.arrange import Cast
from support.wires.api_client import Reply, ShopApi


class ApiChannel:
    """Customers call the REST API with their pass; what they are told is the API's answer."""

    name = "the API"

    def __init__(self, api: ShopApi, cast: Cast, catalogue: Catalogue, orders: Orders):
        self._api, self._cast, self._catalogue, self._orders = api, cast, catalogue, orders

    # -- acting ---------------------------------------------------------------------------------------
    def sign_in(self, who: str, email: str, password: str) -> Reply:
        return self._api.sign_in(email, password, address=self._cast[who].address)

    def browse(self, who: str) -> Reply:
        return self._api.browse_products(self._cast.token_of(who))

    def search(self, who: str, text: str) -> Reply:
        return self._api.browse_products(self._cast.token_of(who), name=text)

    def place_order(self, who: str, lines: list[tuple[str, int]]) -> Reply:
        return self._orders.place(who, lines)

    def pay(self, who: str, order_id: str, card: str) -> Reply:
        return payments.pay(self._api, self._cast.token_of(who), order_id, card)

    def cancel(self, who: str, order_id: str) -> Reply:
        return self._api.cancel_order(self._cast.token_of(who), order_id)

    def look_at_order(self, who: str, order_id: str) -> Reply:
        return self._api.get_order(self._cast.token_of(who), order_id)

    def list_orders(self, who: str) -> Reply:
        return self._api.list_orders(self._cast.token_of(who))

    # -- what they were told --------------------------------------------------------------------------
    def expect_signed_in(self, reply: Reply, who: str, role: str, lifetime: timedelta) -> None:
        expectations.expect_signed_in(reply, user_id=self._cast[who].id, role=role, lifetime=lifetime)

    def expect_sign_in_refused(self, reply: Reply, message: str) -> None:
        expectations.expect_error(reply, 401, message)

    def expect_products(self, reply: Reply, rows: list[dict]) -> None:
        catalogue_expectations.expect_listed_exactly(reply, rows)

    def expect_order_accepted(self, reply: Reply, who: str) -> str:
        return order_expectations.expect_order_accepted(reply, self._cast[who].id)

    def expect_not_enough_stock(self, reply: Reply, product: str) -> None:
        order_expectations.expect_insufficient_stock(reply, self._catalogue, product)

    def expect_paid(self, reply: Reply, order_id: str, amount: Decimal, currency: str) -> None:
        payment_expectations.expect_paid_reply(reply, order_id, amount, currency)

    def expect_declined(self, reply: Reply, who: str, order_id: str, code: str) -> None:
        payment_expectations.expect_declined(reply, code, who)

    def expect_not_found(self, reply: Reply) -> None:
        expectations.expect_error(reply, 404, "Order not found")

    def expect_order_list(self, reply: Reply, order_ids: list[str], count: int) -> None:
        order_expectations.expect_order_list(reply, order_ids, count)

    def expect_status_shown(self, reply: Reply, order_id: str, status: str) -> None:
        expectations.expect_status(reply, 200, f"reading order {order_id}")
        seen = (reply.body["id"], reply.body["status"])
        assert seen == (order_id, status), (
            f"expected order {order_id} shown as {status}; the shop showed order {seen[0]} as {seen[1]}")
