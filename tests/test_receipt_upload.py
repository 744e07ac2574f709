"""The receipt's upload after a payment, against a real database: when the uploader took the new document
first, the payment's own upload waits for it instead of skipping it, so the receipt is stored by the time
the payment is answered (a customer asking for its link at once gets one), and it is written once."""
from __future__ import annotations

import threading
import uuid

import pytest

from shop.db import Database
from shop.documents import Documents, receipt_key


class HeldStorage:
    """Object storage whose writes wait until the test lets them through."""

    def __init__(self):
        self.entered, self.release = threading.Event(), threading.Event()
        self.written: list[str] = []

    def put_new(self, key, body, content_type, metadata, md5):
        self.entered.set()
        assert self.release.wait(10), "the test never let the write through"
        self.written.append(key)


@pytest.fixture
def kept_receipt(migrated_database):
    db = Database(migrated_database, size=4)
    with db.transaction() as cur:
        cur.execute("INSERT INTO users (email, name, password_hash) VALUES (%s, 'Alice Example', 'x') RETURNING id",
                    (f"alice.{uuid.uuid4().hex[:8]}@example.com",))
        customer = cur.fetchone()["id"]
        cur.execute("INSERT INTO orders (customer_id, total) VALUES (%s, 10) RETURNING id", (customer,))
        order = cur.fetchone()["id"]
        Documents.keep(cur, order, b"<html>receipt</html>")
    yield db, order
    db.close()


def _status(db: Database, order) -> str:
    with db.transaction() as cur:
        cur.execute("SELECT status FROM order_documents WHERE order_id = %s", (order,))
        return cur.fetchone()["status"]


def test_the_payments_upload_waits_for_the_one_the_uploader_has_in_hand(kept_receipt):
    db, order = kept_receipt
    storage = HeldStorage()
    documents = Documents(db, storage, "secret", 2)
    uploader = threading.Thread(target=documents.store_pending)
    uploader.start()
    assert storage.entered.wait(10), "the uploader did not take the pending receipt"

    payment = threading.Thread(target=documents.store_soon, args=(order,))
    payment.start()
    payment.join(0.5)
    answered_early = not payment.is_alive()
    storage.release.set()
    payment.join(10)
    uploader.join(10)

    assert not answered_early, "the payment was answered while its receipt was still being uploaded"
    assert _status(db, order) == "stored"
    assert storage.written == [receipt_key(order)], "written once, by the uploader"


def test_a_receipt_no_one_has_in_hand_is_uploaded_by_the_payment(kept_receipt):
    db, order = kept_receipt
    storage = HeldStorage()
    storage.release.set()
    Documents(db, storage, "secret", 2).store_soon(order)
    assert (_status(db, order), len(storage.written)) == ("stored", 1)
