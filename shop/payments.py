"""Service functions for paying orders by card, and refunding them: what a payment means for an order.

No database connection or row lock is held while the provider is asked: an attempt is recorded in
one short transaction (the order becomes `payment_pending`, so a second request for it, a double
click, is refused as under way), the provider is called, and its answer is recorded in another.

Never charged twice, never charged and forgotten: every try of an attempt carries one idempotency
key (shop/payment_attempts.py). An attempt without a reliable answer (a timeout, a crash) leaves the
order `payment_pending`; before that order may be paid again, cancelled or expired, the shop asks the
provider what became of the attempt, by that key. A charge found pays the order, or, when the order is
being cancelled, is refunded; none found makes the order payable again.

The payment, the order's new status, its event, its receipt email and its receipt document commit
together; the receipt is then handed to the email provider and the document to object storage, and an
outage of either only delays them (shop/email_outbox.py, shop/documents.py).
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from psycopg2.extensions import cursor as Cursor

from shop import payment_attempts as attempts
from shop.auth import Caller
from shop.catalogue_cache import CatalogueCache
from shop.db import Database
from shop.documents import Documents, ReceiptLine, receipt_html
from shop.email_outbox import EmailOutbox
from shop.errors import Conflict, Forbidden, InvalidInput, NotFound, ShopError
from shop.ids import uuid_or_none
from shop.messaging.outbox import add_event
from shop.money import as_text
from shop.orders import (
    CANCELLABLE,
    NOT_FOUND,
    PAYMENT_UNDER_WAY,
    Order,
    Orders,
    event_payload,
    release,
    return_stock,
)
from shop.providers.email import Email
from shop.providers.payments import CardDeclined, Charge, PaymentError, PaymentFailed, PaymentGateway

log = logging.getLogger(__name__)

PAYABLE = ("pending", "payment_failed")
MAX_TOKEN_LENGTH = 255
PROCESSING_FAILED = "Payment processing failed"
OUTCOME_UNKNOWN = ("An earlier payment of this order has not been confirmed by the payment provider yet; "
                   "try again later")
# The shop's own authority, for housekeeping (expiring unpaid orders).
_HOUSEKEEPER = Caller(uuid.UUID(int=0), "admin")
REFUND_FAILED = "Refund processing failed"


class PaymentDeclined(InvalidInput):
    """402: the card was declined; the provider's reason is the message, its code under errors.card."""

    status = 402


class ProviderUnavailable(ShopError):
    """503: the payment provider gave no usable answer; nothing was recorded and the order is unchanged."""

    status = 503


@dataclass(frozen=True)
class Payment:
    order_id: uuid.UUID
    status: str
    amount: Decimal
    currency: str
    paid_at: datetime
    refunded_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        body = {"orderId": str(self.order_id), "status": self.status, "amount": as_text(self.amount),
                "currency": self.currency, "paidAt": self.paid_at.isoformat()}
        if self.refunded_at is not None:
            body["refundedAt"] = self.refunded_at.isoformat()
        return body


def validate_card(card: Any) -> str:
    if not isinstance(card, str) or not card.strip() or len(card) > MAX_TOKEN_LENGTH or any(c.isspace() for c in card):
        raise InvalidInput("The payment could not be made", {"cardToken": "Give the card token from the payment form"})
    return card


def receipt_reference(order_id: Any) -> str:
    return f"order:{order_id}:receipt"


