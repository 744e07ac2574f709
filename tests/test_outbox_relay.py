"""The relay marks an event published only once the broker confirmed it, keeps order, and catches up
after an outage: against a real broker and database, the broker reached through a cuttable link."""
import threading
import uuid

import pytest

from shop.db import Database
from shop.messaging.outbox import add_event
from shop.messaging.relay import OutboxRelay
from support.polling import eventually
from support.wires.relay import TcpRelay


@pytest.fixture
def world(migrated_database, private_topology, servers):
    topology, broker = private_topology
    link = TcpRelay.for_url(servers.rabbitmq_url, 5672)
    db = Database(migrated_database, size=2)
    with db.transaction() as cur:
        cur.execute("DELETE FROM outbox")  # each test starts with nothing stored
    yield topology, db, broker, OutboxRelay(db, link.url_instead_of(servers.rabbitmq_url), topology), link
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
    broker.declare(topology)


def test_a_publish_the_broker_cannot_route_is_not_reported_as_done(world):
    topology, db, broker, relay, _ = world
    broker.declare_exchange(topology.events_exchange)
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
    (message,) = broker.take_all(topology.order_events_queue)
    assert message.persistent and message.timestamp
    assert (message.message_id, message.type) == (message_id, "order.placed")
    assert message.json["occurredAt"] and message.json["data"]["n"] == 0


def test_stopping_wakes_the_relay_at_once_rather_than_after_its_idle_wait(world, servers):
    """A shop asked to stop (Ctrl-C, SIGTERM, `docker stop`) does not wait out the relay's idle wait: the
    relay thread, waiting for a notification, is woken by `stop` and ends."""
    topology, db, broker, _, _ = world
    declare(broker, topology)
    relay = OutboxRelay(db, servers.rabbitmq_url, topology, idle_wait=3600).start_in_background()
    try:
        ids = store(db, 1)  # published by the notification: the relay is waiting for the next one from then on
        eventually(lambda: _published(db, ids), timeout=10, description="the relay to publish the stored event")
    finally:
        stopper = threading.Thread(target=relay.stop, daemon=True)
        stopper.start()
    eventually(lambda: _ended(stopper), timeout=10,
               description="the relay to stop (it waits out its hour-long idle wait if stop does not wake it)")


def _published(db, ids) -> None:
    assert not {row["id"] for row in unpublished(db)} & set(ids), "the stored event is not published yet"


def _ended(thread: threading.Thread) -> None:
    assert not thread.is_alive(), "the relay's stop has not returned"
