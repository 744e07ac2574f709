"""Checks of what the shop answered and stored, each failing with what was expected and what was seen."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from support.door import password_kept_as
from support.people.passes import claims_of
from support.wires.api_client import Reply
from support.wires.database import DatabaseInspector
from support.words import in_words

# What a scenario says, and the shop's answer it means.
REFUSALS = {
    "it needs an administrator": (403, "This needs an administrator"),
    "only an administrator can create an administrator": (403, "Only an administrator can create an administrator"),
    "she can only read her own profile": (403, "You can only read your own profile"),
    "he can only read his own profile": (403, "You can only read your own profile"),
    "the email is already registered": (409, "A user with this email already exists"),
}


def expect_status(reply: Reply, status: int, doing: str) -> None:
    assert reply.status == status, f"{doing}: expected status {status}, the shop answered {reply.describe()}"


def expect_refusal(reply: Reply, reason: str) -> None:
    if reason not in REFUSALS:
        raise KeyError(f"no refusal is known as {reason!r}; known: {', '.join(REFUSALS)}")
    status, message = REFUSALS[reason]
    expect_error(reply, status, message)


def expect_error(reply: Reply, status: int, message: str) -> None:
    assert (reply.status, reply.error) == (status, message), (
        f"expected a refusal {status} {message!r}, the shop answered {reply.describe()}"
    )


def expect_page(reply: Reply, *, count: int, page: int, pages: int, total: int) -> None:
    expect_status(reply, 200, "listing users")
    seen = reply.body["pagination"]
    wanted = {"page": page, "pages": pages, "total": total}
    shown = {k: seen[k] for k in wanted}
    assert shown == wanted and len(reply.body["data"]) == count, (
        f"expected {count} users on page {page} of {pages} ({total} in all), "
        f"saw {len(reply.body['data'])} users, and the page said {in_words(shown)}"
    )


def listed_names(reply: Reply) -> list[str]:
    expect_status(reply, 200, "listing users")
    return [user["name"] for user in reply.body["data"]]


def expect_names(reply: Reply, names: list[str]) -> None:
    found = sorted(listed_names(reply))
    assert found == sorted(names), f"expected to find {in_words(sorted(names))}, found {in_words(found)}"


def expect_page_holds_sign_up_range(reply: Reply, db: DatabaseInspector, first: int, last: int) -> None:
    stored = [row["email"] for row in db.users()][first - 1 : last]
    shown = [user["email"] for user in reply.body["data"]]
    assert shown == stored, (
        f"expected the {first}th to {last}th users to sign up, in sign-up order: {in_words(stored)}; "
        f"the page showed {in_words(shown)}"
    )


def expect_user_count(db: DatabaseInspector, count: int) -> None:
    stored = db.count("users")
    assert stored == count, f"expected {count} users stored, found {stored}"


def expect_stored_user(db: DatabaseInspector, email: str, **fields: Any) -> dict[str, Any]:
    row = db.user_by_email(email)
    assert row is not None, f"expected a user with email {email} to be stored, found none"
    # Compared as text: the database gives ids as UUIDs, the API as strings.
    differing = {k: (v, row[k]) for k, v in fields.items() if str(row[k]) != str(v)}
    assert not differing, f"stored user {email}: " + "; ".join(
        f"expected {name} {in_words(want)}, found {in_words(got)}" for name, (want, got) in differing.items())
    return row


def expect_bcrypt_hash_of(row: dict[str, Any], password: str) -> None:
    stored = row["password_hash"]
    assert password not in stored, "the password itself appears in the stored hash"
    assert stored.startswith(("$2a$", "$2b$", "$2y$")), f"expected a bcrypt hash, found {stored[:7]}..."
    assert password_kept_as(password, stored), "the stored hash does not verify the password"


def expect_no_secret_in(reply: Reply, password: str) -> None:
    assert password not in reply.text, "the reply contains the password"
    leaked = {"password", "passwordHash", "password_hash", "hash"} & set(reply.body or {})
    assert not leaked, f"the reply has fields that must never be shown: {in_words(sorted(leaked))}"


def expect_validation_errors(reply: Reply, problems: dict[str, str]) -> None:
    expect_status(reply, 400, "signing up")
    seen = (reply.body or {}).get("errors")
    assert seen == problems, (
        f"expected exactly these problems: {in_words(problems)}; "
        f"the shop reported: {in_words(seen)}"
    )


def expect_signed_in(reply: Reply, *, user_id: str, role: str, lifetime: timedelta) -> None:
    expect_status(reply, 200, "signing in")
    claims = claims_of(reply.body["token"])
    assert (claims["sub"], claims["role"]) == (user_id, role), (
        f"expected a pass for {user_id} as {role}, got one for {claims['sub']} as {claims['role']}"
    )
    granted = timedelta(seconds=claims["exp"] - claims["iat"])
    assert granted == lifetime, f"expected the pass to last {lifetime}, it lasts {granted}"


def expect_recent(moment: datetime | None, what: str, within: timedelta = timedelta(minutes=1)) -> None:
    assert moment is not None, f"expected {what} to be recorded, nothing was"
    age = datetime.now(UTC) - moment
    assert timedelta(seconds=-5) <= age <= within, f"expected {what} to be just now, it is {moment} ({age} ago)"


def expect_created_account(reply: Reply, email: str, role: str) -> str:
    """The new account's id, after checking the shop says it created it as asked."""
    expect_status(reply, 201, f"signing up {email}")
    seen = (reply.body["email"], reply.body["role"])
    assert seen == (email, role), f"expected an account for {email} as {role}, got {seen[0]} as {seen[1]}"
    return reply.body["id"]


def expect_accounts_for(db: DatabaseInspector, email: str, count: int) -> None:
    found = db.rows("SELECT email FROM users WHERE lower(email) = lower(%s)", (email,))
    assert len(found) == count, (
        f"expected {count} account(s) for {email}, found {len(found)}: {in_words([r['email'] for r in found])}")


def expect_profile_of(reply: Reply, details) -> None:
    expect_status(reply, 200, f"reading {details.name}'s details")
    seen = (reply.body.get("name"), reply.body.get("email"))
    assert seen == (details.name, details.email), (
        f"expected {details.name} <{details.email}>, saw {seen[0]} <{seen[1]}>")


def expect_never_signed_in(db: DatabaseInspector, email: str) -> None:
    row = db.user_by_email(email)
    assert row is not None and row["last_signed_in_at"] is None, (
        f"expected no sign-in recorded for {email}, found {row['last_signed_in_at'] if row else 'no such account'}"
    )


def expect_failed_sign_ins(cache, email: str, address: str, count: int | None) -> None:
    seen, _ = cache.failed_sign_ins(email, address)
    assert seen == count, f"expected {count if count is not None else 'no'} failed sign-ins counted, found {seen}"


def expect_failed_sign_ins_from(cache, address: str, count: int) -> None:
    seen, _ = cache.failed_sign_ins_from(address)
    assert seen == count, f"expected {count} failed sign-ins counted for the client address, found {seen}"


def expect_failures_forgotten_within(cache, email: str, address: str, limit: timedelta) -> None:
    seen, ttl = cache.failed_sign_ins(email, address)
    assert seen is not None, "expected failed sign-ins to be counted, none are"
    assert 0 < ttl <= limit.total_seconds(), f"expected the count to expire within {limit}, it expires in {ttl}s"

