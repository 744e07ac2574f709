"""Relays stored outbox events to the broker, in the order they were stored, with publisher confirms.

Runs as a thread beside the web server (and in `python -m shop worker`). It wakes when an outbox
insert commits (LISTEN/NOTIFY) and also every `idle_wait` seconds, so nothing waits long after a
broker outage ends; `stop` wakes it at once. An event is marked published only after the broker
confirmed it.
"""
from __future__ import annotations

import logging
import os
import select
import threading

import psycopg2

from shop.db import Database, DatabaseUnavailable
from shop.messaging.outbox import NOTIFY_CHANNEL
from shop.messaging.publisher import ConfirmingPublisher, encode, message_properties
from shop.messaging.topology import Topology

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self, db: Database, rabbitmq_url: str, topology: Topology, *, batch: int = 100, idle_wait: float = 1.0
    ):
        self._db = db
        self._publisher = ConfirmingPublisher(rabbitmq_url)
        self._topology = topology
        self._batch = batch
        self._idle_wait = idle_wait
        self._stopping = threading.Event()
        # Written to by `stop`, so the thread waiting for a notification wakes at once, not after idle_wait.
        self._wake_read, self._wake_write = os.pipe()
        self._thread: threading.Thread | None = None
        self.published = 0
        self._failing = False  # an outage is logged once when it starts and once when it ends

    def relay_pending(self) -> int:
        """Publish what is pending, oldest first; stop at the first failure so order is kept."""
        done = 0
        with self._db.transaction() as cur:
            cur.execute(
                "SELECT id, message_id, type, payload, created_at FROM outbox WHERE published_at IS NULL"
                " ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                (self._batch,),
            )
            for row in cur.fetchall():
                try:
                    self._publisher.publish(
                        self._topology.events_exchange,
                        row["type"],
                        encode(row["type"], row["message_id"], row["payload"], row["created_at"]),
                        message_properties(row["message_id"], row["type"], timestamp=row["created_at"]),
                    )
                except Exception as error:  # noqa: BLE001 - any failure means "not confirmed": keep it
                    log.log(logging.DEBUG if self._failing else logging.WARNING,
                            "outbox: could not publish %s %s, keeping it: %s", row["type"], row["message_id"], error)
                    self._failing = True
                    cur.execute(
                        "UPDATE outbox SET attempts = attempts + 1, last_error = %s WHERE id = %s",
                        (str(error) or type(error).__name__, row["id"]),
                    )
                    break
                cur.execute(
                    "UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = %s", (row["id"],)
                )
                done += 1
                if self._failing:
                    log.warning("outbox: publishing again")
                    self._failing = False
        self.published += done
        return done

    def start_in_background(self) -> OutboxRelay:
        self._thread = threading.Thread(target=self.run, name="outbox-relay", daemon=True)
        self._thread.start()
        return self

    def run(self) -> None:
        listener = None
        while not self._stopping.is_set():
            try:
                if listener is None:
                    listener = self._listen()
                if self.relay_pending() == self._batch:
                    continue  # more may be waiting
                if listener in select.select([listener, self._wake_read], [], [], self._idle_wait)[0]:
                    listener.poll()
                    listener.notifies.clear()
            except (psycopg2.Error, DatabaseUnavailable) as error:
                # A database restarting must not end the relay: it carries on once the database is back.
                log.warning("outbox relay: database unavailable, retrying: %s", error)
                if listener is not None:
                    listener.close()
                listener = None
                self._stopping.wait(self._idle_wait)
        if listener is not None:
            listener.close()
        self._publisher.close()

    def _listen(self):
        conn = psycopg2.connect(self._db.url, connect_timeout=5)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return conn

    def stop(self) -> None:
        self._stopping.set()
        if self._wake_write is not None:
            os.write(self._wake_write, b"x")
        if self._thread is not None:
            self._thread.join(timeout=self._idle_wait + 5)
        if self._thread is None or not self._thread.is_alive():
            for end in (self._wake_read, self._wake_write):
                if end is not None:
                    os.close(end)
            self._wake_read = self._wake_write = None
