"""Order documents: each paid order's receipt, kept in object storage for its customer to download.

Why an outbox (as for emails): a payment must not be undone, nor its document lost, because storage
is down. So the receipt is rendered and written to `order_documents` in the payment's transaction;
one upload follows the commit, and whatever storage did not take stays `pending` for the uploader
(beside the web server and in the worker), which tries again every SHOP_DOCUMENT_RETRY_MS.

Never twice: an upload locks its row (FOR UPDATE SKIP LOCKED) for the storage call and marks it
stored in the same transaction (the upload after a payment waits for one the uploader has in hand),
and the write itself is conditional (If-None-Match: *), so a retry after a lost answer finds the
object there and only marks the row stored.

Downloads: the customer (or an administrator) asks for a link; the shop signs it, it names the order
and expires after SHOP_DOCUMENT_LINK_TTL_SECONDS; following it streams the object through the shop,
so the bucket stays private and the storage keys never leave the shop.
"""
from __future__ import annotations

import hashlib
import html
import logging
import math
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from psycopg2.extensions import cursor as Cursor

from shop.auth import Caller
from shop.db import Database
from shop.errors import Conflict, NotFound, ShopError
from shop.orders import NOT_FOUND
from shop.providers.storage import DocumentStorage, ObjectMissing, StorageUnavailable, StoredObject

log = logging.getLogger(__name__)

RECEIPT_TYPE = "text/html; charset=utf-8"
_LINK_ALGORITHM = "HS256"
_LINK_PURPOSE = "order-document"


class LinkExpired(ShopError):
    """410: the link was genuine but its time is up; the customer asks the shop for a new one."""

    status = 410


class DocumentsUnavailable(ShopError):
    """503: storage did not answer; the document is safe and can be fetched again shortly."""

    status = 503


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: int
    unit_price: Any  # Decimal


@dataclass(frozen=True)
class DocumentLink:
    order_id: uuid.UUID
    status: str  # "stored", or "pending" while storage has not taken it yet (no link then)
    content_type: str
    size: int
    url: str | None = None
    expires_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        body = {"orderId": str(self.order_id), "kind": "receipt", "status": self.status,
                "contentType": self.content_type, "size": self.size}
        if self.url is not None:
            body |= {"link": self.url, "expiresAt": self.expires_at.isoformat()}
        return body


def receipt_key(order_id: Any) -> str:
    return f"orders/{order_id}/receipt.html"


def receipt_html(order_id: Any, customer_name: str, lines: list[ReceiptLine], total: str, currency: str,
                 paid_at: datetime) -> bytes:
    rows = "\n".join(
        f"<tr><td>{html.escape(line.name)}</td><td>{line.quantity}</td><td>{line.unit_price:.2f}</td>"
        f"<td>{line.unit_price * line.quantity:.2f}</td></tr>"
        for line in lines
    )
    page = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Receipt for order {order_id}</title></head>
