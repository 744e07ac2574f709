"""Expiring unpaid orders when a payment's outcome is unknown: the provider is asked first, a charge it
made pays the order (its stock is still held), and only an order it did not charge expires."""
import uuid

import psycopg2
import psycopg2.extras

from shop import payment_attempts as attempts
from shop.db import Database
from shop.email_outbox import EmailOutbox
from shop.payments import Payments
from shop.providers.payments import Charge


class ProviderKnowing:
    """A payment gateway that only answers the search: the charges it holds, by attempt key."""

    def __init__(self, charges: dict[str, Charge]):
        self.charges = charges
        self.asked: list[str] = []

    def longest_call_seconds(self) -> float:
        return 30.0

    def find_charge(self, *, attempt_key: str) -> Charge | None:
        self.asked.append(attempt_key)
        return self.charges.get(attempt_key)


class NoCache:
    def invalidate(self) -> None:
        pass


class NoDocuments:
    """Receipts kept as documents: not this test's business."""

    def keep(self, *args, **kwargs):
        pass

    def store_soon(self, *args, **kwargs):
        pass


class NoEmails:
    def deliver(self, email):
        return "kept"


def _unpaid_order_with_unknown_payment(db: Database) -> tuple[uuid.UUID, str]:
    with db.transaction() as cur:
        cur.execute("INSERT INTO users (email, name, password_hash) VALUES (%s, 'Alice Example', 'x') RETURNING id",
                    (f"alice.{uuid.uuid4().hex[:8]}@example.com",))
        customer = cur.fetchone()["id"]
        cur.execute("INSERT INTO products (sku, name, price, stock) VALUES (%s, 'Mug', 10, 8) RETURNING id",
                    (f"MUG-{uuid.uuid4().hex[:6].upper()}",))
        product = cur.fetchone()["id"]
        cur.execute("INSERT INTO orders (customer_id, total, created_at) VALUES (%s, 20, now() - interval '2 hours')"
                    " RETURNING id", (customer,))
        order = cur.fetchone()["id"]
        cur.execute("INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price)"
                    " VALUES (%s, 1, %s, 2, 10)", (order, product))
        attempt = attempts.start(cur, order)
        attempts.unknown(cur, attempt, "the provider did not answer in time")
    return order, attempt.key


def _status(url: str, order: uuid.UUID) -> str:
    conn = psycopg2.connect(url, cursor_factory=psycopg2.extras.RealDictCursor)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT status FROM orders WHERE id = %s", (order,))
            return cur.fetchone()["status"]
    finally:
        conn.close()


def test_an_order_whose_lost_payment_was_charged_is_paid_not_expired(migrated_database):
    db = Database(migrated_database, size=2)
    order, key = _unpaid_order_with_unknown_payment(db)
    provider = ProviderKnowing({key: Charge(f"ch_{uuid.uuid4().hex[:12]}", 2000, "usd")})
    Payments(db, provider, EmailOutbox(db, NoEmails()), NoCache(), "usd", NoDocuments()).expire_unpaid(3600)
    assert (key in provider.asked, _status(migrated_database, order)) == (True, "paid")
    db.close()


def test_an_order_whose_lost_payment_was_not_charged_expires(migrated_database):
    db = Database(migrated_database, size=2)
    order, key = _unpaid_order_with_unknown_payment(db)
    provider = ProviderKnowing({})
    expired = Payments(db, provider, EmailOutbox(db, NoEmails()), NoCache(), "usd", NoDocuments()).expire_unpaid(3600)
    assert (key in provider.asked, _status(migrated_database, order), expired >= 1) == (True, "expired", True)
    db.close()
