"""Reads the suite's keys in Redis, to verify what the shop cached or counted there."""
from __future__ import annotations

import json
import re
from typing import Any

import redis

from support.door import catalogue_generation_key, catalogue_listing_pattern, failed_sign_in_key, sign_ins_from_key


class CacheInspector:
    def __init__(self, redis_url: str, key_prefix: str):
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=5, decode_responses=True)
        self.prefix = key_prefix

    def failed_sign_ins(self, email: str, address: str) -> tuple[int | None, int]:
        """The failure count kept for an account from a client address (None when no key) and its
        remaining lifetime in seconds."""
        return self._count(failed_sign_in_key(self.prefix, email, address))

    def failed_sign_ins_from(self, address: str) -> tuple[int | None, int]:
        """The failure count kept for a client address, on any accounts."""
        return self._count(sign_ins_from_key(self.prefix, address))

    def _count(self, key: str) -> tuple[int | None, int]:
        value = self._redis.get(key)
        return (int(value) if value is not None else None), self._redis.ttl(key)

    def current_catalogue_listings(self) -> list[tuple[dict[str, Any], int]]:
        """The listings the shop would serve now (not those a change has made obsolete), each with its lifetime left."""
        generation = int(self._redis.get(catalogue_generation_key(self.prefix)) or 0)
        current = catalogue_listing_pattern(self.prefix, generation)
        found = []
        for key in self._redis.scan_iter(match=current):
            value = self._redis.get(key)
            if value is not None:
                found.append((json.loads(value), self._redis.ttl(key)))
        return found

    def catalogue_listing_keys(self) -> list[str]:
        """Every catalogue listing kept, of any generation."""
        listing = re.compile(re.escape(self.prefix) + r"catalogue:g\d+:")
        found = self._redis.scan_iter(match=catalogue_listing_pattern(self.prefix), count=1000)
        return sorted(key for key in found if listing.match(key))

    def keys(self) -> list[str]:
        return sorted(self._redis.scan_iter(match=self.prefix + "*", count=1000))

    def close(self) -> None:
        self._redis.close()
