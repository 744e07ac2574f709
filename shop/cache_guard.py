"""The shop's Redis client behind a circuit breaker, so a cache that stops answering costs nothing per request.

A Redis that is down refuses connections at once, which costs nothing. A Redis that is frozen (the
connection open, no answer) costs a socket timeout per command: every sign-in and catalogue request
would wait. So the first timeout opens the breaker (pybreaker), and while it is open every command
fails at once with `CacheUnavailable`, a `redis.RedisError` like any other outage, which callers
already survive. After `retry_seconds` a command is let through to see whether Redis answers again.

The command itself runs outside the breaker: pybreaker's `call` holds the breaker's lock for as long as
the guarded function runs (danielfm/pybreaker#3; the pull requests that lifted it were not merged), which
queued every request thread's Redis commands behind one another, one at a time (under 100 concurrent
catalogue requests most of the shop's time went to waiting for that lock). So the breaker is asked only
whether a command may go, and then told how it went, by replaying its outcome through `call`: its state
machine and listeners are pybreaker's, and its lock is held for the replay only.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pybreaker
import redis

log = logging.getLogger(__name__)
T = TypeVar("T")


class CacheUnavailable(redis.ConnectionError):
    """The breaker is open: Redis timed out recently and is not being asked."""


class _Transitions(pybreaker.CircuitBreakerListener):
    """Logs each change of state, and remembers when the breaker last opened."""

    def __init__(self):
        self.opened_at = 0.0  # time.monotonic() of the last opening

    def state_change(self, cb, old_state, new_state):
        if new_state.name == pybreaker.STATE_OPEN:
            self.opened_at = time.monotonic()
        log.warning("cache breaker %s -> %s", old_state.name if old_state else None, new_state.name)


def _replay(result: Any, error: BaseException | None) -> Any:
    """The outcome of a command that already ran, given back to the breaker as if it ran now."""
    if error is not None:
        raise error
    return result


_OPEN = "the cache did not answer in time recently; not asking it for now"


class GuardedRedis:
    """Looks like the redis client for the commands the shop uses; each goes through the breaker."""

    def __init__(self, client: redis.Redis, *, retry_seconds: float):
        self.client = client
        self._retry_seconds = retry_seconds
        self._transitions = _Transitions()
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=1, reset_timeout=retry_seconds, name="cache", listeners=[self._transitions],
            # Only a timeout trips it: a refused connection fails fast, and an error reply is an answer.
            exclude=[lambda error: not isinstance(error, redis.TimeoutError)],
        )

    @property
    def is_open(self) -> bool:
        return self._breaker.current_state == pybreaker.STATE_OPEN

    def run(self, work: Callable[[redis.Redis], T]) -> T:
        """Several commands (a pipeline, say) as one call through the breaker: refused at once while it is
        open, else run (beside other threads' commands) and its outcome told to the breaker."""
        if self.is_open and time.monotonic() < self._transitions.opened_at + self._retry_seconds:
            raise CacheUnavailable(_OPEN)
        result: Any = None
        error: BaseException | None = None
        try:
            result = work(self.client)
        except Exception as failure:  # noqa: BLE001 - told to the breaker, which raises it again
            error = failure
        try:
            return self._breaker.call(_replay, result, error)
        except pybreaker.CircuitBreakerError:
            # Another thread's timeout opened the breaker while this command ran: its outcome still stands.
            if error is not None:
                raise error from None
            return result

    def __getattr__(self, name: str) -> Any:
        command = getattr(self.client, name)
        if not callable(command):
            return command
        return lambda *args, **kwargs: self.run(lambda client: getattr(client, name)(*args, **kwargs))
