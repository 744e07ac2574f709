"""A customer using the storefront in the browser, as a person would: by the labels, buttons and links
the pages show (so a page without an accessible label or name cannot be used here either).

Each action ends with a `Shown`: a snapshot of what the page then said, which the checks read.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

from support.catalogue.arrange import Catalogue
from support.orders.arrange import Orders
from support.people.arrange import Cast
from support.storefront.browser import BrowserSession

# Reads the page as its reader would: the heading, the alerts and notices, the main table by its
# column headings, the facts listed in the page's definition list, who it says is signed in.
_SNAPSHOT = """() => {
  const text = e => (e ? e.innerText.trim() : null);
  const table = document.querySelector('main table');
  let rows = [];
  if (table) {
    const heads = [...table.querySelectorAll('thead th')].map(text);
    rows = [...table.querySelectorAll('tbody tr')].map(
      tr => Object.fromEntries([...tr.children].map((cell, i) => [heads[i], text(cell)])));
  }
  const facts = {};
  document.querySelectorAll('main dl dt').forEach(dt => { facts[text(dt)] = text(dt.nextElementSibling); });
  return {heading: text(document.querySelector('h1')) || '',
          alerts: [...document.querySelectorAll('[role=alert]')].map(text),
          notices: [...document.querySelectorAll('[role=status]')].map(text),
          rows, facts, signedInAs: text(document.querySelector('#signed-in-as'))};
}"""


@dataclass(frozen=True)
class Shown:
    """What the storefront showed one person after an action."""

    who: str
    url: str
    status: int | None
    heading: str
    alerts: list[str]
    notices: list[str]
    rows: list[dict[str, str]]
    facts: dict[str, str]
    signed_in_as: str | None
    session_seconds_left: float | None = None

    def describe(self) -> str:
        said = "; ".join([*(f"alert {a!r}" for a in self.alerts), *(f"notice {n!r}" for n in self.notices)])
        return (f"{self.who}'s browser showed the page {self.heading!r} (status {self.status}, {self.url})"
                + (f", saying {said}" if said else ", with no alert or notice"))


class Storefront:
    """The scenario's customers at the storefront, each in their own browser profile."""

    def __init__(self, session: BrowserSession, shop_url: str, cast: Cast, catalogue: Catalogue, orders: Orders):
        self._session = session
        self._base = shop_url.rstrip("/") + "/shop"
        self._cast = cast
        self._catalogue = catalogue
        self._orders = orders
        self._signed_in: set[str] = set()

    # -- actions ------------------------------------------------------------------------------------
    def sign_in(self, who: str, email: str, password: str) -> Shown:
        page = self._session.page_of(who, self._cast[who].address)
        page.goto(f"{self._base}/sign-in")
        _fill(who, page, "Email", email)
        _fill(who, page, "Password", password)
        shown = self._submit(who, _button(who, page, "Sign in"))
        if shown.signed_in_as:
            self._signed_in.add(who)
        return shown

    def browse(self, who: str) -> Shown:
        page = self._signed_in_page(who)
        return self._open(who, page, "/")

    def search(self, who: str, text: str) -> Shown:
        page = self._signed_in_page(who)
        self._open(who, page, "/")
        _fill(who, page, "Search the catalogue", text, role="searchbox")
        return self._submit(who, _button(who, page, "Search"))

    def place_order(self, who: str, lines: list[tuple[str, int]]) -> Shown:
        """Find each product, put the quantity in the basket, then place the order from the basket."""
        page = self._signed_in_page(who)
        for product, quantity in lines:
            name = self._catalogue[product].name
            self.search(who, name)
            _fill(who, page, f"Quantity of {name}", str(quantity))
            added = self._submit(who, _button(who, page, f"Add {name} to basket"))
            if added.alerts:
                raise AssertionError(f"{who} could not put {quantity} {name} in her basket: {added.describe()}")
        self._follow(who, _present(who, page.get_by_role("link", name=re.compile(r"^Basket")), "a Basket link"))
        shown = self._submit(who, _button(who, page, "Place order"))
        if "Order number" in shown.facts:
            self._orders.record(who, shown.facts["Order number"])
        return shown

    def pay(self, who: str, order_id: str, card: str) -> Shown:
        page = self._signed_in_page(who)
        self._open(who, page, f"/orders/{order_id}")
        _fill(who, page, "Card", card)
        return self._submit(who, _present(who, page.get_by_role("button", name=re.compile(r"^Pay ")), "a Pay button"))

    def cancel(self, who: str, order_id: str) -> Shown:
        page = self._signed_in_page(who)
        self._open(who, page, f"/orders/{order_id}")
        return self._submit(who, _button(who, page, "Cancel order"))

    def look_at_order(self, who: str, order_id: str) -> Shown:
        return self._open(who, self._signed_in_page(who), f"/orders/{order_id}")

    def list_orders(self, who: str) -> Shown:
        page = self._signed_in_page(who)
        self._open(who, page, "/")
        my_orders = page.get_by_role("link", name="My orders", exact=True)
        return self._follow(who, _present(who, my_orders, "a My orders link"))

    # -- the mechanics --------------------------------------------------------------------------------
    def _signed_in_page(self, who: str):
        if who not in self._signed_in:
            person = self._cast[who]
            shown = self.sign_in(who, person.email, person.details.password)
            if not shown.signed_in_as:
                raise AssertionError(f"{who} could not sign in to the storefront: {shown.describe()}")
        return self._session.page_of(who)

    def _open(self, who: str, page, path: str) -> Shown:
        response = page.goto(self._base + path)
        return self._snapshot(who, page, response.status if response else None)

    def _submit(self, who: str, button) -> Shown:
        """Press a button that sends a form, and wait for the page the shop answers with."""
        page = self._session.page_of(who)
        with page.expect_navigation() as navigation:
            button.click()
        response = navigation.value
        return self._snapshot(who, page, response.status if response else None)

    def _follow(self, who: str, link) -> Shown:
        return self._submit(who, link)

    def _snapshot(self, who: str, page, status: int | None) -> Shown:
        seen = page.evaluate(_SNAPSHOT)
        return Shown(who, page.url, status, seen["heading"], seen["alerts"], seen["notices"], seen["rows"],
                     seen["facts"], seen["signedInAs"], _session_seconds_left(page))


def _session_seconds_left(page) -> float | None:
    """How long the browser keeps the storefront's session cookie (None: until the browser closes)."""
    for cookie in page.context.cookies():
        if cookie["name"] == "session" and cookie.get("expires", -1) > 0:
            return cookie["expires"] - time.time()
    return None


# The page has finished loading when these run (every action waits for its navigation), so a control that
# is not there now is missing: say so in words at once rather than wait out a timeout.
def _present(who: str, locator, what: str):
    if locator.count() != 1:
        heading = locator.page.locator("h1").first.inner_text() if locator.page.locator("h1").count() else "?"
        raise AssertionError(f"{who} expected {what} on the page {heading!r} ({locator.page.url}); "
                             f"found {locator.count()}")
    return locator


def _fill(who: str, page, label: str, value: str, role: str | None = None) -> None:
    field = page.get_by_role(role, name=label) if role else page.get_by_label(label, exact=True)
    _present(who, field, f"one field labelled {label!r}").fill(value)


def _button(who: str, page, name: str):
    return _present(who, page.get_by_role("button", name=name, exact=True), f"one button named {name!r}")
