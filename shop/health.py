"""Whether the shop can serve, told without leaking anything: each dependency is "ok" or "unavailable".

Readiness follows what requests need: without the database nothing works (unready, 503); without
the cache the catalogue is served from the database (degraded, still 200); without the broker
orders still commit and their events wait in the outbox (degraded, reported). The reason a check
failed goes to the shop's log, never to the caller: a driver's message names hosts and ports.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import pika
import redis

from shop.db import Database

log = logging.getLogger(__name__)

OK, UNAVAILABLE = "ok", "unavailable"


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, str]

    @property
    def status(self) -> str:
        if self.checks["database"] != OK:
            return "unready"
        return "ready" if all(state == OK for state in self.checks.values()) else "degraded"

    @property
    def ready(self) -> bool:
        return self.status != "unready"

    def as_json(self) -> dict:
        return {"status": self.status, "checks": self.checks}


def readiness(db: Database, cache: redis.Redis, rabbitmq_url: str) -> Readiness:
    return Readiness({
        "database": _check("database", lambda: _select_one(db)),
        "cache": _check("cache", cache.ping),
        "broker": _check("broker", lambda: _connect_to_broker(rabbitmq_url)),
    })


def _check(name: str, probe) -> str:
    try:
        probe()
    except Exception as error:  # noqa: BLE001 - any failure means "not available"; the reason is logged
        log.warning("health: %s unavailable: %s", name, error)
        return UNAVAILABLE
    return OK


def _select_one(db: Database) -> None:
    with db.transaction() as cur:
        cur.execute("SELECT 1")


def _connect_to_broker(url: str) -> None:
    parameters = pika.URLParameters(url)
    parameters.connection_attempts, parameters.retry_delay = 1, 0
    parameters.socket_timeout = parameters.blocked_connection_timeout = 1
    parameters.stack_timeout = 2
    pika.BlockingConnection(parameters).close()
