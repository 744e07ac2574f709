"""The edge of the suite during a scenario: where every call the shop makes to a provider is decided.

The `Switchboard` routes a call (method and URL) to the fake that claims it, logs every call for the
scenario's report, and refuses any other call, remembering it, because the shop may swallow the
refusal: the step during which it happened fails, naming it. Two fronts bring the shop's calls to it:
`InProcessFront` here, on `responses` (which patches `requests` for this whole process, so it catches
a shop running in this process, request threads and worker alike), and `HttpFront`
(support/fakes/http_front.py), a real HTTP server for a shop in other processes.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
import responses

from support import polling

NOT_ON_THE_WIRE = "not on the wire"
# However long a fake holds an answer back, a shop that never hangs up is let go after this long.
HOLD_AT_MOST = 60.0
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class ProviderRequest:
    """What a fake is asked: the call as the shop made it."""

    method: str
    url: str
    headers: dict[str, str]
    body: str
    timeout: Any  # as given to requests: None, seconds, or (connect, read); over HTTP not on the wire: None
    # Over HTTP: holds the answer back for some seconds, False as soon as the shop hangs up (its read timeout).
    hold: Callable[[float], bool] | None = None
    # Over HTTP: how long the shop waited for an answer that never came before it hung up.
    waited: list[float] = field(default_factory=list)

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def read_timeout(self) -> float | None:
        return self.timeout[1] if isinstance(self.timeout, tuple) else self.timeout

    @property
    def seen_timeout(self) -> Any:
        """The shop's timeouts as far as they can be seen: as given to requests in process; over HTTP, where
        they are not on the wire, (None, how long it waited) once it hung up on a withheld answer."""
        if self.hold is None:
            return self.timeout
        return (None, round(self.waited[-1], 3)) if self.waited else NOT_ON_THE_WIRE

    def answer_after(self, seconds: float) -> bool:
        """Hold the answer back `seconds`; False when the shop gives up first (at once when its timeout is known)."""
        if self.hold is not None:
            started = time.monotonic()
            if self.hold(seconds):
                return True
            self.waited.append(time.monotonic() - started)
            return False
        if self.read_timeout is not None and seconds > self.read_timeout:
            return False  # not waited out: the shop would have stopped waiting, and that is what it is told
        polling.pause(seconds, why="the fake provider answers slowly")
        return True

    def withhold(self) -> None:
        """Never answer: over HTTP, hold the answer until the shop hangs up (how long it waited is noted);
        in process the shop's read timeout is known and raised at once by the caller."""
        if self.hold is not None:
            self.answer_after(HOLD_AT_MOST)

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


class LostAnswer(requests.ReadTimeout):
    """The provider did the work but its answer never arrived: in process the shop's read timeout is
    raised at once; over HTTP the connection drops."""


class UnclaimedCall(requests.ConnectionError):
    """The shop called a URL no fake claims: refused, as the real world is out of a test's reach."""


class Switchboard:
    """The scenario's fakes by (method, URL), the log of every call, and the calls nobody claimed."""

    def __init__(self, fakes: Iterable[Fake]):
        self._routes: dict[tuple[str, str], tuple[str, Handler]] = {}
        for fake in fakes:
            for method, url, handler in fake.routes():
                self._routes[(method, url)] = (fake.name, handler)
        self.calls: list[ProviderCall] = []
        self.unexpected: list[str] = []
        self._reported = 0
        self._lock = threading.Lock()

    def dispatch(self, request: ProviderRequest) -> Answer:
        """The claiming fake's answer; UnclaimedCall when no fake claims the call. A fake may raise the
        `requests` error the shop would see instead (ConnectionError, ReadTimeout)."""
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


class InProcessFront:
    """The fakes for a shop in this process: `responses` routes its calls to the scenario's switchboard,
    and lets calls to the shop itself (the passthrough prefixes) through."""

    def __init__(self, passthrough: list[str], email_base: str, payments_base: str):
        self._passthrough = passthrough
        self.email_base, self.payments_base = email_base, payments_base
        self._mock: responses.RequestsMock | None = None

    def attach(self, switchboard: Switchboard) -> None:
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        # One catch-all per method for everything but the passthrough prefixes: the switchboard routes
        # by itself, as overlapping `responses` registrations would be consumed one by one.
        kept_out = "|".join(re.escape(prefix) for prefix in self._passthrough)
        everything_else = re.compile(f"^(?!{kept_out})" if kept_out else "^")
        dispatch = _responses_callback(switchboard)
        for method in METHODS:
            self._mock.add_callback(method, everything_else, callback=dispatch, content_type=None)
        for prefix in self._passthrough:
            self._mock.add_passthru(prefix)
        self._mock.start()

    def detach(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock.reset()
            self._mock = None

    def close(self) -> None:
        self.detach()


def _responses_callback(switchboard: Switchboard) -> Callable[[requests.PreparedRequest], Answer]:
    def dispatch(prepared: requests.PreparedRequest) -> Answer:
        body = prepared.body.decode(errors="replace") if isinstance(prepared.body, bytes) else prepared.body or ""
        return switchboard.dispatch(ProviderRequest(
            prepared.method, prepared.url, dict(prepared.headers), body, prepared.req_kwargs.get("timeout")))
    return dispatch
