"""The reset between scenarios, against the real servers: every queue, every table and the run's own Redis
keys emptied, and nothing of a neighbour's; a queue it cannot purge is an error, not skipped."""
import uuid

import pika
import psycopg2
import pytest
import redis

from shop.messaging.topology import Topology
from support.door import queue_names
from support.wires.broker import BrokerInspector
from support.wires.reset import WorldReset
from tests.conftest import remove_topology

# Retry delays no message of the test outlives: none moves from a retry queue to another while it runs.
LONG_DELAYS = "60000,120000"


@pytest.fixture
def world(servers, migrated_database):
    namespace = f"test-reset-{uuid.uuid4().hex[:8]}"
    topology = Topology(namespace, tuple(int(ms) for ms in LONG_DELAYS.split(",")))
    broker = BrokerInspector(servers.rabbitmq_url)
    broker.declare(topology)
    prefix = f"{namespace}:"
    keys = redis.Redis.from_url(servers.redis_url)
    queues = list(queue_names(namespace, LONG_DELAYS).in_purge_order)
    reset = WorldReset(migrated_database, servers.redis_url, prefix, servers.rabbitmq_url, queues)
    yield reset, queues, broker, prefix, keys
    reset.close()
    for key in keys.scan_iter(match=prefix.rstrip(":") + "*"):
        keys.delete(key)
    keys.close()
    remove_topology(broker, topology)
    broker.close()


def test_the_retry_queues_are_purged_before_the_queue_their_messages_move_on_to():
    names = queue_names("shop-acceptance", "50,100,200")
    order = list(names.in_purge_order)
    assert sorted(order) == sorted(names.all), "every queue is purged once"
    assert all(order.index(names.retry_queue(delay)) < order.index(names.order_events_queue)
               for delay in names.retry_delays_ms), order


def test_the_reset_empties_every_queue_the_tables_and_only_its_own_keys(world, migrated_database):
    reset, queues, broker, prefix, keys = world
    assert len(queues) >= 3, "the purges that are not waited for one by one need a few queues to show"
    for queue in queues:
        for n in range(3):
            broker.publish("", queue, b"{}", message_id=f"{queue}-{n}")
    with psycopg2.connect(migrated_database) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO users (email, name, password_hash) VALUES ('reset@example.com', 'R', 'x')")
    keys.set(prefix + "catalogue", "1")
    neighbour = prefix.rstrip(":") + ".w1:catalogue"  # another run's prefix, which starts like this one's
    keys.set(neighbour, "1")
    assert all(broker.depth(queue) == 3 for queue in queues)

    reset.reset()

    assert {queue: broker.depth(queue) for queue in queues} == dict.fromkeys(queues, 0)
    with psycopg2.connect(migrated_database) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM users")
        assert cur.fetchone()[0] == 0
    assert keys.get(prefix + "catalogue") is None
    assert keys.get(neighbour) == b"1", "the reset deleted a key outside its own prefix"


def test_a_queue_the_reset_cannot_purge_fails_the_reset(servers, migrated_database, private_topology):
    topology, broker = private_topology
    broker.declare(topology)
    missing = f"test-reset-missing-{uuid.uuid4().hex[:8]}"
    reset = WorldReset(migrated_database, servers.redis_url, f"test-reset-{uuid.uuid4().hex[:8]}:",
                       servers.rabbitmq_url, [missing, *topology.queues()])
    try:
        with pytest.raises(pika.exceptions.ChannelClosedByBroker, match=missing):
            reset.reset()
    finally:
        reset.close()


def test_queues_known_to_be_empty_are_not_purged_and_everything_else_is_emptied(world, migrated_database):
    """What `queues_empty` buys is the purge's round trip; the rows and keys are emptied all the same. (A
    message left here shows the purge was skipped: the caller's word is taken, so it must be true.)"""
    reset, queues, broker, prefix, keys = world
    broker.publish("", queues[-1], b"{}", message_id="left")
    with psycopg2.connect(migrated_database) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO users (email, name, password_hash) VALUES ('kept@example.com', 'K', 'x')")
    keys.set(prefix + "catalogue", "1")

    reset.reset(queues_empty=True)

    assert broker.depth(queues[-1]) == 1
    with psycopg2.connect(migrated_database) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM users")
        assert cur.fetchone()[0] == 0
    assert keys.get(prefix + "catalogue") is None
