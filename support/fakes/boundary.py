"""The edge of the suite's process during a scenario: where every outgoing HTTP call is decided.

`responses` patches `requests` for the whole process, so it catches the shop's calls from its own
request threads too. A call to the shop under test passes through to it; a call a fake claims (by
method and URL) is answered by that fake; any other call is refused with a connection error and
remembered, because the shop may swallow that error: the scenario is failed at its end, naming it.
Every call is logged for the scenario's report.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
import responses

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class ProviderRequest:
    """What a fake is asked: the call as the shop made it."""

    method: str
    url: str
    headers: dict[str, str]
    body: str
    timeout: Any  # as given to requests: None, seconds, or (connect, read)

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def read_timeout(self) -> float | None:
        return self.timeout[1] if isinstance(self.timeout, tuple) else self.timeout

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


Answer = tuple[int, dict[str, str], str]
Handler = Callable[[ProviderRequest], Answer]


class Fake(Protocol):
    name: str

    def routes(self) -> Iterable[tuple[str, str, Handler]]: ...


@dataclass(frozen=True)
class ProviderCall:
    provider: str
    method: str
    url: str
    request_body: str
    outcome: str

    def as_text(self) -> str:
        return f"{self.provider}: {self.method} {self.url}\n{self.request_body}\n<- {self.outcome}"


class UnclaimedCall(requests.ConnectionError):
    """The shop called a URL no fake claims: refused, as the real world is out of a test's reach."""


class ProviderBoundary:
    def __init__(self, passthrough: list[str], fakes: Iterable[Fake]):
        self._routes: dict[tuple[str, str], tuple[str, Handler]] = {}
        for fake in fakes:
            for method, url, handler in fake.routes():
                self._routes[(method, url)] = (fake.name, handler)
        self.calls: list[ProviderCall] = []
        self.unexpected: list[str] = []
        self._reported = 0
        self._lock = threading.Lock()
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        # One catch-all per method for everything but the passthrough prefixes: the boundary routes
        # by itself, as overlapping `responses` registrations would be consumed one by one.
        kept_out = "|".join(re.escape(prefix) for prefix in passthrough)
        everything_else = re.compile(f"^(?!{kept_out})" if kept_out else "^")
        for method in METHODS:
            self._mock.add_callback(method, everything_else, callback=self._dispatch, content_type=None)
        for prefix in passthrough:
            self._mock.add_passthru(prefix)

    def start(self) -> ProviderBoundary:
        self._mock.start()
        return self

    def stop(self) -> None:
        self._mock.stop()
        self._mock.reset()

    def _dispatch(self, prepared: requests.PreparedRequest) -> Answer:
        body = prepared.body.decode(errors="replace") if isinstance(prepared.body, bytes) else prepared.body or ""
        request = ProviderRequest(
            prepared.method, prepared.url, dict(prepared.headers), body, prepared.req_kwargs.get("timeout")
        )
        route = self._routes.get((request.method, request.url.split("?")[0]))
        if route is None:
            with self._lock:
                self.unexpected.append(f"{request.method} {request.url}")
            self._log("(no fake)", request, "refused: no fake claims this URL")
            raise UnclaimedCall(f"no fake claims {request.method} {request.url}; the suite never calls the real world")
        provider, handler = route
        try:
            status, headers, text = handler(request)
        except Exception as error:
            self._log(provider, request, f"{type(error).__name__}: {error}")
            raise
        shown = "".join(f"\n{name}: {value}" for name, value in headers.items())
        self._log(provider, request, f"{status}{shown}" + (f"\n\n{text}" if text else ""))
        return status, headers, text

    def _log(self, provider: str, request: ProviderRequest, outcome: str) -> None:
        with self._lock:
            self.calls.append(ProviderCall(provider, request.method, request.url, request.body, outcome))

    def call_log(self) -> str:
        return "\n\n".join(call.as_text() for call in self.calls)

    def expect_no_unexpected_calls(self) -> None:
        """Fail if the shop called an unclaimed URL since the last check (each call is reported once)."""
        with self._lock:
            new, self._reported = self.unexpected[self._reported:], len(self.unexpected)
        if new:
            listing = "\n".join(f"  {call}" for call in new)
            raise AssertionError(
                f"the shop called {len(new)} URL(s) that no fake claims (refused, and maybe swallowed by the "
                f"shop):\n{listing}"
            )
