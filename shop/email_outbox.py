"""The shop's outgoing emails: kept in the database first, then handed to the email provider.

Why an outbox: the thing that causes an email (a post, a comment, later a paid order) must not be
undone, or lost, because the email provider is down. So the email is written in the same
transaction as its cause, one delivery attempt follows the commit, and whatever the provider did
not accept stays `pending` for `python -m shop send-emails` (or any worker calling
`deliver_pending`). A unique `reference` per cause means one cause never queues two emails.

Never twice: a delivery locks its row (FOR UPDATE SKIP LOCKED) for the provider call and marks it
sent in the same transaction, so two workers never send the same row. The one window left is a
crash after the provider accepted and before the commit; the provider has no idempotency key, so
the reference travels in the email's custom_args to make such a duplicate traceable.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from psycopg2.extensions import cursor as Cursor

from shop.db import Database
from shop.providers.email import Email, EmailNotSent, EmailProvider

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    kept: int = 0  # still pending: the provider may accept them later
    rejected: int = 0  # the provider refused these emails themselves; they are not retried


class EmailOutbox:
    def __init__(self, db: Database, provider: EmailProvider):
        self._db = db
        self.provider = provider

    @staticmethod
    def enqueue(cur: Cursor, email: Email) -> uuid.UUID | None:
        """Queue an email inside the caller's transaction; None if its reference is already queued."""
        cur.execute(
            "INSERT INTO email_outbox (reference, to_address, to_name, subject, template, body)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (reference) DO NOTHING RETURNING id",
            (email.reference, email.to_address, email.to_name, email.subject, email.template, email.text),
        )
        row = cur.fetchone()
        return row["id"] if row else None

    def deliver_soon(self, email_id: uuid.UUID | None) -> None:
        """One attempt right after the cause committed; a failure is logged and the email kept."""
        if email_id is None:
            return
        try:
            self.deliver(email_id)
        except Exception:  # noqa: BLE001 - the cause is committed; the email waits for the retry command
            log.exception("email %s: delivery attempt failed unexpectedly; it stays pending", email_id)

    def deliver(self, email_id: uuid.UUID) -> str:
        """Try to send one queued email: "sent", "kept" (pending), "rejected", or "skipped"."""
        with self._db.transaction() as cur:
            cur.execute(
                "SELECT * FROM email_outbox WHERE id = %s AND status = 'pending' FOR UPDATE SKIP LOCKED",
                (email_id,),
            )
            row = cur.fetchone()
            if row is None:
                return "skipped"  # sent already, or another worker is sending it right now
            email = Email(
                row["to_address"], row["to_name"], row["subject"], row["template"], row["body"], row["reference"]
            )
            try:
                message_id = self.provider.send(email)
            except EmailNotSent as failure:
                outcome = "kept" if failure.retryable else "rejected"
                log.warning("email %s (%s) not sent, %s: %s", email_id, email.reference, outcome, failure.reason)
                cur.execute(
                    "UPDATE email_outbox SET status = %s, attempts = attempts + 1, last_error = %s,"
                    " last_attempt_at = now() WHERE id = %s",
                    ("pending" if failure.retryable else "rejected", failure.reason, email_id),
                )
                return outcome
            cur.execute(
                "UPDATE email_outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL,"
                " provider_message_id = %s, last_attempt_at = now(), sent_at = now() WHERE id = %s",
                (message_id, email_id),
            )
            return "sent"

    def deliver_reference(self, reference: str) -> str:
        """Try to send the email queued for `reference` (see `deliver`); "missing" if none is queued."""
        with self._db.transaction() as cur:
            cur.execute("SELECT id FROM email_outbox WHERE reference = %s", (reference,))
            row = cur.fetchone()
        return self.deliver(row["id"]) if row else "missing"

    def deliver_pending(self, limit: int = 500) -> DeliveryReport:
        """Try every pending email once, oldest first."""
        with self._db.transaction() as cur:
            cur.execute(
                "SELECT id FROM email_outbox WHERE status = 'pending' ORDER BY created_at LIMIT %s", (limit,)
            )
            ids = [row["id"] for row in cur.fetchall()]
        outcomes = [self.deliver(email_id) for email_id in ids]
        return DeliveryReport(outcomes.count("sent"), outcomes.count("kept"), outcomes.count("rejected"))