class Payments:
    def __init__(self, db: Database, gateway: PaymentGateway, email_outbox: EmailOutbox, cache: CatalogueCache,
                 currency: str, documents: Documents):
        self._db = db
        self._documents = documents
        self._gateway = gateway
        self._outbox = email_outbox
        self._cache = cache
        self._currency = currency
        # An attempt in flight for longer than the longest call the shop makes was abandoned.
        self._patience = gateway.longest_call_seconds()

    def pay(self, order_id: str, caller: Caller, card: Any) -> Payment:
        """Charge the order's total to the card; the order becomes paid, or payment_failed on a decline.

        Three steps, and no database connection is held while the provider is asked: the attempt is
        recorded (the order is `payment_pending`), the provider is called, the outcome is recorded."""
        card = validate_card(card)
        earlier = self._settle_earlier_attempt(order_id, caller, honour=True)
        if isinstance(earlier, Payment):
            return earlier
        attempt, order = self._start(order_id, caller)
        try:
            outcome: Charge | PaymentError = self._gateway.charge(
                amount=_cents(order["total"]), currency=self._currency, source=card,
                description=f"Order {order['id']}", idempotency_key=attempt.key,
                metadata={"order_id": str(order["id"]), "customer_id": str(order["customer_id"]),
                          "attempt": attempt.key},
            )
        except (CardDeclined, PaymentFailed) as failure:
            outcome = failure
        return self._conclude(attempt, order, outcome)

    def cancel(self, order_id: str, caller: Caller, orders: Orders) -> Order:
        """Cancel an unpaid order. A payment of it whose outcome is unknown is settled first: the shop
        asks the provider, and a charge it finds is refunded, since the customer no longer wants the order."""
        if self._settle_earlier_attempt(order_id, caller, honour=False) == "cancelled":
            return orders.get(order_id, caller)
        return orders.cancel(order_id, caller)

    def expire_unpaid(self, older_than_seconds: float, *, batch: int = 100) -> int:
        """Expire orders left unpaid this long, giving their stock back; how many expired. An order whose
        payment's outcome is unknown is settled first (a charge found makes it paid: its stock is still held)."""
        with self._db.transaction() as cur:
            cur.execute(
                "SELECT id, status FROM orders WHERE status IN ('pending', 'payment_failed', 'payment_pending')"
                " AND created_at < now() - make_interval(secs => %s) ORDER BY created_at LIMIT %s",
                (older_than_seconds, batch),
            )
            due = cur.fetchall()
        expired = 0
        for order in due:
            if order["status"] == "payment_pending":
                try:
                    self._settle_earlier_attempt(order["id"], _HOUSEKEEPER, honour=True)
                except ShopError as error:
                    log.warning("order %s not expired yet: %s", order["id"], error.message)
                    continue
            with self._db.transaction() as cur:
                cur.execute("SELECT status FROM orders WHERE id = %s FOR UPDATE", (order["id"],))
                if cur.fetchone()["status"] in CANCELLABLE:
                    release(cur, order["id"], "expired")
                    expired += 1
        if expired:
            self._cache.invalidate()
            log.info("%d unpaid order(s) expired; their stock is back", expired)
        return expired

    def refund(self, order_id: str, caller: Caller) -> Payment:
        """An administrator refunds a paid order in full: the provider first (no transaction open while it
        is asked), then, in one transaction, the payment, the order (refunded) and its stock (returned)."""
        caller.require_admin()
        with self._db.transaction() as cur:
            order = _locked_order(cur, order_id, caller)
            if order["status"] != "paid":
                raise Conflict(f"Only a paid order can be refunded; this order is {order['status']}")
            cur.execute("SELECT provider_charge_id FROM payments WHERE order_id = %s", (order["id"],))
            charge_id = cur.fetchone()["provider_charge_id"]
        try:
            refund = self._gateway.refund(charge_id=charge_id, idempotency_key=f"order-{order['id']}-refund")
        except PaymentFailed as failure:
            log.error("order %s: refund not made: %s", order["id"], failure.reason)
            raise ProviderUnavailable(REFUND_FAILED) from None
        with self._db.transaction() as cur:
            order = _locked_order(cur, order_id, caller)
            cur.execute(
                "UPDATE payments SET status = 'refunded', provider_refund_id = %s, refunded_at = now()"
                " WHERE order_id = %s AND status = 'paid'"
                " RETURNING order_id, status, amount, currency, paid_at, refunded_at",
                (refund.id, order["id"]),
            )
            row = cur.fetchone()
            if row is None:  # a concurrent refund of the same order recorded it first (same provider refund)
                raise Conflict(f"Only a paid order can be refunded; this order is {order['status']}")
            if order["status"] == "paid":  # shipped meanwhile: the money is back, the parcel is not
                return_stock(cur, order["id"])
                _set_status(cur, order["id"], "refunded")
            add_event(cur, "order.refunded", event_payload({**order, "status": "refunded"}))
        self._cache.invalidate()
        return Payment(**row)

    def _start(self, order_id: str, caller: Caller) -> tuple[attempts.Attempt, dict[str, Any]]:
        with self._db.transaction() as cur:
            order = _locked_order(cur, order_id, caller)
            if order["customer_id"] != caller.user_id:
                raise Forbidden("Only the customer who placed an order can pay for it")
            if order["status"] in ("paid", "shipped"):
                raise Conflict("This order is already paid")
            if order["status"] == "payment_pending":
                raise Conflict(PAYMENT_UNDER_WAY)
            if order["status"] not in PAYABLE:
                raise Conflict(f"Only a pending order can be paid; this order is {order['status']}")
            if order["total"] <= 0:
                raise Conflict("This order has nothing to pay")
            return attempts.start(cur, order["id"]), order

    def _conclude(self, attempt: attempts.Attempt, order: dict[str, Any], outcome: Charge | PaymentError) -> Payment:
        """Record what the provider said, in one short transaction; only then may the request fail."""
        payment = email_id = None
        with self._db.transaction() as cur:
            status = _lock_status(cur, order["id"])
            current = attempts.is_current(cur, attempt)
            honoured = current and status == "payment_pending"
            if isinstance(outcome, Charge) and honoured:
                attempts.charged(cur, attempt, outcome)
                payment, email_id = self._record_payment(cur, order, outcome)
            elif isinstance(outcome, CardDeclined) and current:
                attempts.declined(cur, attempt, outcome)
            elif isinstance(outcome, PaymentFailed) and current:
                if outcome.outcome_unknown:
                    attempts.unknown(cur, attempt, outcome.reason)
                else:
                    attempts.not_charged(cur, attempt, outcome.reason)
        if isinstance(outcome, Charge) and payment is None:
            self._refund_unhonoured(attempt, outcome)
            raise Conflict(f"This order can no longer be paid; it is {status}. The charge was refunded")
        if isinstance(outcome, CardDeclined):
            raise PaymentDeclined(f"Your card was declined: {outcome.message}", {"card": outcome.code})
        if isinstance(outcome, PaymentFailed):
            log.error("order %s: payment not made (%s): %s", order["id"], attempt.key, outcome.reason)
            raise ProviderUnavailable(PROCESSING_FAILED)
        self._hand_over_receipts(order["id"], email_id)
        return payment

    def _settle_earlier_attempt(self, order_id: Any, caller: Caller, *, honour: bool) -> Payment | str | None:
        """Ask the provider about the order's attempt whose outcome is unknown, if it has one, and act on
        the answer: no charge makes the order payable again; a charge pays the order (`honour`) or is
        refunded and the order cancelled. A provider that cannot say leaves everything as it was (503)."""
        with self._db.transaction() as cur:
            order = _visible_order(cur, order_id, caller)
            attempt = attempts.claim_unsettled(cur, order["id"], self._patience)
        if attempt is None:
            return None
        try:
            charge = self._gateway.find_charge(attempt_key=attempt.key)
            refund = None if charge is None or honour else self._gateway.refund(
                charge_id=charge.id, idempotency_key=f"{attempt.key}-refund")
        except PaymentFailed as failure:
            with self._db.transaction() as cur:
                attempts.unknown(cur, attempt, f"still unknown: {failure.reason}")
            log.error("order %s: outcome of payment %s still unknown: %s", order["id"], attempt.key, failure.reason)
            raise ProviderUnavailable(OUTCOME_UNKNOWN) from None
        payment = email_id = None
        with self._db.transaction() as cur:
            status = _lock_status(cur, order["id"])
            if charge is None:
                attempts.not_charged(cur, attempt, "the provider holds no charge for this attempt")
            elif refund is not None:
                attempts.refunded(cur, attempt, charge, f"refunded as {refund.id}: the order was cancelled")
                release(cur, order["id"], "cancelled")
            elif status == "payment_pending":
                attempts.charged(cur, attempt, charge)
                payment, email_id = self._record_payment(cur, order, charge)
            else:
                attempts.charged(cur, attempt, charge)  # cannot happen while the order waits on this attempt
        if refund is not None:
            self._cache.invalidate()
            return "cancelled"
        if payment is not None:
            log.info("order %s: payment %s found at the provider as %s", order["id"], attempt.key, charge.id)
            self._hand_over_receipts(order["id"], email_id)
        return payment

    def _refund_unhonoured(self, attempt: attempts.Attempt, charge: Charge) -> None:
        """A charge for an order that is no longer waiting for it: the money goes back."""
        try:
            refund = self._gateway.refund(charge_id=charge.id, idempotency_key=f"{attempt.key}-refund")
        except PaymentFailed as failure:
            with self._db.transaction() as cur:
                attempts.charged(cur, attempt, charge)
            log.error("order %s: charge %s cannot be honoured and its refund failed: %s", attempt.order_id,
                      charge.id, failure.reason)
            raise ProviderUnavailable(REFUND_FAILED) from None
        with self._db.transaction() as cur:
            attempts.refunded(cur, attempt, charge, f"refunded as {refund.id}: the order no longer awaited it")

    def _record_payment(self, cur: Cursor, order: dict[str, Any], charge: Charge) -> tuple[Payment, Any]:
        """The payment, the order's paid status, its event and its receipt, in the caller's transaction."""
        cur.execute(
            "INSERT INTO payments (order_id, provider_charge_id, amount, currency) VALUES (%s, %s, %s, %s)"
            " RETURNING order_id, status, amount, currency, paid_at",
            (order["id"], charge.id, Decimal(charge.amount) / 100, charge.currency.upper()),
        )
        payment = Payment(**cur.fetchone())
        _set_status(cur, order["id"], "paid")
        add_event(cur, "order.paid", event_payload({**order, "status": "paid"}))
        return payment, self._keep_receipts(cur, order, payment)

    def _hand_over_receipts(self, order_id: uuid.UUID, email_id: Any) -> None:
        """After the payment committed: the receipt document to storage, the receipt email to the provider."""
        self._documents.store_soon(order_id)
        self._outbox.deliver_soon(email_id)

    def _keep_receipts(self, cur: Cursor, order: dict[str, Any], payment: Payment) -> uuid.UUID | None:
        """The receipt twice, in the payment's transaction: an email queued and a document kept for storage."""
        cur.execute("SELECT name, email FROM users WHERE id = %s", (order["customer_id"],))
        customer = cur.fetchone()
        cur.execute(
            "SELECT p.name, l.quantity, l.unit_price FROM order_lines l JOIN products p ON p.id = l.product_id"
            " WHERE l.order_id = %s ORDER BY l.line_no",
            (order["id"],),
        )
        lines = [ReceiptLine(row["name"], row["quantity"], row["unit_price"]) for row in cur.fetchall()]
        total = as_text(payment.amount)
        self._documents.keep(cur, order["id"], receipt_html(
            order["id"], customer["name"], lines, total, payment.currency, payment.paid_at))
        listed = "\n".join(
            f"  {line.quantity} x {line.name} at {as_text(line.unit_price)}"
            f" = {as_text(line.unit_price * line.quantity)}"
            for line in lines
        )
        text = (
            f"Hello {customer['name']},\n\nthank you for your payment.\n\nOrder number: {order['id']}\n{listed}\n"
            f"Total paid: {total} {payment.currency}\n"
            f"Paid on: {payment.paid_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC\n"
        )
        return self._outbox.enqueue(cur, Email(customer["email"], customer["name"], "Your receipt", "receipt", text,
                                               reference=receipt_reference(order["id"])))


