"""The suite's own connections: the shop's HTTP API, the database, the broker, the cache, the relays, the reset."""
