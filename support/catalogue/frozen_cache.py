"""What a customer's requests cost while the shop's cache is frozen (its connections open, no answers),
and whether the shop uses its cache again once it answers. The relay in front of Redis swallows and
counts what the shop sends while frozen, so "the shop waited for its cache" is counted, not timed."""
from __future__ import annotations

import time
from dataclasses import dataclass

from support.polling import eventually
from support.wires.api_client import Reply, ShopApi
from support.wires.cache_inspector import CacheInspector
from support.words import tallied

PROBE_PAGE_SIZE = 3  # a listing nobody else asks for, to see the cache filled afresh


@dataclass(frozen=True)
class TimedRequest:
    what: str
    reply: Reply
    seconds: float


def sign_in_and_browse(api: ShopApi, email: str, password: str, address: str, times: int) -> list[TimedRequest]:
    """Sign in and browse the catalogue, `times` each, in turn, each request timed."""
    done: list[TimedRequest] = []
    for _ in range(times):
        done.append(_timed("sign-in", lambda: api.sign_in(email, password, address=address)))
        token = done[-1].reply.body.get("token") if done[-1].reply.status == 200 else None
        done.append(_timed("catalogue", lambda token=token: api.browse_products(token)))
    return done


def _timed(what: str, send) -> TimedRequest:
    started = time.perf_counter()
    reply = send()
    return TimedRequest(what, reply, time.perf_counter() - started)


def describe(requests: list[TimedRequest]) -> str:
    return "\n".join(f"{r.what}: {r.reply.status} in {r.seconds * 1000:.1f} ms" for r in requests)


def expect_all_answered(requests: list[TimedRequest]) -> None:
    refused = [f"{r.what}: {r.reply.describe()}" for r in requests if r.reply.status != 200]
    assert not refused, (f"expected every sign-in and listing answered; {len(refused)} of {len(requests)} were not:"
                         f"{tallied(refused, per_line=True)}")


def expect_waited_at_most(swallowed: int, times: int, requests: int) -> None:
    assert swallowed <= times, (
        f"expected the shop to wait for its frozen cache at most {times} times over {requests} requests; "
        f"it sent it {swallowed} request(s) that went unanswered")


def expect_cache_used_again(api: ShopApi, token: str, cache: CacheInspector, within_seconds: float) -> None:
    """Browsing fills the cache again: a listing asked for now is found kept in Redis."""
    def browse_and_look() -> None:
        reply = api.browse_products(token, limit=PROBE_PAGE_SIZE)
        assert reply.status == 200, f"expected the catalogue, the shop answered {reply.describe()}"
        kept = [listing for listing, _ in cache.current_catalogue_listings()
                if listing["pagination"]["limit"] == PROBE_PAGE_SIZE]
        assert kept, "the listing just served is not kept in the cache"

    eventually(browse_and_look, timeout=within_seconds, interval=0.2,
               description="the shop to keep catalogue listings in its cache again")