def _visible_order(cur: Cursor, order_id: Any, caller: Caller) -> dict[str, Any]:
    """The order (not locked); someone else's order is "not found"."""
    wanted = uuid_or_none(order_id)
    cur.execute("SELECT id, customer_id, status, total FROM orders WHERE id = %s", (wanted,))
    order = cur.fetchone() if wanted else None
    if order is None or not (caller.is_admin or order["customer_id"] == caller.user_id):
        raise NotFound(NOT_FOUND)
    return order


def _lock_status(cur: Cursor, order_id: uuid.UUID) -> str:
    cur.execute("SELECT status FROM orders WHERE id = %s FOR UPDATE", (order_id,))
    return cur.fetchone()["status"]


def _locked_order(cur: Cursor, order_id: str, caller: Caller) -> dict[str, Any]:
    """The order's row, locked until the transaction ends; someone else's order is "not found"."""
    try:
        wanted = uuid.UUID(str(order_id))
    except ValueError:
        raise NotFound(NOT_FOUND) from None
    cur.execute("SELECT id, customer_id, status, total FROM orders WHERE id = %s FOR UPDATE", (wanted,))
    order = cur.fetchone()
    if order is None or not (caller.is_admin or order["customer_id"] == caller.user_id):
        raise NotFound(NOT_FOUND)
    return order


def _set_status(cur: Cursor, order_id: uuid.UUID, status: str) -> None:
    cur.execute("UPDATE orders SET status = %s, updated_at = now() WHERE id = %s", (status, order_id))



def _cents(total: Decimal) -> int:
    return int((total * 100).to_integral_exact())
