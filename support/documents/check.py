"""Checks of order documents where they land: the objects in the suite's bucket (read with boto3 by the
storage inspector, not through the shop), the shop's document outbox, and what a download gave.
"""
from __future__ import annotations

import time
from datetime import datetime

from support.documents.arrange import link_in
from support.polling import eventually
from support.wires.api_client import Download, Reply, ShopApi
from support.wires.database import DatabaseInspector
from support.wires.storage_inspector import StorageInspector, StoredObject
from support.words import in_words, one_per_line

RECEIPT_TYPE = "text/html"


def documents_of(storage: StorageInspector, order_id: str) -> list[StoredObject]:
    """Every stored object labelled with this order (found by its metadata, whatever its key)."""
    return [obj for obj in storage.objects() if obj.metadata.get("order-id") == order_id]


def expect_receipt_stored(storage: StorageInspector, order_id: str, customer_id: str, who: str,
                          lines: list[str] = (), total: str | None = None) -> StoredObject:
    """One receipt in storage for the order: under a key naming it, an HTML page saying its number, `lines`
    and `total`, labelled with the order and its customer, readable by nobody but the shop."""

    def check() -> StoredObject:
        found = documents_of(storage, order_id)
        assert len(found) == 1, (
            f"expected one document in storage for {who}'s order {order_id}, found {len(found)}; "
            f"the bucket holds: {storage.report()}"
        )
        return found[0]

    receipt = eventually(check, timeout=3, description=f"{who}'s receipt in storage")
    page = storage.body(receipt.key).decode()
    wanted = [f"Order number: {order_id}", *lines, *([f"Total paid: {total}"] if total else [])]
    problems = [f"it does not say {text!r}" for text in wanted if text not in page]
    if order_id not in receipt.key:
        problems.append(f"its key {receipt.key!r} does not name the order")
    if not receipt.content_type.startswith(RECEIPT_TYPE):
        problems.append(f"its content type is {receipt.content_type!r}, not {RECEIPT_TYPE}")
    if receipt.metadata.get("customer-id") != customer_id:
        problems.append(f"it is labelled with customer {receipt.metadata.get('customer-id')}, not {customer_id}")
    if receipt.size != len(page.encode()):
        problems.append(f"its size says {receipt.size} bytes, its body has {len(page.encode())}")
    if receipt.public_grants:
        problems.append(f"anyone may read it: {in_words(receipt.public_grants)}")
    assert not problems, f"{who}'s receipt in storage is not as expected: " + "; ".join(problems) + f"\n{page}"
    return receipt


def receipt_lines(rows: list[dict]) -> list[str]:
    """How the receipt page lists each (product, quantity, price) row."""
    return [f"<td>{row['product']}</td><td>{row['quantity']}</td><td>{row['price']:.2f}</td>"
            f"<td>{row['price'] * row['quantity']:.2f}</td>" for row in rows]


def expect_stored_once(storage: StorageInspector, db: DatabaseInspector, order_id: str, customer_id: str,
                       who: str) -> None:
    """The receipt is in storage, written exactly once, and the shop keeps nothing more to store for it."""
    receipt = expect_receipt_stored(storage, order_id, customer_id, who)

    def settled() -> None:
        row = db.one("SELECT status, attempts FROM order_documents WHERE order_id = %s", (order_id,))
        assert row and row["status"] == "stored", (
            f"expected the shop to have marked it stored; its record: {in_words(row)}")

    eventually(settled, timeout=3, description=f"{who}'s receipt marked stored")
    written = documents_of(storage, order_id)[0].versions
    assert written == 1, f"expected {who}'s receipt written to storage once, it was written {written} times: " \
                         f"{receipt.describe()}"


def expect_none_stored(storage: StorageInspector, order_id: str, who: str) -> None:
    found = documents_of(storage, order_id)
    assert not found, (
        f"expected no document in storage for {who}'s order yet, found:{one_per_line(o.describe() for o in found)}")


def expect_kept(db: DatabaseInspector, order_id: str, who: str) -> None:
    """The receipt is waiting in the shop's document outbox, with the reason storage did not take it."""
    row = db.one("SELECT status, attempts, last_error, body IS NOT NULL AS has_body FROM order_documents"
                 " WHERE order_id = %s", (order_id,))
    assert row and row["status"] == "pending" and row["has_body"] and row["attempts"] >= 1 and row["last_error"], (
        f"expected {who}'s receipt kept by the shop, tried and waiting with the reason; its record: {in_words(row)}"
    )


def expect_download(download: Download, storage: StorageInspector, order_id: str, who: str) -> None:
    """The file downloaded is the stored receipt, byte for byte, as an HTML attachment."""
    assert download.status == 200, f"expected {who} to download the receipt, the shop answered {download.describe()}"
    stored = documents_of(storage, order_id)
    assert len(stored) == 1, f"expected one stored receipt for {who}'s order, found {in_words([o.key for o in stored])}"
    original = storage.body(stored[0].key)
    assert download.content == original and download.content_type.startswith(RECEIPT_TYPE), (
        f"expected {who} to get the stored receipt ({len(original)} bytes of {RECEIPT_TYPE}); got {download.describe()}"
    )
    assert "attachment" in download.disposition and order_id in download.disposition, (
        f"expected the receipt offered as a file named after the order, got {download.disposition!r}"
    )


def expect_refused(download: Download, status: int, message: str, what: str) -> None:
    assert (download.status, download.error) == (status, message), (
        f"expected {what} refused ({status} {message!r}); got {download.describe()}"
    )


def expect_link_works_until_it_expires(api: ShopApi, reply: Reply, storage: StorageInspector,
                                       ttl_seconds: int) -> None:
    """The link the shop gave gets the stored receipt now, and is refused as expired once its time is up,
    not before; and the time it was given for is the shop's setting."""
    link = link_in(reply, "the customer")
    expires_at = datetime.fromisoformat(reply.body["expiresAt"]).timestamp()
    expect_download(api.download(link), storage, reply.body["orderId"], "the customer")
    left = expires_at - time.time()
    assert left <= ttl_seconds + 1, f"expected a link good for {ttl_seconds}s, it is good for {left:.1f} more seconds"

    def refused() -> Download:
        download = api.download(link)
        assert download.status == 410, f"the link still answers {download.describe()}"
        return download

    download = eventually(refused, timeout=max(left, 0) + 2, interval=0.2, description="the link to expire")
    early = expires_at - time.time()
    assert early <= 0, f"expected the link to work until it expires, it was refused {early:.2f}s before"
    expect_refused(download, 410, "This link has expired; ask the shop for a new one", "the expired link")
