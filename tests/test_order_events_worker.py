"""The worker's delivery rules against a real broker and database: retry tiers counted from x-death,
the parking lot, idempotency by message id. Domain handlers are proven by features/messaging.feature;
here a handler that fails on demand isolates the mechanics."""
import json
import uuid

import pytest

from shop.db import Database
from shop.messaging.worker import OrderEventsWorker
from support.polling import eventually


class FlakyHandler:
    """Fails its `complete` the first `failures` times for each message."""

    def __init__(self, failures: int):
        self.failures = failures
        self.applied: list[str] = []
        self.calls: dict[str, int] = {}

    def apply(self, event, cur):
        self.applied.append(event.message_id)

    def complete(self, event):
        self.calls[event.message_id] = self.calls.get(event.message_id, 0) + 1
        if self.calls[event.message_id] <= self.failures:
            raise RuntimeError(f"provider unavailable (call {self.calls[event.message_id]})")


@pytest.fixture
def world(migrated_database, private_topology, servers):
    topology, broker = private_topology
    db = Database(migrated_database, size=4)
    yield topology, db, broker, servers.rabbitmq_url
    db.close()


def start(world, handler, max_attempts=3):
    topology, db, broker, url = world
    worker = OrderEventsWorker(db, url, topology, {"order.paid": handler}, max_attempts=max_attempts)
    worker.start_in_background()
    eventually(lambda: _assert(broker.consumers(topology.order_events_queue) == 1, "no consumer"),
               timeout=5, description="the worker to consume")
    return worker


def publish(world, body, message_id=None, message_type="order.paid"):
    topology, _, broker, _ = world
    broker.publish(topology.events_exchange, message_type, body, message_id=message_id, message_type=message_type)


def event(message_id):
    return json.dumps({"id": message_id, "type": "order.paid", "data": {"orderId": 7}}).encode()


def processed(db, message_id):
    with db.transaction() as cur:
        cur.execute("SELECT attempt FROM processed_messages WHERE message_id = %s", (message_id,))
        row = cur.fetchone()
    return row and row["attempt"]


def test_a_message_failing_twice_succeeds_on_the_third_attempt(world):
    handler = FlakyHandler(failures=2)
    worker = start(world, handler)
    message_id = str(uuid.uuid4())
    publish(world, event(message_id), message_id)
    eventually(lambda: _assert(handler.calls.get(message_id) == 3, handler.calls), timeout=5, description="3 calls")
    worker.stop()
    # Applied once (the first attempt committed), completed on the third delivery, counted from x-death.
    assert handler.applied == [message_id]
    assert processed(world[1], message_id) == 1
    assert worker.counts["retried"] == 2 and worker.counts["duplicates"] == 2


def test_a_message_failing_every_time_is_parked_with_its_error_after_the_last_attempt(world):
    worker = start(world, FlakyHandler(failures=99), max_attempts=3)
    message_id = str(uuid.uuid4())
    publish(world, event(message_id), message_id)
    topology, _, broker, _ = world
    parked = eventually(lambda: _one(broker.take_all(topology.parking_lot_queue)), timeout=5, description="parking")
    worker.stop()
    assert parked.message_id == message_id
    assert parked.headers["x-attempts"] == 3
    assert "provider unavailable (call 3)" in str(parked.headers["x-last-error"])


@pytest.mark.parametrize(
    ("body", "message_type", "error"),
    [(b"{not json", "order.paid", "body is not JSON"), (event(str(uuid.uuid4())), "order.teleported", "unknown")],
)
def test_an_unprocessable_message_is_parked_at_once(world, body, message_type, error):
    handler = FlakyHandler(failures=0)
    worker = start(world, handler)
    publish(world, body, str(uuid.uuid4()), message_type)
    topology, _, broker, _ = world
    parked = eventually(lambda: _one(broker.take_all(topology.parking_lot_queue)), timeout=5, description="parking")
    worker.stop()
    assert parked.headers["x-attempts"] == 1 and error in str(parked.headers["x-last-error"])
    assert handler.calls == {} and worker.counts["retried"] == 0


def test_a_duplicate_has_its_effect_once(world):
    handler = FlakyHandler(failures=0)
    worker = start(world, handler)
    message_id = str(uuid.uuid4())
    publish(world, event(message_id), message_id)
    publish(world, event(message_id), message_id)
    eventually(lambda: _assert(handler.calls.get(message_id) == 2, handler.calls), timeout=5, description="2 calls")
    worker.stop()
    assert handler.applied == [message_id] and worker.counts["duplicates"] == 1


def _assert(condition, seen):
    assert condition, f"not yet: {seen}"


def _one(messages):
    assert len(messages) == 1, f"expected one parked message, found {len(messages)}"
    return messages[0]


