"""What the order-events worker does with each kind of order event.

A paid order is fulfilled: a shipment is recorded, the order becomes `shipped`, and a "your order has
shipped" email is queued, all in the worker's processing transaction (once per message id); the
email is then delivered, and a delivery the provider did not accept fails the attempt, so the
message is retried until the email is out (or parked, the email still pending for `send-emails`).
Other order events are for the rest of the business; the shop's own worker only acknowledges them.
"""
from __future__ import annotations

import logging
import secrets

from shop.email_outbox import EmailOutbox
from shop.messaging.worker import Event, Handler
from shop.money import as_text
from shop.providers.email import Email

log = logging.getLogger(__name__)


class OrderNotFound(LookupError):
    pass


class EmailNotDelivered(RuntimeError):
    pass


def shipped_reference(order_id: str) -> str:
    return f"order:{order_id}:shipped"


class FulfilPaidOrder:
    def __init__(self, email_outbox: EmailOutbox):
        self._email_outbox = email_outbox

    def apply(self, event: Event, cur) -> None:
        order_id = event.data.get("orderId")
        cur.execute(
            "SELECT o.id, o.status, o.total, u.email, u.name FROM orders o JOIN users u ON u.id = o.customer_id"
            " WHERE o.id::text = %s FOR UPDATE OF o",
            (str(order_id),),
        )
        order = cur.fetchone()
        if order is None:
            raise OrderNotFound(f"order {order_id} not found")
        if order["status"] != "paid":
            # Shipped already (by another route) or cancelled/refunded since: nothing to send.
            log.info("order %s is %s, not paid: not shipping it", order_id, order["status"])
            return
        tracking = f"SHP-{secrets.token_hex(5).upper()}"
        cur.execute("INSERT INTO shipments (order_id, tracking_number) VALUES (%s, %s)", (order["id"], tracking))
        cur.execute("UPDATE orders SET status = 'shipped', updated_at = now() WHERE id = %s", (order["id"],))
        self._email_outbox.enqueue(cur, Email(
            order["email"], order["name"], "Your order has shipped", "order-shipped",
            f"Hello {order['name']},\n\nyour order {order['id']} ({as_text(order['total'])}) is on its way."
            f" Tracking number: {tracking}.\n",
            shipped_reference(str(order["id"])),
        ))

    def complete(self, event: Event) -> None:
        outcome = self._email_outbox.deliver_reference(shipped_reference(str(event.data.get("orderId"))))
        if outcome == "kept":
            raise EmailNotDelivered("the email provider did not accept the shipping email; it stays pending")


class Acknowledge:
    """For events the shop publishes for others: nothing to do here but take them off the queue."""

    def apply(self, event: Event, cur) -> None:
        return None

    def complete(self, event: Event) -> None:
        return None


def order_event_handlers(email_outbox: EmailOutbox) -> dict[str, Handler]:
    ignore = Acknowledge()
    return {
        "order.paid": FulfilPaidOrder(email_outbox),
        "order.placed": ignore,
        "order.cancelled": ignore,
        "order.expired": ignore,
        "order.refunded": ignore,
    }
