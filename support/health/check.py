"""Checks of what the shop says about its health, and of the answers it gives while its database is away."""
from __future__ import annotations

from support.wires.api_client import Exchange, Reply
from support.words import in_words

DEPENDENCIES = ("database", "cache", "broker")
# What a health answer may say: anything else (an address, a port, a driver's message) is a leak.
ALLOWED_WORDS = {"status", "checks", "ready", "degraded", "unready", "ok", "unavailable", "alive", *DEPENDENCIES}


def expect_health(reply: Reply, status: str, unavailable: list[str]) -> None:
    wanted_status = 503 if status == "unready" else 200
    wanted = {"status": status,
              "checks": {name: "unavailable" if name in unavailable else "ok" for name in DEPENDENCIES}}
    assert (reply.status, reply.body) == (wanted_status, wanted), (
        f"expected the shop to say {status} with {in_words(wanted['checks'])} ({wanted_status}), "
        f"it answered {reply.describe()}"
    )


def expect_nothing_but_states(reply: Reply) -> None:
    words = set(reply.text.replace('"', " ").replace(":", " ").replace(",", " ").replace("{", " ")
                .replace("}", " ").split())
    leaked = words - ALLOWED_WORDS
    assert not leaked, (
        f"expected the health answer to name only states, it also says {in_words(sorted(leaked))}: {reply.text}")


def expect_retry_after(exchange: Exchange, seconds: int) -> None:
    found = next((v for k, v in exchange.response_headers.items() if k.lower() == "retry-after"), None)
    assert found == str(seconds), f"expected to be asked to come back in {seconds} seconds (Retry-After), found {found}"


def expect_alive(reply: Reply) -> None:
    assert (reply.status, reply.body) == (200, {"status": "alive"}), (
        f"expected the shop to say it is alive, it answered {reply.describe()}"
    )


def expect_briefly_unavailable(reply: Reply, exchange: Exchange, seconds: int) -> None:
    wanted = (503, "The shop is briefly unavailable; try again in a few seconds")
    assert (reply.status, reply.error) == wanted, (
        f"expected to be told the shop is briefly unavailable ({wanted[0]} {wanted[1]}), "
        f"the shop answered {reply.describe()}"
    )
    expect_retry_after(exchange, seconds)
