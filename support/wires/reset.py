"""Empties the world between scenarios: the shop's tables, the suite's Redis keys, the suite's queues,
the suite's storage bucket.

Cheap enough to be invisible (see `make bench`): one DELETE statement per table in a single round
trip over a kept-open connection, one server-side script for Redis, and the queues purged in one round
trip (see `_purge_queues`).
"""
from __future__ import annotations

import contextlib

import pika
import psycopg2
import redis
from psycopg2 import sql

from support.wires.storage_inspector import StorageInspector

# Deletes a prefix's keys inside Redis, in one round trip, without KEYS' full-server block.
_DELETE_BY_PREFIX = """
local cursor, deleted = "0", 0
repeat
  local found = redis.call("SCAN", cursor, "MATCH", ARGV[1], "COUNT", 1000)
  cursor = found[1]
  if #found[2] > 0 then deleted = deleted + redis.call("UNLINK", unpack(found[2])) end
until cursor == "0"
return deleted
"""

# Tables ordered so that rows are deleted before the rows they reference.
_TABLES_CHILDREN_FIRST = """
WITH RECURSIVE tables AS (
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'migrations'
), depth(oid, level) AS (
    SELECT oid, 0 FROM tables
    UNION ALL
    SELECT con.conrelid, d.level + 1 FROM pg_constraint con JOIN depth d ON con.confrelid = d.oid
    WHERE con.contype = 'f' AND con.conrelid <> con.confrelid AND d.level < 50
)
SELECT t.relname FROM tables t JOIN depth d USING (oid) GROUP BY t.relname ORDER BY max(d.level) DESC, t.relname
"""


class WorldReset:
    def __init__(self, database_url: str, redis_url: str, key_prefix: str, rabbitmq_url: str, queues: list[str],
                 storage: StorageInspector | None = None):
        """`queues` are purged in the order given: a queue whose messages move on by themselves to another
        (a retry queue's, when their delay is up) goes before that one (`QueueNames.in_purge_order`)."""
        self._storage = storage  # the suite's bucket, emptied after the tables (see reset)
        self._database_url, self._rabbitmq_url = database_url, rabbitmq_url
        self._db = self._connect_database()
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=5)
        self._delete_keys = self._redis.register_script(_DELETE_BY_PREFIX)
        self._key_pattern = key_prefix.replace("*", r"\*") + "*"
        self._broker = pika.BlockingConnection(pika.URLParameters(rabbitmq_url))
        self._channel = self._broker.channel()
        self._queues = list(queues)
        self._statement = self._delete_statement()

    def _connect_database(self):
        # Autocommit: the DELETE statements, sent as one string, run as one implicit transaction and commit
        # in the same round trip (a separate COMMIT was a second one).
        conn = psycopg2.connect(self._database_url, connect_timeout=5)
        conn.autocommit = True
        return conn

    def _delete_statement(self) -> sql.Composed | None:
        with self._db.cursor() as cur:
            cur.execute(_TABLES_CHILDREN_FIRST)
            tables = [row[0] for row in cur.fetchall()]
        if not tables:
            return None
        return sql.SQL(" ").join(sql.SQL("DELETE FROM {};").format(sql.Identifier(t)) for t in tables)

    def refresh_tables(self) -> None:
        """Call after migrations change the schema."""
        self._statement = self._delete_statement()

    def reset(self, *, queues_empty: bool = False) -> None:
        """`queues_empty`: the caller knows the queues hold nothing (the scenario before passed its drain
        check, which saw them empty), so they are not purged: a purge is the reset's slowest part."""
        # In this order, one after the other. The DELETE waits for every transaction still at work on the
        # tables (a request a failed scenario left hanging, which then writes its answer to the cache and
        # may store an event); only after it are the keys, the queues and the bucket emptied. Emptying Redis
        # beside the DELETE (tried, for 1-2 ms a reset) let such a request's cache entry outlive the reset.
        if self._statement is not None:
            with self._db.cursor() as cur:
                cur.execute(self._statement)
        self._delete_keys(args=[self._key_pattern])
        if not queues_empty:
            self._purge_queues()
        # After the tables: an upload in flight holds its document's row, so the DELETE above waited for
        # it, and what it stored is emptied here rather than surviving into the next scenario.
        if self._storage is not None:
            self._storage.empty()

    def _purge_queues(self) -> None:
        """Every queue purged in one round trip: all but the last without waiting for the broker's answer
        (AMQP's `nowait`), the last waited for. The broker handles a channel's methods in order, so once the
        last purge is answered, every purge before it is done; one that failed (a missing queue) closes the
        channel, and the last raises. One purge after another cost 0.5 ms each, 2.5 ms a reset.
        pika's BlockingChannel offers no `nowait` purge, so these go through its asynchronous channel
        (`_impl`), whose `queue_purge` without a callback is the nowait form."""
        *others, last = self._queues or [None]
        for queue in others:
            self._channel._impl.queue_purge(queue)
        if last is not None:
            self._channel.queue_purge(last)

    def reconnect(self) -> None:
        """After a server restarted under the suite: fresh connections to the database and the broker
        (the Redis client reconnects by itself). The old ones may be dead already: closing them can fail."""
        with contextlib.suppress(psycopg2.Error):
            self._db.close()
        with contextlib.suppress(pika.exceptions.AMQPError, OSError):
            self._broker.close()
        self._db = self._connect_database()
        self._broker = pika.BlockingConnection(pika.URLParameters(self._rabbitmq_url))
        self._channel = self._broker.channel()

    def close(self) -> None:
        self._db.close()
        self._redis.close()
        if self._broker.is_open:
            self._broker.close()
