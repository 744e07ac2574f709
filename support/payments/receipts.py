"""Checks of payment receipts: the one email the customer gets for a paid order, as the fake email
provider received it, or as the shop keeps it (its email outbox) to send later.
"""
from __future__ import annotations

from decimal import Decimal

from support.fakes.email_provider import EmailProviderFake, SentEmail
from support.polling import eventually
from support.wires.database import DatabaseInspector
from support.words import in_words, one_per_line, tallied

SUBJECT = "Your receipt"
TEMPLATE = "receipt"


def reference_of(order_id: str) -> str:
    return f"order:{order_id}:receipt"


def receipts_to(fake: EmailProviderFake, address: str) -> list[SentEmail]:
    return [email for email in fake.emails_to(address) if email.template == TEMPLATE]


def expect_receipts(fake: EmailProviderFake, db: DatabaseInspector, address: str, who: str, order_ids: list[str],
                    lines: list[str] = ()) -> None:
    """One receipt per order, and no other, each saying its order number, the amount paid and `lines`."""
    for order_id in order_ids:
        payment = db.one("SELECT amount, currency FROM payments WHERE order_id = %s", (order_id,))
        assert payment is not None, f"expected a payment recorded for {who}'s order {order_id}, there is none"
        expect_receipt(fake, address, who, order_id, payment["amount"], payment["currency"], lines)
    sent = receipts_to(fake, address)
    assert len(sent) == len(order_ids), (
        f"expected {len(order_ids)} receipt(s) to {who}, found {len(sent)}:{one_per_line(e.describe() for e in sent)}"
    )


def expect_receipt(fake: EmailProviderFake, address: str, who: str, order_id: str, total: Decimal, currency: str,
                   lines: list[str] = ()) -> None:
    """Exactly one receipt to the customer for this order, saying its number, total and lines."""

    def check() -> None:
        sent = receipts_to(fake, address)
        found = [email for email in sent if email.reference == reference_of(order_id)]
        assert len(found) == 1, (
            f"expected one receipt to {who} <{address}> for order {order_id}, found {len(found)}; the email "
            f"provider received: {fake.describe()}"
        )
        receipt = found[0]
        wanted = [f"Order number: {order_id}", f"Total paid: {total:.2f} {currency}", *lines]
        missing = [text for text in wanted if text not in receipt.body]
        assert receipt.subject == SUBJECT and not missing, (
            f"expected the receipt {SUBJECT!r} for order {order_id} to say {in_words(wanted)}; "
            f"it is {receipt.subject!r}, missing {in_words(missing)}:\n{receipt.body}"
        )

    eventually(check, timeout=2, description=f"the receipt to {who}")


def expect_none_sent(fake: EmailProviderFake, address: str, who: str) -> None:
    sent = receipts_to(fake, address)
    assert not sent, (
        f"expected no receipt sent to {who} yet, found:{one_per_line(e.describe() for e in sent)}")


def lines_from_rows(rows: list[dict]) -> list[str]:
    """How a receipt lists each (product, quantity, price) row."""
    return [f"{row['quantity']} x {row['product']} at {row['price']:.2f} = {row['price'] * row['quantity']:.2f}"
            for row in rows]


def expect_no_receipt(fake: EmailProviderFake, db: DatabaseInspector, address: str, who: str) -> None:
    """No receipt sent, and none waiting to be sent either."""
    sent = receipts_to(fake, address)
    kept = db.rows("SELECT status FROM email_outbox WHERE template = %s AND lower(to_address) = lower(%s)",
                   (TEMPLATE, address))
    assert not sent and not kept, (
        f"expected no receipt for {who}; in the shop's outbox: {tallied(row['status'] for row in kept)}; "
        f"sent:{one_per_line(e.describe() for e in sent)}"
    )


def expect_kept(db: DatabaseInspector, order_id: str, who: str) -> None:
    """The receipt is waiting in the shop's outbox, with the reason the provider did not take it."""
    rows = db.rows("SELECT status, attempts, last_error FROM email_outbox WHERE reference = %s",
                   (reference_of(order_id),))
    seen = [(r["status"], r["attempts"], r["last_error"]) for r in rows]
    assert len(rows) == 1 and rows[0]["status"] == "pending" and rows[0]["last_error"], (
        f"expected {who}'s receipt kept as pending with the reason it was not sent; found (status, attempts, "
        f"last error) {in_words(seen)}"
    )
