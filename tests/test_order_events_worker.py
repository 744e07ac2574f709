"""The worker's delivery rules against a real broker and database: retry tiers counted from x-death,
the parking lot, idempotency by message id. Domain handlers are proven by features/messaging.feature;
here a handler that fails on demand isolates the mechanics."""
import json
import uuid

import psycopg2
import pytest

from shop.db import Database
from shop.messaging.topology import Topology
from shop.messaging.worker import OrderEventsWorker
from support.broker import BrokerInspector
from support.database import create_scratch_database, drop_database
from support.polling import eventually
from support.settings import SuiteSettings
from support.shop_runner import migrate
from support.stack import StackUnavailable, provision


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


@pytest.fixture(scope="module")
def services():
    settings = SuiteSettings.from_sources({"stack": "external"})
    try:
        stack = provision("external", settings.provisioning_env())
    except StackUnavailable as error:
        pytest.skip(str(error))
    url = create_scratch_database(stack.services.database_url)
    migrate(url)
    yield stack.services, url
    drop_database(url)


@pytest.fixture
def world(services):
    broker_services, db_url = services
    topology = Topology(f"worker-test-{uuid.uuid4().hex[:8]}", retry_delays_ms=(20, 40))
    db = Database(db_url, size=4)
    broker = BrokerInspector(broker_services.rabbitmq_url)
    yield topology, db, broker, broker_services.rabbitmq_url
    for queue in topology.queues():
        broker._channel.queue_delete(queue)
    for exchange in (topology.events_exchange, topology.work_exchange):
        broker._channel.exchange_delete(exchange)
    broker.close()
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


def test_database_reachable():
    # Guards the fixtures above from silently testing nothing.
    settings = SuiteSettings.from_sources({})
    psycopg2.connect(settings.database_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
