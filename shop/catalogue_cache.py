"""Keeps catalogue listings in Redis (cache-aside, with a TTL) and forgets them when a product changes.

Listings are stored under a *generation*: a counter in Redis that every product change increments
after its transaction commits. Readers read the generation before they read the database, so a
listing read just before a change can only be stored under the old generation, where nobody looks
any more. One increment invalidates every listing, which is right: a new price, a new product or a
sale can move any page of any filtered listing.

Redis is a convenience here, never a dependency: when it does not answer, listings are served from
the database (and logged), and an increment that could not be made is made before Redis is trusted
again, so a listing cached before the outage is not served after it.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import redis

log = logging.getLogger(__name__)


def generation_key(prefix: str) -> str:
    return f"{prefix}catalogue:generation"


def listing_key(prefix: str, generation: int, query: dict[str, Any]) -> str:
    """E.g. `shop:catalogue:g7:limit=20&name=kettle&page=1`: readable in redis-cli, one key per query."""
    return f"{prefix}catalogue:g{generation}:{urlencode(sorted(query.items()))}"


def listing_pattern(prefix: str, generation: int | None = None) -> str:
    """Matches every listing kept, or those of one generation."""
    return f"{prefix}catalogue:g{'*' if generation is None else f'{generation}:*'}"


@dataclass(frozen=True)
class CacheFigures:
    """Since the shop started: listings served from Redis, fetched from the database, served without Redis."""

    hits: int
    misses: int
    unavailable: int


def as_json_text(listing: dict[str, Any]) -> str:
    """A listing as the API sends it: compact JSON, keys in their order, non-ASCII escaped (as Flask's jsonify)."""
    return json.dumps(listing, separators=(",", ":"))


class CatalogueCache:
    def __init__(self, client: redis.Redis, prefix: str, ttl_seconds: int):
        self._redis = client
        self._prefix = prefix
        self.ttl = ttl_seconds
        self._lock = threading.Lock()
        # One loader per listing at a time: when a listing is missing, the requests that want it at the
        # same moment wait for the first to load it instead of all asking the database (a stampede that
        # exhausted the connection pool under a crowd). Striped, so the locks stay few whatever the keys.
        self._loading = [threading.Lock() for _ in range(64)]
        self._hits = self._misses = self._unavailable = 0
        # Changes that could not be announced while Redis was away; Redis is not read again until they are.
        self._invalidations_owed = 0

    def fetch(self, query: dict[str, Any], load) -> str:
        """The listing for `query` as JSON text: from Redis if there, else `load()`ed from the database and
        kept. Text, not a dict: the API sends it as kept, so a cached listing is neither parsed nor encoded
        again for each request (a tenth of the shop's CPU per listing under a crowd)."""
        try:
            self._settle_owed_invalidation()
            generation = int(self._redis.get(generation_key(self._prefix)) or 0)
            cached = self._redis.get(listing_key(self._prefix, generation, query))
        except redis.RedisError as error:
            self._count(unavailable=1)
            log.warning("catalogue cache unavailable, serving the catalogue from the database: %s", error)
            return as_json_text(load())
        if cached is not None:
            self._count(hits=1)
            return cached.decode()
        key = listing_key(self._prefix, generation, query)
        with self._loading[hash(key) % len(self._loading)]:
            try:
                cached = self._redis.get(key)  # kept by the request this one waited for
            except redis.RedisError:
                cached = None
            if cached is not None:
                self._count(hits=1)
                return cached.decode()
            self._count(misses=1)
            listing = as_json_text(load())
            try:
                self._redis.set(key, listing, ex=self.ttl)
            except redis.RedisError as error:
                log.warning("could not keep a catalogue listing in the cache: %s", error)
            return listing

    def invalidate(self) -> None:
        """Forget every cached listing. Call after the change has committed, never before."""
        try:
            self._redis.incr(generation_key(self._prefix))
        except redis.RedisError as error:
            with self._lock:
                self._invalidations_owed += 1
            log.warning("could not invalidate the catalogue cache; will before using it again: %s", error)

    def figures(self) -> CacheFigures:
        with self._lock:
            return CacheFigures(self._hits, self._misses, self._unavailable)

    def _settle_owed_invalidation(self) -> None:
        with self._lock:
            owed = self._invalidations_owed
        if owed:
            self._redis.incr(generation_key(self._prefix))
            with self._lock:
                # Only those settled: one that failed meanwhile is still owed.
                self._invalidations_owed -= owed
            log.info("catalogue cache is back; listings cached before the outage are forgotten")

    def _count(self, *, hits: int = 0, misses: int = 0, unavailable: int = 0) -> None:
        with self._lock:
            self._hits += hits
            self._misses += misses
            self._unavailable += unavailable
