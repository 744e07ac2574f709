"""The shop's Redis client behind a circuit breaker, so a cache that stops answering costs nothing per request.

A Redis that is down refuses connections at once, which costs nothing. A Redis that is frozen (the
connection open, no answer) costs a socket timeout per command: every sign-in and catalogue request
would wait. So the first timeout opens the breaker (pybreaker), and while it is open every command
fails at once with `CacheUnavailable`, a `redis.RedisError` like any other outage, which callers
already survive. After `retry_seconds` one command is let through to see whether Redis answers again.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import pybreaker
import redis

log = logging.getLogger(__name__)
T = TypeVar("T")


class CacheUnavailable(redis.ConnectionError):
    """The breaker is open: Redis timed out recently and is not being asked."""


class _LogTransitions(pybreaker.CircuitBreakerListener):
    def state_change(self, cb, old_state, new_state):
        log.warning("cache breaker %s -> %s", old_state.name if old_state else None, new_state.name)


class GuardedRedis:
    """Looks like the redis client for the commands the shop uses; each goes through the breaker."""

    def __init__(self, client: redis.Redis, *, retry_seconds: float):
        self.client = client
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=1, reset_timeout=retry_seconds, name="cache", listeners=[_LogTransitions()],
            # Only a timeout trips it: a refused connection fails fast, and an error reply is an answer.
            exclude=[lambda error: not isinstance(error, redis.TimeoutError)],
        )

    @property
    def is_open(self) -> bool:
        return self._breaker.current_state == pybreaker.STATE_OPEN

    def run(self, work: Callable[[redis.Redis], T]) -> T:
        """Several commands (a pipeline, say) as one call through the breaker."""
        try:
            return self._breaker.call(work, self.client)
        except pybreaker.CircuitBreakerError:
            raise CacheUnavailable("the cache did not answer in time recently; not asking it for now") from None

    def __getattr__(self, name: str) -> Any:
        command = getattr(self.client, name)
        if not callable(command):
            return command
        return lambda *args, **kwargs: self.run(lambda client: getattr(client, name)(*args, **kwargs))
