"""A crowd of customers browsing the catalogue at the same moment, each over a connection of her own.

Every answer is checked (status and content), not only timed: a fast wrong answer is a failure.
The figures (requests per second, percentiles, errors) go to the scenario's Allure result and to
`make bench`; the budget they are held to is a setting, so a slow machine can widen it.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import gevent
from geventhttpclient import URL, HTTPClient
from geventhttpclient.response import HTTPParseError


@dataclass
class LoadFigures:
    customers: int
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]

    def describe(self) -> str:
        return (
            f"{self.customers} customers, {self.requests} requests in {self.seconds:.2f} s "
            f"({self.per_second:.0f} per second); answer times p50 {self.percentile(0.50):.0f} ms, "
            f"p95 {self.percentile(0.95):.0f} ms, p99 {self.percentile(0.99):.0f} ms, "
            f"max {max(self.latencies_ms, default=0):.0f} ms; {len(self.errors)} wrong or failed answers"
        )


def browse_together(
    url: str, passes: list[str], times: int, is_right: Callable[[dict], str | None], timeout: float = 30,
) -> LoadFigures:
    """Each pass's holder asks for the catalogue `times` times, all starting at the same moment.

    `is_right(body)` returns None for a right answer, else what was wrong with it.

    The customers are greenlets, each with a keep-alive connection of her own (geventhttpclient, the
    client of Locust's FastHttpUser), not a hundred threads with requests' sessions: those cost the
    client more CPU than the shop spent answering (2.2-2.5 CPU-s against 0.6 for 1000 listings, on 2
    cores), so the figure was the client's. Nothing is monkey-patched: the greenlets run in this thread's
    own hub and only the crowd's sockets are cooperative, so the suite's other threads are untouched.
    """
    address = URL(url)
    prefix = address.path.rstrip("/")
    latencies: list[float] = []
    errors: list[str] = []
    span = [float("inf"), 0.0]  # the first request's start and the last answer's end

    def customer(client: HTTPClient) -> None:
        try:
            for _ in range(times):
                began = time.perf_counter()
                try:
                    reply = client.get(f"{prefix}/api/products")
                    body = reply.read()
                    problem = None if reply.status_code == 200 else f"answered {reply.status_code}"
                    problem = problem or is_right(json.loads(body))
                except (OSError, HTTPParseError, ValueError, gevent.Timeout) as error:  # refused, reset, cut, not JSON
                    problem = f"no usable answer ({type(error).__name__}: {error})"
                ended = time.perf_counter()
                latencies.append((ended - began) * 1000)  # one thread: the greenlets take turns, no lock
                span[0], span[1] = min(span[0], began), max(span[1], ended)
                if problem:
                    errors.append(problem)
        finally:
            client.close()

    # Every customer has her client (nothing connects yet) before any starts; spawned greenlets first run
    # when this one yields in joinall, all in the hub's same turn: the same moment, with no start line.
    clients = [HTTPClient.from_url(address, concurrency=1, connection_timeout=timeout, network_timeout=timeout,
                                   headers={"Authorization": f"Bearer {token}"}) for token in passes]
    gevent.joinall([gevent.spawn(customer, client) for client in clients], raise_error=True)
    return LoadFigures(len(passes), len(latencies), max(0.0, span[1] - span[0]), latencies, errors)
