"""Many customers acting at the same moment: each on their own thread and connection, released together.

Every buyer is signed in before the start and all wait at one barrier, so what races is the shop's
handling of the orders, not the suite's preparation of them. The outcome
keeps each buyer's answer and when it was sent and received, to show how far the orders overlapped.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from support.people.arrange import Person
from support.wires.api_client import Reply, ShopApi
from support.words import one_per_line

START_TIMEOUT = 30


@dataclass(frozen=True)
class Attempt:
    buyer: str
    reply: Reply
    sent: float
    answered: float


@dataclass(frozen=True)
class RushOutcome:
    attempts: list[Attempt]

    @property
    def accepted(self) -> list[Attempt]:
        return [a for a in self.attempts if 200 <= a.reply.status < 300]

    @property
    def refused(self) -> list[Attempt]:
        return [a for a in self.attempts if not 200 <= a.reply.status < 300]

    def answers(self) -> Counter:
        """How many got each answer, e.g. {'201': 3, '409 Insufficient inventory for KETTLE-1': 22}."""
        return Counter(f"{a.reply.status} {a.reply.error}" if a.reply.error else str(a.reply.status)
                       for a in self.attempts)

    def most_in_flight(self) -> int:
        """The largest number of orders the shop had in hand at one instant, as the buyers saw it."""
        events = sorted([(a.sent, 1) for a in self.attempts] + [(a.answered, -1) for a in self.attempts])
        in_flight = peak = 0
        for _, change in events:
            in_flight += change
            peak = max(peak, in_flight)
        return peak

    def describe(self) -> str:
        spread = max(a.sent for a in self.attempts) - min(a.sent for a in self.attempts)
        return (f"{len(self.attempts)} buyers, all sent within {spread * 1000:.1f} ms, up to "
                f"{self.most_in_flight()} in flight at once; answers: "
                f"{', '.join(f'{n} x {answer}' for answer, n in self.answers().most_common())}")


@dataclass(frozen=True)
class Act:
    """One caller's part in the rush: who they are, and what they ask of the shop through their own client."""

    who: str
    do: Callable[[ShopApi], Reply]


def orders(buyers: list[Person], baskets: list[list[dict]]) -> list[Act]:
    """Each buyer orders one basket; with several baskets, the buyers take them in turn."""
    return [_ordering(buyer, baskets[i % len(baskets)]) for i, buyer in enumerate(buyers)]


def _ordering(buyer: Person, basket: list[dict]) -> Act:
    return Act(buyer.first_name, lambda client: client.place_order(buyer.token, basket))


def cancellations(who: str, token: str, order_id: str, times: int) -> list[Act]:
    return [Act(who, lambda client: client.cancel_order(token, order_id)) for _ in range(times)]


def all_at_once(api: ShopApi, acts: list[Act]) -> RushOutcome:
    """Every act at the same moment, each on its own thread with a client of its own."""
    clients = [api.fork() for _ in acts]
    start = threading.Barrier(len(acts))
    attempts: list[Attempt | None] = [None] * len(acts)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait(timeout=START_TIMEOUT)
            sent = time.perf_counter()
            reply = acts[index].do(clients[index])
            attempts[index] = Attempt(acts[index].who, reply, sent, time.perf_counter())
        except BaseException as error:  # noqa: BLE001 - reported below, with the others
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,), name=f"rush-{i}") for i in range(len(acts))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=START_TIMEOUT * 2)
    finally:
        for client in clients:
            client.close()
    if failures or any(attempt is None for attempt in attempts):
        raise AssertionError(f"not every caller got an answer from the shop; {len(failures)} failed:"
                             f"{one_per_line((f'{type(e).__name__}: {e}' for e in failures), most=3)}")
    return RushOutcome(attempts)
