"""Checks of payments whose answer was lost: that the shop asked the provider what became of them (by the
attempt's idempotency key), and that the customer ended up charged once for an order she has, or refunded.
"""
from __future__ import annotations

from decimal import Decimal

from support.fakes.payment_provider import PaymentProviderFake
from support.people.check import expect_error
from support.wires.api_client import Reply
from support.wires.database import DatabaseInspector
from support.words import in_words

OUTCOME_UNKNOWN = ("An earlier payment of this order has not been confirmed by the payment provider yet; "
                   "try again later")


def expect_looked_up(fake: PaymentProviderFake, order_id: str) -> None:
    """The provider was asked about the order's first attempt, by the key its charges carried."""
    charge_keys = {r.idempotency_key for r in fake.requests_for(order_id)}
    searches = fake.requests_for(order_id, "search")
    asked_about = {r.params.get("query") for r in searches}
    wanted = {f"metadata['attempt']:'{key}'" for key in charge_keys}
    assert searches and asked_about <= wanted, (
        f"expected the shop to ask the provider about the attempt by its key ({in_words(sorted(charge_keys))}); "
        f"it asked {len(searches)} time(s): {in_words(sorted(q or '' for q in asked_about))}")


def expect_lost_charge_refunded(fake: PaymentProviderFake, db: DatabaseInspector, order_id: str, amount: Decimal,
                                currency: str) -> None:
    """The one charge the provider made is refunded in full, once; the shop recorded the attempt as refunded
    and never as a payment of the (cancelled) order."""
    charges = fake.charges_for([order_id])
    refunds = [r for charge in charges for r in fake.refunds_of(charge.id)]
    cents = int(amount * 100)
    seen = ([(c.amount, c.currency.upper()) for c in charges], [r.amount for r in refunds])
    assert seen == ([(cents, currency)], [cents]), (
        f"expected one charge of {cents} {currency} and one full refund of it; the provider holds "
        f"(charges, refunds) {in_words(seen)}")
    attempts = db.rows("SELECT outcome, provider_charge_id FROM payment_attempts WHERE order_id = %s"
                       " ORDER BY created_at", (order_id,))
    payments = db.rows("SELECT status FROM payments WHERE order_id = %s", (order_id,))
    recorded = ([(a["outcome"], a["provider_charge_id"]) for a in attempts], payments)
    assert recorded == ([("refunded", charges[0].id)], []), (
        f"expected the shop to record the attempt as refunded (charge {charges[0].id}) and no payment; it recorded "
        f"(attempts, payments) {in_words(recorded)}")


def expect_outcome_unknown_refusal(reply: Reply) -> None:
    expect_error(reply, 503, OUTCOME_UNKNOWN)


def expect_only_first_attempt_charged(fake: PaymentProviderFake, order_id: str) -> None:
    """Every charge request carried the first attempt's key: the later payment found the charge instead of
    asking for another."""
    keys = [r.idempotency_key for r in fake.requests_for(order_id)]
    assert keys and len(set(keys)) == 1 and keys[0].endswith("-payment-1"), (
        f"expected only the first attempt's tries to ask for a charge; the charge requests carried {in_words(keys)}")
