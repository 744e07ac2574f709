"""Counts failed sign-ins per email address in Redis and locks sign-in after too many.

Keyed by the address as typed (case-folded), whether or not it belongs to anyone, so the lock
itself never reveals which addresses are registered.
"""
from __future__ import annotations

import hashlib
import logging

import redis

log = logging.getLogger(__name__)


def failure_key(prefix: str, email: str) -> str:
    """Where failures for an address are counted; hashed so Redis holds no addresses."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"{prefix}sign-in-failures:{digest}"


class SignInThrottle:
    def __init__(self, client: redis.Redis, prefix: str, *, limit: int, window_seconds: int):
        self._redis = client
        self._prefix = prefix
        self.limit = limit
        self.window = window_seconds

    def key(self, email: str) -> str:
        return failure_key(self._prefix, email)

    def is_locked(self, email: str) -> bool:
        try:
            return int(self._redis.get(self.key(email)) or 0) >= self.limit
        except redis.RedisError as error:
            # Failing open keeps sign-in available when Redis is down; the lock is a brake, not a wall.
            log.warning("sign-in throttle unavailable, not enforcing: %s", error)
            return False

    def record_failure(self, email: str) -> None:
        key = self.key(email)
        try:
            with self._redis.pipeline() as pipe:
                pipe.incr(key)
                pipe.expire(key, self.window, nx=True)
                pipe.execute()
        except redis.RedisError as error:
            log.warning("could not record a failed sign-in: %s", error)

    def clear(self, email: str) -> None:
        try:
            self._redis.delete(self.key(email))
        except redis.RedisError as error:
            log.warning("could not clear failed sign-ins: %s", error)
