"""The record of every attempt to charge an order, kept in short transactions around the provider call.

An attempt is written `in_flight` (and its order made `payment_pending`) before the provider is
asked, and settled after: `succeeded` (with the charge), `declined`, `failed` (definitely not
charged) or `unknown` (no answer the shop can rely on). An unknown attempt, or one in flight for
longer than the longest call the shop makes (its request died), is *claimed* by whoever asks the
provider about it next: the claim puts it back in flight, so two requests never settle it at once.
Every function here runs in the caller's transaction, which holds the order's row lock.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from psycopg2.extensions import cursor as Cursor

from shop.providers.payments import CardDeclined, Charge


@dataclass(frozen=True)
class Attempt:
    id: uuid.UUID
    order_id: uuid.UUID
    key: str


def start(cur: Cursor, order_id: uuid.UUID) -> Attempt:
    """Record an attempt about to be made; the order is `payment_pending` until it is settled."""
    key = _idempotency_key(cur, order_id)
    cur.execute(
        "INSERT INTO payment_attempts (order_id, idempotency_key, outcome) VALUES (%s, %s, 'in_flight') RETURNING id",
        (order_id, key),
    )
    attempt = Attempt(cur.fetchone()["id"], order_id, key)
    _set_status(cur, order_id, "payment_pending")
    return attempt


def claim_unsettled(cur: Cursor, order_id: uuid.UUID, patience_seconds: float) -> Attempt | None:
    """The order's attempt whose outcome is unknown (or abandoned in flight), claimed for asking the provider."""
    cur.execute(
        "UPDATE payment_attempts SET outcome = 'in_flight', asked_at = clock_timestamp() WHERE id = ("
        "  SELECT id FROM payment_attempts WHERE order_id = %s AND (outcome = 'unknown'"
        "   OR (outcome = 'in_flight' AND asked_at < clock_timestamp() - make_interval(secs => %s)))"
        "  ORDER BY created_at DESC LIMIT 1 FOR UPDATE SKIP LOCKED)"
        " RETURNING id, order_id, idempotency_key",
        (order_id, patience_seconds),
    )
    row = cur.fetchone()
    return Attempt(row["id"], row["order_id"], row["idempotency_key"]) if row else None


def is_current(cur: Cursor, attempt: Attempt) -> bool:
    """Still in flight, so still this request's to settle (nobody claimed it as abandoned meanwhile)."""
    cur.execute("SELECT outcome FROM payment_attempts WHERE id = %s FOR UPDATE", (attempt.id,))
    return cur.fetchone()["outcome"] == "in_flight"


def charged(cur: Cursor, attempt: Attempt, charge: Charge) -> None:
    _settle(cur, attempt, "succeeded", charge_id=charge.id)


def refunded(cur: Cursor, attempt: Attempt, charge: Charge, reason: str) -> None:
    _settle(cur, attempt, "refunded", charge_id=charge.id, reason=reason)


def declined(cur: Cursor, attempt: Attempt, decline: CardDeclined) -> None:
    _settle(cur, attempt, "declined", code=decline.code, reason=decline.message)
    _set_status(cur, attempt.order_id, "payment_failed")


def not_charged(cur: Cursor, attempt: Attempt, reason: str) -> None:
    """Definitely no charge: the order is payable again, as it was before the attempt."""
    _settle(cur, attempt, "failed", reason=reason)
    cur.execute("SELECT status FROM orders WHERE id = %s", (attempt.order_id,))
    if cur.fetchone()["status"] == "payment_pending":
        cur.execute("SELECT 1 FROM payment_attempts WHERE order_id = %s AND outcome = 'declined' LIMIT 1",
                    (attempt.order_id,))
        _set_status(cur, attempt.order_id, "payment_failed" if cur.fetchone() else "pending")


def unknown(cur: Cursor, attempt: Attempt, reason: str) -> None:
    """No answer to rely on: the order stays `payment_pending` until the provider is asked about it."""
    cur.execute("UPDATE payment_attempts SET outcome = 'unknown', reason = %s WHERE id = %s", (reason, attempt.id))


def _settle(cur: Cursor, attempt: Attempt, outcome: str, *, charge_id: str | None = None, code: str | None = None,
            reason: str | None = None) -> None:
    cur.execute(
        "UPDATE payment_attempts SET outcome = %s, provider_charge_id = %s, decline_code = %s, reason = %s,"
        " settled_at = clock_timestamp() WHERE id = %s",
        (outcome, charge_id, code, reason, attempt.id),
    )


def _idempotency_key(cur: Cursor, order_id: uuid.UUID) -> str:
    """The same for every try, and every attempt, until one is settled as a charge the provider made or
    declined: a declined or refunded attempt is over, so the next one (another card, say) is a new
    request and gets a new key. An attempt found not charged keeps its key, so a charge the provider
    makes late is answered to the next attempt instead of being made twice."""
    cur.execute(
        "SELECT count(*) AS n FROM payment_attempts WHERE order_id = %s AND outcome IN ('declined', 'refunded')",
        (order_id,),
    )
    return f"order-{order_id}-payment-{cur.fetchone()['n'] + 1}"


def _set_status(cur: Cursor, order_id: uuid.UUID, status: str) -> None:
    cur.execute("UPDATE orders SET status = %s, updated_at = now() WHERE id = %s", (status, order_id))
