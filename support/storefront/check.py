"""Checks of what the storefront told the customer, in the words on the page.

These check only what the page says; the effects (rows, stock, provider calls, events) are checked by
the same checks as for the API, where they land.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from support.fakes.payment_provider import DECLINES
from support.storefront.shopper import Shown
from support.words import in_words

STATUS_WORDS = {"pending": "Pending", "payment_failed": "Payment failed", "paid": "Paid", "shipped": "Shipped",
                "cancelled": "Cancelled", "refunded": "Refunded"}


def expect_signed_in(shown: Shown, full_name: str, role: str, lifetime: timedelta) -> None:
    """Greeted by name on a storefront page, for as long as the pass lasts (the session cookie's life)."""
    seen = (shown.signed_in_as, shown.alerts)
    assert seen == (f"Signed in as {full_name}", []), (
        f"expected the storefront to say 'Signed in as {full_name}' and no alert; {shown.describe()}, "
        f"naming {shown.signed_in_as!r}"
    )
    assert role == "customer", "the storefront is for customers; an administrator signs in through the API"
    left = shown.session_seconds_left
    assert left is not None and abs(left - lifetime.total_seconds()) < 60, (
        f"expected the storefront session to last {lifetime}; the browser keeps it "
        f"{'until it closes' if left is None else timedelta(seconds=round(left))}"
    )


def expect_sign_in_refused(shown: Shown, message: str) -> None:
    seen = (shown.heading, shown.alerts, shown.signed_in_as)
    assert seen == ("Sign in", [message], None), (
        f"expected to stay on the sign-in page, told {message!r} and not signed in; {shown.describe()}"
    )


def expect_products(shown: Shown, rows: list[dict]) -> None:
    """Exactly these products, in this order, with these prices and stock, as the catalogue page lists them."""
    wanted = [(row["product"], f"{row['price']:.2f}", str(row["stock"])) for row in rows]
    seen = [(r.get("Product"), (r.get("Price") or "").split(" ")[0], r.get("In stock")) for r in shown.rows]
    assert seen == wanted, (
        f"expected the catalogue page to list (product, price, stock) {in_words(wanted)}; it listed {in_words(seen)}")


def expect_order_placed(shown: Shown, status: str = "pending") -> str:
    """The order's own page, thanking the customer, with its number and status; the order number."""
    seen = (shown.heading, shown.notices, shown.facts.get("Status"), shown.alerts)
    wanted = ("Your order", ["Thank you: your order is placed."], STATUS_WORDS[status], [])
    assert seen == wanted and shown.facts.get("Order number"), (
        f"expected the order's page thanking the customer, status {STATUS_WORDS[status]}; {shown.describe()}, "
        f"facts: {in_words(shown.facts)}"
    )
    return shown.facts["Order number"]


def expect_not_enough_stock(shown: Shown, product: str) -> None:
    """Back at the basket, still holding the products, told in words which product is short."""
    said = " ".join(shown.alerts)
    assert shown.heading == "Your basket" and f"there is not enough {product} in stock" in said, (
        f"expected the basket page saying there is not enough {product} in stock; {shown.describe()}"
    )
    assert any(row.get("Product") == product for row in shown.rows), (
        f"expected {product} still in the basket after the refusal; the basket holds {in_words(shown.rows)}"
    )


def expect_paid(shown: Shown, order_id: str, amount: Decimal, currency: str) -> None:
    notice = f"Thank you: your payment of {amount:.2f} {currency} is received."
    seen = (shown.facts.get("Order number"), shown.notices, shown.alerts)
    assert seen == (order_id, [notice], []), f"expected order {order_id}'s page saying {notice!r}; {shown.describe()}"


def expect_declined(shown: Shown, order_id: str, code: str) -> None:
    """The provider's reason for the decline, on the order's page, which now says the payment failed."""
    message = f"Your card was declined: {DECLINES[code][1]}"
    seen = (shown.facts.get("Order number"), shown.alerts, shown.facts.get("Status"))
    wanted = (order_id, [message], STATUS_WORDS["payment_failed"])
    assert seen == wanted, (
        f"expected (order, alerts, status) {in_words(wanted)}; {shown.describe()}, status {seen[2]!r}")


def expect_not_found(shown: Shown) -> None:
    seen = (shown.status, shown.heading)
    assert seen == (404, "Order not found"), (
        f"expected a page saying the order was not found (status 404); {shown.describe()}"
    )


def expect_order_list(shown: Shown, order_ids: list[str], count: int) -> None:
    assert len(order_ids) == count, f"the scenario placed {len(order_ids)} orders for this customer, not {count}"
    seen = [row.get("Order") for row in shown.rows]
    assert (shown.heading, seen) == ("My orders", order_ids), (
        f"expected 'My orders' listing exactly {in_words(order_ids)}, in that order; {shown.describe()}, "
        f"listing {in_words(seen)}"
    )


def expect_status_shown(shown: Shown, order_id: str, status: str) -> None:
    seen = (shown.facts.get("Order number"), shown.facts.get("Status"))
    assert seen == (order_id, STATUS_WORDS[status]), (
        f"expected order {order_id}'s page to show it {STATUS_WORDS[status]}; "
        f"it showed (order, status) {in_words(seen)}"
    )
