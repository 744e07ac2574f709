"""The reset between scenarios, against the real servers: every queue, every table and the run's own Redis
keys emptied, and nothing of a neighbour's; a queue it cannot purge is an error, not skipped."""
import uuid

import pika
import psycopg2
import pytest
import redis

from support.wires.reset import WorldReset


@pytest.fixture
def world(servers, migrated_database, private_topology):
    topology, broker = private_topology
    broker.declare(topology)
    prefix = f"test-reset-{uuid.uuid4().hex[:8]}:"
    keys = redis.Redis.from_url(servers.redis_url)
    reset = WorldReset(migrated_database, servers.redis_url, prefix, servers.rabbitmq_url, topology.queues())
    yield reset, topology, broker, prefix, keys
    reset.close()
    for key in keys.scan_iter(match=prefix.rstrip(":") + "*"):
        keys.delete(key)
    keys.close()


def test_the_reset_empties_every_queue_the_tables_and_only_its_own_keys(world, migrated_database):
    reset, topology, broker, prefix, keys = world
    queues = topology.queues()
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
