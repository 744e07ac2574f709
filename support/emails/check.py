"""Checks of the emails the shop sent (as the fake email provider received them) and the ones it
kept to send later (its outbox), each failing with what was expected and what there was.

The shop attempts an email before it answers the request that caused it, so by the time a step
looks, the attempt is over; `eventually` still guards positive checks, for emails sent later on.
"""
from __future__ import annotations

from typing import Any

from support.fakes.email_provider import EmailProviderFake
from support.polling import eventually
from support.wires.database import DatabaseInspector
from support.words import in_words

# The template each email is sent with, by the subject scenarios know it by.
TEMPLATES = {"New post created": "new-post", "New comment": "new-comment"}


def expect_email(fake: EmailProviderFake, address: str, subject: str, who: str, mentioning: str | None = None) -> None:
    """Exactly one such email to the address (a second one would be a duplicate), with its template."""

    def check() -> None:
        found = fake.emails_to(address, subject)
        assert len(found) == 1, (
            f"expected one {subject!r} email to {who} <{address}>, found {len(found)}; "
            f"the email provider received: {fake.describe()}"
        )
        email = found[0]
        if subject in TEMPLATES:
            assert email.template == TEMPLATES[subject], (
                f"expected the {subject!r} email to use template {TEMPLATES[subject]!r}, it used {email.template!r}"
            )
        if mentioning is not None:
            assert mentioning in email.body, f"expected the {subject!r} email to mention {mentioning!r}: {email.body!r}"

    eventually(check, timeout=2, description=f"the {subject!r} email to {who}")


def expect_no_email(fake: EmailProviderFake, address: str, who: str) -> None:
    found = fake.emails_to(address)
    assert not found, f"expected no email to {who}, found {'; '.join(e.describe() for e in found)}"


def expect_nobody_emailed(fake: EmailProviderFake) -> None:
    assert not fake.sent, f"expected no email at all, the email provider received: {fake.describe()}"


def kept_emails(db: DatabaseInspector, address: str, subject: str) -> list[dict[str, Any]]:
    return db.rows(
        "SELECT * FROM email_outbox WHERE lower(to_address) = lower(%s) AND subject = %s", (address, subject)
    )


def expect_kept_for_later(db: DatabaseInspector, address: str, subject: str, who: str) -> None:
    kept = kept_emails(db, address, subject)
    summary = [(row["status"], row["attempts"], row["last_error"]) for row in kept]
    assert len(kept) == 1 and kept[0]["status"] == "pending" and kept[0]["last_error"], (
        f"expected one {subject!r} email to {who} kept as pending with the reason it was not sent; "
        f"found (status, attempts, last error): {in_words(summary)}"
    )


def expect_emails(fake: EmailProviderFake, address: str, subject: str, who: str, count: int) -> None:
    """Exactly `count` such emails to the address, one per cause (no cause emailed twice)."""

    def check() -> None:
        found = fake.emails_to(address, subject)
        assert len(found) == count, (
            f"expected {count} {subject!r} emails to {who} <{address}>, found {len(found)}; "
            f"the email provider received: {fake.describe()}"
        )
        bodies = [email.body for email in found]
        assert len(set(bodies)) == count, f"expected {count} different {subject!r} emails, some are the same"

    eventually(check, timeout=10, description=f"{count} {subject!r} emails to {who}")


def expect_email_count_now(fake: EmailProviderFake, address: str, subject: str, who: str, count: int) -> None:
    """Exactly `count` such emails, counted once, now (call when everything that could send one is done)."""
    found = fake.emails_to(address, subject)
    assert len(found) == count, (
        f"expected exactly {count} {subject!r} email(s) to {who} <{address}> once everything in flight was handled, "
        f"found {len(found)}; the email provider received: {fake.describe()}"
    )


def provider_asked(fake: EmailProviderFake):
    """A check that passes once the email provider has been asked to send something (for `eventually`)."""

    def check() -> None:
        assert fake.asked_at, "the email provider has not been asked to send anything yet"

    return check
