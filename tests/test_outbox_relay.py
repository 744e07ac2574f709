"""The relay marks an event published only once the broker confirmed it, keeps order, and catches up
after an outage: against a real broker and database, the broker reached through a cuttable link."""
import uuid

import pika
import pytest

from shop.db import Database
from shop.messaging.outbox import add_event
from shop.messaging.relay import OutboxRelay
from shop.messaging.topology import Topology
from support.broker import BrokerInspector
from support.database import create_scratch_database, drop_database
from support.relay import TcpRelay
from support.settings import SuiteSettings
from support.shop_runner import migrate
from support.stack import StackUnavailable, provision


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
    topology = Topology(f"relay-test-{uuid.uuid4().hex[:8]}", retry_delays_ms=(50,))
    link = TcpRelay.for_url(broker_services.rabbitmq_url, 5672)
    db = Database(db_url, size=2)
    with db.transaction() as cur:
        cur.execute("DELETE FROM outbox")  # each test starts with nothing stored
    broker = BrokerInspector(broker_services.rabbitmq_url)
    relay = OutboxRelay(db, link.url_instead_of(broker_services.rabbitmq_url), topology)
    yield topology, db, broker, relay, link
    for queue in topology.queues():
        broker._channel.queue_delete(queue)
    for exchange in (topology.events_exchange, topology.work_exchange):
        broker._channel.exchange_delete(exchange)
    broker.close()
    link.close()
    db.close()


def store(db, count):
    with db.transaction() as cur:
        return [str(add_event(cur, "order.placed", {"orderId": str(uuid.uuid4()), "n": n})) for n in range(count)]


def unpublished(db):
    with db.transaction() as cur:
        cur.execute("SELECT message_id::text AS id, attempts, last_error FROM outbox WHERE published_at IS NULL")
        return cur.fetchall()


def declare(broker, topology):
    topology.declare(broker._channel)


def test_a_publish_the_broker_cannot_route_is_not_reported_as_done(world):
    topology, db, broker, relay, _ = world
    broker._channel.exchange_declare(topology.events_exchange, exchange_type="topic", durable=True)
    ids = store(db, 1)  # the exchange exists, but no queue is bound: mandatory publish comes back
    assert relay.relay_pending() == 0
    left = unpublished(db)
    assert [row["id"] for row in left] == ids and left[0]["attempts"] == 1 and left[0]["last_error"]


def test_events_are_published_in_the_order_stored_and_marked_published(world):
    topology, db, broker, relay, _ = world
    declare(broker, topology)
    ids = store(db, 5)
    assert relay.relay_pending() == 5 and unpublished(db) == []
    assert [m.message_id for m in broker.take_all(topology.order_events_queue)] == ids


def test_events_stored_while_the_broker_is_unreachable_go_out_when_it_is_back(world):
    topology, db, broker, relay, link = world
    declare(broker, topology)
    link.cut()
    ids = store(db, 3)
    assert relay.relay_pending() == 0 and len(unpublished(db)) == 3
    link.restore()
    assert relay.relay_pending() == 3
    assert [m.message_id for m in broker.take_all(topology.order_events_queue)] == ids


def test_published_messages_are_persistent_and_carry_id_type_and_timestamp(world):
    topology, db, broker, relay, _ = world
    declare(broker, topology)
    (message_id,) = store(db, 1)
    relay.relay_pending()
    method, properties, body = broker._channel.basic_get(topology.order_events_queue, auto_ack=True)
    assert properties.delivery_mode == pika.DeliveryMode.Persistent.value
    assert (properties.message_id, properties.type) == (message_id, "order.placed")
    assert properties.timestamp and b'"occurredAt"' in body
