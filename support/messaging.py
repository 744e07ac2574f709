"""The suite's hand on the shop's order events: the worker it runs, the shop's link to the broker,
the queues, and messages a scenario crafts itself (a duplicate, a malformed body).

Everything here is verified on the broker or in the database, never through the worker's own memory.
"""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from shop.messaging.topology import Topology
from shop.messaging.worker import OrderEventsWorker
from support.broker import BrokerInspector, Message
from support.database import DatabaseInspector
from support.polling import eventually
from support.relay import TcpRelay


class OrderEvents:
    def __init__(
        self, worker: OrderEventsWorker, broker: BrokerInspector, topology: Topology, link: TcpRelay,
        db: DatabaseInspector,
    ):
        self.worker = worker
        self.broker = broker
        self.topology = topology
        self.link = link
        self._db = db
        self.published: list[str] = []

    # -- the worker and the link -----------------------------------------------------------------
    def stop_worker(self) -> None:
        self.worker.stop()

    def start_worker(self) -> None:
        if not self.worker.running:
            self.worker.start_in_background()
        eventually(self._consuming, timeout=10, description="the order-events worker to consume")

    def _consuming(self) -> None:
        assert self.worker.consuming.is_set(), "the worker has no consumer on the queue yet"

    # -- messages the suite sends itself ----------------------------------------------------------
    def publish(self, event_type: str, data: dict[str, Any], message_id: str | None = None) -> str:
        """An event as the shop itself would publish it (same envelope, same exchange)."""
        message_id = message_id or str(uuid.uuid4())
        body = {"id": message_id, "type": event_type, "occurredAt": datetime.now(UTC).isoformat(), "data": data}
        self.publish_raw(json.dumps(body).encode(), event_type, message_id)
        return message_id

    def publish_raw(self, body: bytes, event_type: str, message_id: str | None = None) -> None:
        self.broker.publish(self.topology.events_exchange, event_type, body, message_id=message_id,
                            message_type=event_type)
        self.published.append(f"{event_type} {message_id} {body[:300]!r}")

    # -- what landed ----------------------------------------------------------------------------
    def take_parked(self) -> list[Message]:
        return self.broker.take_all(self.topology.parking_lot_queue)

    def depths(self) -> dict[str, int]:
        return self.broker.depths(self.topology.queues())

    def expect_drained(self, timeout: float = 10) -> None:
        """Wait until every stored event is published and every queue is empty with the worker idle;
        fail naming what was left (queue depths, unpublished events, parked messages)."""
        eventually(self._drained, timeout=timeout, description="the order-event queues to drain")

    def _drained(self) -> None:
        unpublished = self._db.one("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL")["n"]
        left = {queue: depth for queue, depth in self.depths().items() if depth}
        assert not unpublished and not left and not self.worker.busy, (
            f"left behind: {unpublished} unpublished event(s), queue depths {left or 'all empty'}, "
            f"worker {'busy' if self.worker.busy else 'idle'}"
        )

    def report(self) -> str:
        """The scenario's messages for its Allure result: published, processed, parked."""
        stored = self._db.rows(
            "SELECT type, message_id, published_at, attempts, last_error FROM outbox ORDER BY id")
        processed = self._db.rows(
            "SELECT type, message_id, attempt, completed_attempt FROM processed_messages ORDER BY processed_at")
        return "\n".join([
            *_section("Published by the shop (outbox)", [
                f"{r['type']} {r['message_id']} published={r['published_at'] is not None}"
                f" attempts={r['attempts']} {r['last_error'] or ''}" for r in stored]),
            *_section("Published by the scenario", self.published),
            *_section("Processed by the worker", [
                f"{r['type']} {r['message_id']} applied on attempt {r['attempt']},"
                f" completed on attempt {r['completed_attempt']}" for r in processed]),
            *_section("Taken from the queues by the scenario (parked)", [m.describe() for m in self.broker.taken]),
        ])

    def forget_scenario(self) -> None:
        self.published.clear()
        self.broker.taken.clear()


def _section(title: str, items: list[str]) -> list[str]:
    return [f"{title}:", *(f"  {item}" for item in items)] if items else [f"{title}: none"]