<body>
<h1>Receipt</h1>
<p>Customer: {html.escape(customer_name)}</p>
<p>Order number: {order_id}</p>
<table>
<thead><tr><th>Product</th><th>Quantity</th><th>Price</th><th>Amount</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p>Total paid: {total} {currency}</p>
<p>Paid on: {paid_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC</p>
</body>
</html>
"""
    return page.encode()


class Documents:
    def __init__(self, db: Database, storage: DocumentStorage, link_secret: str, link_ttl_seconds: int):
        self._db = db
        self.storage = storage
        self._secret = link_secret + ":" + _LINK_PURPOSE  # a pass is never a link, nor a link a pass
        self._ttl = link_ttl_seconds

    def close(self) -> None:
        """Close this service's pool (the uploader's own; the web's is closed with the shop)."""
        self._db.close()

    @staticmethod
    def keep(cur: Cursor, order_id: uuid.UUID, body: bytes) -> None:
        """Keep the order's receipt inside the caller's transaction (once per order)."""
        cur.execute(
            "INSERT INTO order_documents (order_id, kind, storage_key, content_type, size, content_md5, body)"
            " VALUES (%s, 'receipt', %s, %s, %s, %s, %s) ON CONFLICT (order_id) DO NOTHING",
            (order_id, receipt_key(order_id), RECEIPT_TYPE, len(body), hashlib.md5(body).hexdigest(), body),
        )

    def store_soon(self, order_id: uuid.UUID) -> None:
        """One upload right after the payment committed, before the payment is answered; a failure is logged
        and the document kept. The uploader may have taken the new row first (it looks every
        SHOP_DOCUMENT_RETRY_MS for any pending one): then its upload is waited for, not skipped, so a
        customer who asks for the receipt's link as soon as the payment is answered gets it, unless storage
        did not take it. Its upload is not tried a second time here: the uploader keeps what it could not store."""
        try:
            outcome = self.store(order_id)
            if outcome == "skipped":
                self._await_upload_in_hand(order_id)
            elif outcome == "kept":
                log.warning("document of order %s not stored yet; it is kept and tried again", order_id)
        except Exception:  # noqa: BLE001 - the payment is committed; the uploader tries again
            log.exception("document of order %s: upload failed unexpectedly; it stays pending", order_id)

    def _await_upload_in_hand(self, order_id: uuid.UUID) -> None:
        """Return once no one holds the document's row: FOR SHARE waits for an upload's FOR UPDATE to end
        (at most the storage's own time-outs), and does not wait at all for a document already stored."""
        with self._db.transaction() as cur:
            cur.execute("SELECT status FROM order_documents WHERE order_id = %s FOR SHARE", (order_id,))

    def store(self, order_id: uuid.UUID) -> str:
        """Upload one kept document: "stored", "kept" (still pending) or "skipped" (done, or in hand elsewhere)."""
        with self._db.transaction() as cur:
            cur.execute(
                "SELECT d.*, o.customer_id FROM order_documents d JOIN orders o ON o.id = d.order_id"
                " WHERE d.order_id = %s AND d.status = 'pending' FOR UPDATE OF d SKIP LOCKED",
                (order_id,),
            )
            row = cur.fetchone()
            if row is None:
                return "skipped"
            metadata = {"order-id": str(row["order_id"]), "customer-id": str(row["customer_id"]), "kind": row["kind"]}
            try:
                self.storage.put_new(row["storage_key"], bytes(row["body"]), row["content_type"], metadata,
                                     row["content_md5"])
            except StorageUnavailable as failure:
                cur.execute(
                    "UPDATE order_documents SET attempts = attempts + 1, last_error = %s, last_attempt_at = now()"
                    " WHERE order_id = %s",
                    (str(failure)[:1000], order_id),
                )
                return "kept"
            cur.execute(
                "UPDATE order_documents SET status = 'stored', body = NULL, attempts = attempts + 1,"
                " last_error = NULL, last_attempt_at = now(), stored_at = now() WHERE order_id = %s",
                (order_id,),
            )
            return "stored"

    def store_pending(self, limit: int = 100) -> dict[str, int]:
        """Try every pending document once, oldest first; stops at the first one kept (storage is away)."""
        with self._db.transaction() as cur:
            cur.execute(
                "SELECT order_id FROM order_documents WHERE status = 'pending' ORDER BY created_at LIMIT %s",
                (limit,),
            )
            ids = [row["order_id"] for row in cur.fetchall()]
        outcomes = {"stored": 0, "kept": 0, "skipped": 0}
        for order_id in ids:
            outcome = self.store(order_id)
            outcomes[outcome] += 1
            if outcome == "kept":
                break
        return outcomes

    def link(self, order_id: str, caller: Caller, base_url: str) -> DocumentLink:
        """A short-lived link to the order's receipt, for its customer or an administrator."""
        try:
            wanted = uuid.UUID(str(order_id))
        except ValueError:
            raise NotFound(NOT_FOUND) from None
        with self._db.transaction() as cur:
            cur.execute(
                "SELECT o.customer_id, o.status, d.status AS document, d.content_type, d.size"
                " FROM orders o LEFT JOIN order_documents d ON d.order_id = o.id WHERE o.id = %s",
                (wanted,),
            )
            row = cur.fetchone()
        if row is None or not (caller.is_admin or row["customer_id"] == caller.user_id):
            raise NotFound(NOT_FOUND)
        if row["document"] is None:
            raise Conflict(f"This order has no receipt: it is {row['status']}, and only paid orders have one")
        if row["document"] == "pending":
            return DocumentLink(wanted, "pending", row["content_type"], row["size"])
        expires = math.ceil(time.time() + self._ttl)
        token = jwt.encode({"order": str(wanted), "kind": "receipt", "exp": expires}, self._secret,
                           algorithm=_LINK_ALGORITHM)
        return DocumentLink(wanted, "stored", row["content_type"], row["size"],
                            f"{base_url.rstrip('/')}/api/documents/{token}", datetime.fromtimestamp(expires, UTC))

    def open_link(self, token: str) -> tuple[str, StoredObject]:
        """The document a link names, as a file name and a stream; refused once the link has expired."""
        try:
            claims = jwt.decode(token, self._secret, algorithms=[_LINK_ALGORITHM],
                                options={"require": ["order", "kind", "exp"]})
            order_id = uuid.UUID(claims["order"])
        except jwt.ExpiredSignatureError:
            raise LinkExpired("This link has expired; ask the shop for a new one") from None
        except (jwt.InvalidTokenError, ValueError, TypeError):
            raise NotFound("No such document") from None
        try:
            return f"receipt-{order_id}.html", self.storage.open(receipt_key(order_id))
        except ObjectMissing:
            raise NotFound("No such document") from None
        except StorageUnavailable as failure:
            log.warning("document of order %s could not be fetched: %s", order_id, failure)
            raise DocumentsUnavailable("Documents cannot be fetched right now; please try again shortly") from None


class DocumentUploader:
    """Tries the pending documents again every `interval` seconds, in a thread, until stopped."""

    def __init__(self, documents: Documents, interval: float):
        self._documents = documents
        self._interval = interval
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False  # an outage is logged once when it starts and once when it ends

    def run_once(self) -> dict[str, int]:
        outcomes = self._documents.store_pending()
        if outcomes["kept"] and not self._failing:
            log.warning("documents: storage is not taking documents; they are kept and tried again")
        elif outcomes["stored"] and self._failing:
            log.warning("documents: storage is taking documents again")
        self._failing = bool(outcomes["kept"]) or (self._failing and not outcomes["stored"])
        return outcomes

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.run_once()
            except Exception as error:  # noqa: BLE001 - the database may be away too; try again later
                log.warning("documents: could not look for pending documents: %s", error)
            self._stopping.wait(self._interval)

    def start_in_background(self) -> DocumentUploader:
        self._thread = threading.Thread(target=self.run, name="document-uploader", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=self._interval + 15)
        self._documents.close()
