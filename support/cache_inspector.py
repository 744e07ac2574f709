"""Reads the suite's keys in Redis, to verify what the shop cached or counted there."""
from __future__ import annotations

import json
from typing import Any

import redis

from shop.catalogue_cache import generation_key, listing_key, listing_pattern
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

    def catalogue_listings(self) -> dict[str, int]:
        """The catalogue listings the shop keeps, each with its remaining lifetime in seconds."""
        return {key: self._redis.ttl(key) for key in self._redis.scan_iter(match=listing_pattern(self.prefix))}

    def current_catalogue_listing(self, query: dict[str, Any]) -> tuple[dict[str, Any] | None, int]:
        """The listing the shop would serve for `query` now, if it keeps one (else None), and its lifetime left."""
        generation = int(self._redis.get(generation_key(self.prefix)) or 0)
        key = listing_key(self.prefix, generation, query)
        value = self._redis.get(key)
        return (json.loads(value) if value is not None else None), self._redis.ttl(key)

    def keys(self) -> list[str]:
        return sorted(self._redis.scan_iter(match=self.prefix + "*", count=1000))

    def close(self) -> None:
        self._redis.close()
