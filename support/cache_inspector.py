"""Reads the suite's keys in Redis, to verify what the shop cached or counted there."""
from __future__ import annotations

import redis

from shop.throttle import failure_key


class CacheInspector:
    def __init__(self, redis_url: str, key_prefix: str):
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=5, decode_responses=True)
        self.prefix = key_prefix

    def failed_sign_ins(self, email: str) -> tuple[int | None, int]:
        """The failure count kept for an address (None when no key) and its remaining lifetime in seconds."""
        key = failure_key(self.prefix, email)
        value = self._redis.get(key)
        return (int(value) if value is not None else None), self._redis.ttl(key)

    def keys(self) -> list[str]:
        return sorted(self._redis.scan_iter(match=self.prefix + "*", count=1000))

    def close(self) -> None:
        self._redis.close()
