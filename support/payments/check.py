"""Checks of payments and refunds where they land: the shop's answer, its tables (orders, payments,
payment attempts, outbox events) and the fake payment provider's own record of charges and refunds.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from support.fakes.boundary import NOT_ON_THE_WIRE
from support.fakes.payment_provider import DECLINES, PaymentProviderFake
from support.people.check import expect_error, expect_status
from support.polling import eventually
from support.rush import RushOutcome
from support.wires.api_client import Reply
from support.wires.database import DatabaseInspector
from support.words import in_words

PROCESSING_FAILED = "Payment processing failed"
# The warehouse (the order-events worker) ships a paid order soon after it is paid: shipped implies paid.
PAID_OR_LATER = ("paid", "shipped")
REFUSALS = {
    "the order is already paid": (409, "This order is already paid"),
    "a payment is under way": (409, "A payment for this order is under way; try again in a moment"),
    "the order is cancelled": (409, "Only a pending order can be paid; this order is cancelled"),
    "the order is not hers": (404, "Order not found"),
    "the order is not his": (404, "Order not found"),
    "only the customer who placed it can pay for it": (403, "Only the customer who placed an order can pay for it"),
    "it needs an administrator": (403, "This needs an administrator"),
    "the order is not paid": (409, "Only a paid order can be refunded; this order is pending"),
    "the refund could not be processed": (503, "Refund processing failed"),
}


def expect_refusal(reply: Reply, reason: str) -> None:
    if reason not in REFUSALS:
        raise KeyError(f"no payment refusal is known as {reason!r}; known: {', '.join(REFUSALS)}")
    expect_error(reply, *REFUSALS[reason])


def expect_paid_reply(reply: Reply, order_id: str, total: Decimal, currency: str) -> None:
    expect_status(reply, 200, "paying for the order")
    seen = (reply.body["orderId"], reply.body["status"], reply.body["amount"], reply.body["currency"])
    wanted = (order_id, "paid", f"{total:.2f}", currency)
    assert seen == wanted, (f"expected the shop to say (order, status, amount, currency) "
                            f"{in_words(wanted)}, it said {in_words(seen)}")


def expect_refund_reply(reply: Reply, order_id: str, amount: Decimal) -> None:
    expect_status(reply, 200, "refunding the order")
    seen = (reply.body["orderId"], reply.body["status"], reply.body["amount"], "refundedAt" in reply.body)
    wanted = (order_id, "refunded", f"{amount:.2f}", True)
    assert seen == wanted, (f"expected the shop to say (order, status, amount, refunded at) "
                            f"{in_words(wanted)}; it said {in_words(seen)}")


def expect_order_paid(db: DatabaseInspector, order_id: str, who: str) -> None:
    """The order is paid (or already shipped, which only a paid order can be) and its payment is recorded."""
    status = db.one("SELECT status FROM orders WHERE id = %s", (order_id,))["status"]
    payment = db.one("SELECT status FROM payments WHERE order_id = %s", (order_id,))
    assert status in PAID_OR_LATER and payment and payment["status"] == "paid", (
        f"expected {who}'s order paid (or shipped since) with its payment recorded; the order is {status}, "
        f"its payment {payment['status'] if payment else 'not recorded'}"
    )


def expect_charged_once(fake: PaymentProviderFake, db: DatabaseInspector, order_ids: list[str], who: str,
                        amount: Decimal, currency: str) -> None:
    """One successful charge at the provider for the person's orders, on their card, and the shop's
    payment record naming that very charge with the same amount."""
    charges = fake.charges_for(order_ids)
    assert len(charges) == 1, (
        f"expected {who} charged once, the payment provider holds {len(charges)} charges: {fake.describe()}"
    )
    charge = charges[0]
    cents = int(amount * 100)
    seen = (charge.amount, charge.currency.upper(), charge.source in fake.cards_of(who))
    assert seen == (cents, currency, True), (
        f"expected a charge of {cents} cents in {currency} on {who}'s card; found (cents, currency, "
        f"on {who}'s card) {in_words(seen)}"
    )
    payment = db.one("SELECT provider_charge_id, amount, currency FROM payments WHERE order_id = %s",
                     (charge.metadata["order_id"],))
    recorded = payment and (payment["provider_charge_id"], payment["amount"], payment["currency"])
    assert recorded == (charge.id, amount, currency), (
        f"expected the shop to record the payment as charge {charge.id} of {amount} {currency}; it recorded "
        f"{in_words(recorded or None)}"
    )


def expect_not_charged(fake: PaymentProviderFake, db: DatabaseInspector, order_ids: list[str], who: str) -> None:
    charges = fake.charges_for(order_ids)
    recorded = db.rows("SELECT provider_charge_id FROM payments WHERE order_id = ANY(%s::uuid[])", (order_ids,))
    assert not charges and not recorded, (
        f"expected {who} not charged; the provider holds {fake.describe()}; the shop recorded payments "
        f"{in_words([r['provider_charge_id'] for r in recorded])}"
    )


def expect_declined(reply: Reply, code: str, who: str) -> None:
    """Refused with 402, the customer told the provider's own reason, the decline code given."""
    expect_status(reply, 402, f"{who} paying with a card the provider declines")
    message = DECLINES[code][1]
    seen = (reply.error, ((reply.body or {}).get("errors") or {}).get("card"))
    assert seen == (f"Your card was declined: {message}", code), (
        f"expected {who} told the card was declined ({message!r}, code {code}); the shop said {in_words(seen)}"
    )


