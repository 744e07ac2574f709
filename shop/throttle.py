"""Counts failed sign-ins and refuses sign-in for a while after too many, without letting anyone lock
someone else out.

Two counts, each for `window_seconds` after its first failure:
- per account *and* client address: after `limit` failures that address may not try that account, but
  the account's owner, signing in from anywhere else, is not affected;
- per client address: after `address_limit` failures, on any accounts, that address may not sign in at
  all (someone trying many accounts). A successful sign-in does not clear it, so an attacker cannot
  reset it by signing in to an account of their own between guesses.

Keyed by the address as typed (case-folded), whether or not it belongs to anyone, so the refusal never
reveals which addresses are registered; hashed, so Redis holds neither emails nor client addresses.
Counted in Redis, and in this process too while Redis is unavailable (down or frozen), so there is a
limit even then; reads take the larger of the two.
"""
from __future__ import annotations

import hashlib
import logging
import threading

import redis
from cachetools import TTLCache

log = logging.getLogger(__name__)

LOCAL_KEYS = 100_000  # the most counters kept in this process while Redis is away (oldest dropped)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def account_key(prefix: str, email: str, address: str) -> str:
    """Where failures for an account from one client address are counted."""
    return f"{prefix}sign-in-failures:{_digest(email.strip().lower(), address)}"


def address_key(prefix: str, address: str) -> str:
    """Where failures from one client address, on any account, are counted."""
    return f"{prefix}sign-in-failures-from:{_digest(address)}"


class SignInThrottle:
    def __init__(self, client, prefix: str, *, limit: int, address_limit: int, window_seconds: int):
        self._redis = client
        self._prefix = prefix
        self.limit = limit
        self.address_limit = address_limit
        self.window = window_seconds
        self._local: TTLCache = TTLCache(maxsize=LOCAL_KEYS, ttl=window_seconds)
        self._local_lock = threading.Lock()

    def is_locked(self, email: str, address: str) -> bool:
        keys = (account_key(self._prefix, email, address), address_key(self._prefix, address))
        counts = self._counts(keys)
        return counts[0] >= self.limit or counts[1] >= self.address_limit

    def record_failure(self, email: str, address: str) -> None:
        keys = (account_key(self._prefix, email, address), address_key(self._prefix, address))
        try:
            self._redis.run(lambda client: _increment(client, keys, self.window))
        except redis.RedisError as error:
            log.warning("failed sign-in counted in this process only (cache unavailable): %s", error)
            with self._local_lock:
                for key in keys:
                    self._local[key] = self._local.get(key, 0) + 1

    def clear(self, email: str, address: str) -> None:
        """The account's owner got in from this address: forget that pair's failures (not the address's)."""
        key = account_key(self._prefix, email, address)
        with self._local_lock:
            self._local.pop(key, None)
        try:
            self._redis.delete(key)
        except redis.RedisError as error:
            log.warning("could not clear failed sign-ins: %s", error)

    def _counts(self, keys: tuple[str, ...]) -> list[int]:
        with self._local_lock:
            local = [self._local.get(key, 0) for key in keys]
        try:
            remote = [int(count or 0) for count in self._redis.mget(keys)]
        except redis.RedisError as error:
            log.warning("sign-in throttle counting in this process only (cache unavailable): %s", error)
            return local
        return [max(pair) for pair in zip(local, remote, strict=True)]


def _increment(client: redis.Redis, keys: tuple[str, ...], window: int) -> None:
    with client.pipeline() as pipe:
        for key in keys:
            pipe.incr(key)
            pipe.expire(key, window, nx=True)
        pipe.execute()
