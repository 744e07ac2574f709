"""Customers act through the storefront in a browser (the @ui scenarios); what they are told is what
the page says. Same methods as support.channels.ApiChannel."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from support.catalogue.arrange import Catalogue
from support.orders.arrange import Orders
from support.people.arrange import Cast
from support.storefront import check as told
from support.storefront.browser import BrowserSession
from support.storefront.shopper import Shown, Storefront


class StorefrontChannel:
    name = "the storefront"

    def __init__(self, session: BrowserSession, shop_url: str, cast: Cast, catalogue: Catalogue, orders: Orders):
        self._store = Storefront(session, shop_url, cast, catalogue, orders)
        self._cast, self._catalogue, self._orders = cast, catalogue, orders

    # -- acting ---------------------------------------------------------------------------------------
    def sign_in(self, who: str, email: str, password: str) -> Shown:
        return self._store.sign_in(who, email, password)

    def browse(self, who: str) -> Shown:
        return self._store.browse(who)

    def search(self, who: str, text: str) -> Shown:
        return self._store.search(who, text)

    def place_order(self, who: str, lines: list[tuple[str, int]]) -> Shown:
        return self._store.place_order(who, lines)

    def pay(self, who: str, order_id: str, card: str) -> Shown:
        return self._store.pay(who, order_id, card)

    def cancel(self, who: str, order_id: str) -> Shown:
        return self._store.cancel(who, order_id)

    def look_at_order(self, who: str, order_id: str) -> Shown:
        return self._store.look_at_order(who, order_id)

    def list_orders(self, who: str) -> Shown:
        return self._store.list_orders(who)

    # -- what they were told --------------------------------------------------------------------------
    def expect_signed_in(self, shown: Shown, who: str, role: str, lifetime: timedelta) -> None:
        told.expect_signed_in(shown, self._cast[who].details.name, role, lifetime)

    def expect_sign_in_refused(self, shown: Shown, message: str) -> None:
        told.expect_sign_in_refused(shown, message)

    def expect_products(self, shown: Shown, rows: list[dict]) -> None:
        told.expect_products(shown, rows)

    def expect_order_accepted(self, shown: Shown, who: str) -> str:
        order_id = told.expect_order_placed(shown)
        assert order_id == self._orders.last_of(who), f"expected the page to show {who}'s new order"
        return order_id

    def expect_not_enough_stock(self, shown: Shown, product: str) -> None:
        told.expect_not_enough_stock(shown, self._catalogue[product].name)

    def expect_paid(self, shown: Shown, order_id: str, amount: Decimal, currency: str) -> None:
        told.expect_paid(shown, order_id, amount, currency)

    def expect_declined(self, shown: Shown, who: str, order_id: str, code: str) -> None:
        told.expect_declined(shown, order_id, code)

    def expect_not_found(self, shown: Shown) -> None:
        told.expect_not_found(shown)

    def expect_order_list(self, shown: Shown, order_ids: list[str], count: int) -> None:
        told.expect_order_list(shown, order_ids, count)

    def expect_status_shown(self, shown: Shown, order_id: str, status: str) -> None:
        told.expect_status_shown(shown, order_id, status)
