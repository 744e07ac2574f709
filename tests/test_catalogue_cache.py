"""The catalogue cache's rules, against a stand-in for Redis that can be made to fail on demand."""
import json

import redis

from shop.catalogue_cache import CatalogueCache, generation_key


class FlakyRedis:
    """Just enough of Redis for the cache: GET, SET with EX, INCR; `down` makes every call fail."""

    def __init__(self):
        self.values: dict[str, bytes] = {}
        self.down = False

    def _check(self):
        if self.down:
            raise redis.ConnectionError("Connection refused")

    def get(self, key):
        self._check()
        return self.values.get(key)

    def set(self, key, value, ex=None):
        self._check()
        self.values[key] = value.encode() if isinstance(value, str) else value

    def incr(self, key):
        self._check()
        self.values[key] = str(int(self.values.get(key, 0)) + 1).encode()
        return int(self.values[key])


def fetched(cache, query, load) -> dict:
    """What the cache gave, read back (it gives the JSON text the API sends)."""
    return json.loads(cache.fetch(query, load))


def listing(price: str) -> dict:
    return {"data": [{"name": "Kettle", "price": price}]}


def test_a_listing_is_loaded_once_then_served_from_the_cache():
    cache, loads = CatalogueCache(FlakyRedis(), "t:", 60), []
    for _ in range(3):
        assert fetched(cache, {"page": 1}, lambda: loads.append(1) or listing("25.00")) == listing("25.00")
    assert len(loads) == 1
    assert (cache.figures().hits, cache.figures().misses) == (2, 1)


def test_a_change_makes_every_cached_listing_obsolete():
    cache = CatalogueCache(FlakyRedis(), "t:", 60)
    cache.fetch({"page": 1}, lambda: listing("25.00"))
    cache.invalidate()
    assert fetched(cache, {"page": 1}, lambda: listing("27.50")) == listing("27.50")


def test_a_listing_loaded_before_a_change_is_never_served_after_it():
    client = FlakyRedis()
    cache = CatalogueCache(client, "t:", 60)

    def load_then_change_lands():
        stale = listing("25.00")  # read from the database just before the change commits...
        cache.invalidate()  # ...and the change is announced before this reader stores what it read
        return stale

    cache.fetch({"page": 1}, load_then_change_lands)
    assert fetched(cache, {"page": 1}, lambda: listing("27.50")) == listing("27.50")


def test_without_redis_the_database_answers_and_a_change_made_meanwhile_is_not_lost():
    client = FlakyRedis()
    cache = CatalogueCache(client, "t:", 60)
    cache.fetch({"page": 1}, lambda: listing("25.00"))
    client.down = True
    cache.invalidate()  # cannot reach Redis: owed
    assert fetched(cache, {"page": 1}, lambda: listing("27.50")) == listing("27.50")
    client.down = False
    assert fetched(cache, {"page": 1}, lambda: listing("27.50")) == listing("27.50")
    assert client.values[generation_key("t:")] == b"1", "the change owed during the outage was announced"
    assert cache.figures().unavailable == 1