def expect_decline_recorded(db: DatabaseInspector, order_id: str, code: str, who: str) -> None:
    order = db.one("SELECT status FROM orders WHERE id = %s", (order_id,))
    attempts = _attempts(db, order_id)
    seen = (order["status"], [(a["outcome"], a["decline_code"], a["reason"]) for a in attempts])
    wanted = ("payment_failed", [("declined", code, DECLINES[code][1])])
    assert seen == wanted, (f"expected {who}'s order (status, attempts) {in_words(wanted)}; "
                            f"found {in_words(seen)}")


def expect_processing_failed(reply: Reply, who: str) -> None:
    expect_error(reply, 503, PROCESSING_FAILED)


def expect_payable(db: DatabaseInspector, order_id: str, who: str) -> None:
    """Nothing recorded as paid, and the order still awaits payment: pending, or `payment_pending` with its
    last attempt's outcome unknown (the shop asks the provider about it before the next payment)."""
    status = db.one("SELECT status FROM orders WHERE id = %s", (order_id,))["status"]
    payments = db.count("payments")
    outcomes = [(a["outcome"], a["reason"]) for a in _attempts(db, order_id)]
    last = outcomes[-1][0] if outcomes else None
    assert payments == 0 and (status, last) in (("pending", "failed"), ("payment_pending", "unknown")), (
        f"expected {who}'s order still awaiting payment, no payment recorded and the unsuccessful attempt on record;"
        f" the order is {status}, {payments} payment(s) recorded, attempts (outcome, reason) {in_words(outcomes)}"
    )


def expect_tries(fake: PaymentProviderFake, order_id: str, tries: int, *, read_timeout_at_most: float) -> None:
    """The shop asked `tries` times, always with the one idempotency key of the order's attempt, and
    never without connect and read timeouts. (Over HTTP the fake records a call it withholds its answer
    from once the shop hangs up, a moment after the shop gave up: hence `eventually`.)"""
    eventually(lambda: _expect_tries(fake, order_id, tries, read_timeout_at_most), timeout=2,
               description=f"the payment provider to have seen {tries} tries")


