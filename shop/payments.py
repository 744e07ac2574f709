"""Service functions for paying orders by card, and refunding them: what a payment means for an order.

Never charged twice: paying locks the order's row for the whole attempt, so a second request for the
same order (a double click) waits, then finds the order paid. And every try of an attempt carries one
idempotency key derived from the order, which stays the same until the provider has answered
definitively (charged or declined): an attempt whose answer was lost (a timeout, a crash before the
commit) is followed by one with the same key, which the provider answers with the charge it made.

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

from shop.auth import Caller
from shop.catalogue_cache import CatalogueCache
from shop.db import Database
from shop.documents import Documents, ReceiptLine, receipt_html
from shop.email_outbox import EmailOutbox
from shop.errors import Conflict, Forbidden, InvalidInput, NotFound, ShopError
from shop.messaging.outbox import add_event
from shop.money import as_text
from shop.orders import NOT_FOUND, event_payload
from shop.providers.email import Email
from shop.providers.payments import CardDeclined, Charge, PaymentError, PaymentFailed, PaymentGateway

log = logging.getLogger(__name__)

PAYABLE = ("pending", "payment_failed")
MAX_TOKEN_LENGTH = 255
PROCESSING_FAILED = "Payment processing failed"
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

    def pay(self, order_id: str, caller: Caller, card: Any) -> Payment:
        """Charge the order's total to the card; the order becomes paid, or payment_failed on a decline."""
        card = validate_card(card)
        with self._db.transaction() as cur:
            order = _locked_order(cur, order_id, caller)
            if order["customer_id"] != caller.user_id:
                raise Forbidden("Only the customer who placed an order can pay for it")
            if order["status"] in ("paid", "shipped"):
                raise Conflict("This order is already paid")
            if order["status"] not in PAYABLE:
                raise Conflict(f"Only a pending order can be paid; this order is {order['status']}")
            if order["total"] <= 0:
                raise Conflict("This order has nothing to pay")
            key = _idempotency_key(cur, order["id"])
            outcome: Charge | PaymentError
            try:
                outcome = self._gateway.charge(
                    amount=_cents(order["total"]), currency=self._currency, source=card,
                    description=f"Order {order['id']}", idempotency_key=key,
                    metadata={"order_id": str(order["id"]), "customer_id": str(order["customer_id"])},
                )
            except (CardDeclined, PaymentFailed) as failure:
                outcome = failure
            _record_attempt(cur, order["id"], key, outcome)
            if isinstance(outcome, CardDeclined):
                _set_status(cur, order["id"], "payment_failed")
            elif isinstance(outcome, Charge):
                payment = self._record_payment(cur, order, outcome)
                email_id = self._keep_receipts(cur, order, payment)
        # Committed: the attempt is on record whatever happened; only now may the request fail.
        if isinstance(outcome, CardDeclined):
            raise PaymentDeclined(f"Your card was declined: {outcome.message}", {"card": outcome.code})
        if isinstance(outcome, PaymentFailed):
            log.error("order %s: payment not made (%s): %s", order["id"], key, outcome.reason)
            raise ProviderUnavailable(PROCESSING_FAILED)
        self._documents.store_soon(order["id"])
        self._outbox.deliver_soon(email_id)
        return payment

    def refund(self, order_id: str, caller: Caller) -> Payment:
        """An administrator refunds a paid order in full: the provider first, then, in one transaction,
        the payment, the order (refunded) and its stock (returned)."""
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
            cur.execute(
                "UPDATE payments SET status = 'refunded', provider_refund_id = %s, refunded_at = now()"
                " WHERE order_id = %s RETURNING order_id, status, amount, currency, paid_at, refunded_at",
                (refund.id, order["id"]),
            )
            payment = Payment(**cur.fetchone())
            _return_stock(cur, order["id"])
            _set_status(cur, order["id"], "refunded")
            add_event(cur, "order.refunded", event_payload({**order, "status": "refunded"}))
        self._cache.invalidate()
        return payment

    def _record_payment(self, cur: Cursor, order: dict[str, Any], charge: Charge) -> Payment:
        cur.execute(
            "INSERT INTO payments (order_id, provider_charge_id, amount, currency) VALUES (%s, %s, %s, %s)"
            " RETURNING order_id, status, amount, currency, paid_at",
            (order["id"], charge.id, Decimal(charge.amount) / 100, charge.currency.upper()),
        )
        payment = Payment(**cur.fetchone())
        _set_status(cur, order["id"], "paid")
        add_event(cur, "order.paid", event_payload({**order, "status": "paid"}))
        return payment

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


def _idempotency_key(cur: Cursor, order_id: uuid.UUID) -> str:
    """The same for every try, and every attempt, until the provider declines one: a declined attempt
    is settled, so the next one (another card, say) is a new request and gets a new key."""
    cur.execute(
        "SELECT count(*) AS n FROM payment_attempts WHERE order_id = %s AND outcome = 'declined'", (order_id,)
    )
    return f"order-{order_id}-payment-{cur.fetchone()['n'] + 1}"


def _record_attempt(cur: Cursor, order_id: uuid.UUID, key: str, outcome: Charge | PaymentError) -> None:
    if isinstance(outcome, Charge):
        row = ("succeeded", None, None)
    elif isinstance(outcome, CardDeclined):
        row = ("declined", outcome.code, outcome.message)
    else:
        row = ("failed", None, outcome.reason)
    cur.execute(
        "INSERT INTO payment_attempts (order_id, idempotency_key, outcome, decline_code, reason)"
        " VALUES (%s, %s, %s, %s, %s)",
        (order_id, key, *row),
    )


def _set_status(cur: Cursor, order_id: uuid.UUID, status: str) -> None:
    cur.execute("UPDATE orders SET status = %s, updated_at = now() WHERE id = %s", (status, order_id))


def _return_stock(cur: Cursor, order_id: uuid.UUID) -> None:
    # Products locked in SKU order, as every stock-changing transaction does (see shop/orders.py).
    cur.execute(
        "SELECT p.id FROM products p JOIN order_lines l ON l.product_id = p.id WHERE l.order_id = %s"
        " ORDER BY p.sku FOR UPDATE OF p",
        (order_id,),
    )
    cur.execute(
        "UPDATE products p SET stock = p.stock + l.quantity, updated_at = now()"
        " FROM order_lines l WHERE l.order_id = %s AND l.product_id = p.id",
        (order_id,),
    )


def _cents(total: Decimal) -> int:
    return int((total * 100).to_integral_exact())
