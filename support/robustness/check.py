"""Checks that hostile input got a clear refusal and changed nothing: never a server error."""
from __future__ import annotations

from support.wires.api_client import Exchange, Reply
from support.words import in_words


def refusal_of(reply: Reply) -> tuple[str, str | None]:
    """How the shop refused: ("rest", error) for a REST answer, or (GraphQL code, message) for GraphQL's."""
    errors = reply.body.get("errors") if isinstance(reply.body, dict) else None
    if isinstance(errors, list) and errors:
        first = errors[0]
        return first.get("extensions", {}).get("code"), first.get("message")
    return "rest", reply.error


def expect_refused_as_bad_input(reply: Reply, message: str) -> None:
    """Refused as the caller's mistake, saying `message`: 400 on REST, BAD_USER_INPUT/BAD_REQUEST on GraphQL."""
    kind, said = refusal_of(reply)
    refused = (reply.status == 400 and kind in ("rest", "BAD_REQUEST", "GRAPHQL_PARSE_FAILED")) or (
        reply.status == 200 and kind == "BAD_USER_INPUT")
    assert refused and said == message, (
        f"expected the request to be refused as bad input saying {message!r}; the shop answered {reply.describe()}"
    )


def expect_nothing_new_stored(before: dict[str, int], after: dict[str, int]) -> None:
    changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    assert not changed, f"expected nothing new to be stored; these changed (before, after): {in_words(changed)}"


def expect_allowed_methods(exchange: Exchange, methods: list[str]) -> None:
    allow = next((v for k, v in exchange.response_headers.items() if k.lower() == "allow"), None)
    seen = sorted(m.strip() for m in allow.split(",")) if allow else None
    assert seen == sorted(methods), (
        f"expected the answer to name the methods {in_words(sorted(methods))}, it named {in_words(seen)}")


def expect_too_large(reply: Reply) -> None:
    assert reply.status == 413 and "larger than the shop accepts" in (reply.error or ""), (
        f"expected the request to be refused as too large, the shop answered {reply.describe()[:200]}"
    )