def _expect_tries(fake: PaymentProviderFake, order_id: str, tries: int, read_timeout_at_most: float) -> None:
    calls = fake.requests_for(order_id)
    keys = {call.idempotency_key for call in calls}
    timeouts = {call.timeout for call in calls}
    assert len(calls) == tries, (
        f"expected the shop to ask the payment provider {tries} times, it asked {len(calls)} times: "
        f"{in_words([call.outcome for call in calls])}"
    )
    assert len(keys) == 1 and order_id in next(iter(keys)), (
        f"expected every try to carry one idempotency key made from order {order_id}; they carried {in_words(keys)}"
    )
    # In process the timeouts the shop gave requests are seen; over HTTP they are not on the wire, and only
    # how long the shop waited for an answer that never came is seen, as (None, seconds).
    seen = timeouts - {NOT_ON_THE_WIRE}
    assert all(isinstance(t, tuple) and len(t) == 2 and 0 < t[1] <= read_timeout_at_most for t in seen), (
        f"expected every try to have connect and read timeouts, reading at most {read_timeout_at_most}s; "
        f"they had (connect, read) {in_words(timeouts)}"
    )


def expect_keys_differ(fake: PaymentProviderFake, order_id: str, attempts: int) -> None:
    keys = list(dict.fromkeys(call.idempotency_key for call in fake.requests_for(order_id)))
    assert len(keys) == attempts, (
        f"expected {attempts} attempts with a key each, the provider saw keys {in_words(keys)}")


def expect_one_accepted(outcome: RushOutcome, refusal: str) -> None:
    status, message = REFUSALS[refusal]
    answers = sorted((a.reply.status, a.reply.error) for a in outcome.attempts)
    wanted = sorted([(200, None)] + [(status, message)] * (len(outcome.attempts) - 1))
    assert answers == wanted, f"expected one payment accepted, the others refused; {outcome.describe()}"
    assert outcome.most_in_flight() == len(outcome.attempts), (
        f"expected every payment under way at one instant, so the race was real; {outcome.describe()}"
    )


def expect_announced(db: DatabaseInspector, order_id: str, event_type: str, status: str, total: Decimal) -> None:
    """The event is stored with the change (the relay publishes it later)."""
    rows = db.rows("SELECT payload FROM outbox WHERE type = %s AND payload->>'orderId' = %s", (event_type, order_id))
    seen = [(r["payload"]["status"], r["payload"]["total"]) for r in rows]
    assert seen == [(status, f"{total:.2f}")], (
        f"expected one {event_type} event for the order saying ({status}, {total:.2f}); found {in_words(seen)}"
    )


def expect_refunded(fake: PaymentProviderFake, db: DatabaseInspector, order_id: str, amount: Decimal) -> None:
    """The provider refunded the order's charge in full, once, and the shop recorded that refund."""
    charges = fake.charges_for([order_id])
    refunds = [r for charge in charges for r in fake.refunds_of(charge.id)]
    assert len(refunds) == 1 and refunds[0].amount == int(amount * 100), (
        f"expected one refund of {amount} for the order at the provider; it holds "
        f"{in_words([f'refund {r.id} of {r.amount} {r.currency} (charge {r.charge_id})' for r in refunds])}"
    )
    row = db.one(
        "SELECT p.status, p.provider_refund_id, o.status AS order_status FROM payments p"
        " JOIN orders o ON o.id = p.order_id WHERE p.order_id = %s", (order_id,))
    seen = row and (row["status"], row["provider_refund_id"], row["order_status"])
    assert seen == ("refunded", refunds[0].id, "refunded"), (
        f"expected payment and order refunded with refund {refunds[0].id}; "
        f"found (payment, refund, order) {in_words(seen)}"
    )


def expect_not_refunded(fake: PaymentProviderFake, db: DatabaseInspector, order_id: str) -> None:
    row = db.one("SELECT p.status, o.status AS order_status FROM payments p JOIN orders o ON o.id = p.order_id"
                 " WHERE p.order_id = %s", (order_id,))
    refunds = [r for charge in fake.charges_for([order_id]) for r in fake.refunds_of(charge.id)]
    assert row and (row["status"], row["order_status"]) == ("paid", "paid") and not refunds, (
        f"expected the order and its payment still paid and nothing refunded; found {in_words(row)}, "
        f"refunds {in_words(refunds)}"
    )


def _attempts(db: DatabaseInspector, order_id: str) -> list[dict[str, Any]]:
    return db.rows("SELECT outcome, decline_code, reason FROM payment_attempts WHERE order_id = %s"
                   " ORDER BY created_at", (order_id,))
