"""The order-events worker: manual acknowledgement, a prefetch limit, retry tiers and a parking lot.

For each delivery:
- a body that is not an event, or an unknown type, goes to the parking lot at once;
- otherwise, in one transaction, the message id is recorded in `processed_messages` and the handler's
  `apply` runs; a message id already recorded is a duplicate and `apply` is skipped. Then the
  handler's `complete` (idempotent work outside the database, e.g. an email) runs;
- when that raises, a copy goes to the retry tier for this attempt (it comes back after the tier's
  TTL through the work exchange) and, after `max_attempts`, to the parking lot with the last error;
- the delivery is acknowledged only after its outcome is safe: committed, or confirmed in a retry or
  parking-lot queue. A worker that stops or crashes before that loses nothing: the broker redelivers.
"""
from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import pika
import psycopg2

from shop.db import Database, DatabaseUnavailable
from shop.messaging.topology import Topology

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    message_id: str
    type: str
    data: dict[str, Any]
    attempt: int


class Handler(Protocol):
    def apply(self, event: Event, cur) -> None:
        """Database effects, in the processing transaction; runs once per message id."""

    def complete(self, event: Event) -> None:
        """Effects outside the database, after commit; runs on every attempt until it succeeds."""


class Unprocessable(ValueError):
    """The message can never be processed: parked at once, not retried."""


def attempt_of(headers: dict[str, Any] | None, topology: Topology) -> int:
    """This delivery's attempt number: 1 plus the expiries from retry queues that `x-death` records."""
    retries = 0
    for death in (headers or {}).get("x-death") or []:
        queue = death.get("queue", "")
        if death.get("reason") == "expired" and queue.startswith(topology.order_events_queue + ".retry-"):
            retries += int(death.get("count", 1))
    return retries + 1


def parse(body: bytes, properties: pika.BasicProperties, attempt: int) -> Event:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Unprocessable("body is not JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise Unprocessable("body is not an event (an object with a 'data' object)")
    message_id = properties.message_id or document.get("id")
    event_type = properties.type or document.get("type")
    try:
        uuid.UUID(str(message_id))
    except ValueError:
        raise Unprocessable(f"message id {message_id!r} is not a UUID") from None
    if not event_type:
        raise Unprocessable("message has no type")
    return Event(str(message_id), event_type, document["data"], attempt)


class OrderEventsWorker:
    def __init__(
        self, db: Database, rabbitmq_url: str, topology: Topology, handlers: dict[str, Handler], *,
        prefetch: int = 10, max_attempts: int = 5, reconnect_wait: float = 1.0,
    ):
        self._db = db
        self._url = rabbitmq_url
        self.topology = topology
        self._handlers = handlers
        self._prefetch = prefetch
        self.max_attempts = max_attempts
        self._reconnect_wait = reconnect_wait
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.counts: Counter[str] = Counter()
        # Set while the worker has a consumer on the queue; `busy` while a delivery is being handled.
        self.consuming = threading.Event()
        self.consuming_since_outage = True
        self.busy = False

    # -- running -------------------------------------------------------------------------------
    def start_in_background(self) -> OrderEventsWorker:
        self._stopping.clear()
        self._thread = threading.Thread(target=self.run, name="order-events-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        """Stop taking messages; unacknowledged ones go back to the queue when the connection closes."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._consume()
            except (pika.exceptions.AMQPError, OSError, psycopg2.OperationalError, DatabaseUnavailable) as error:
                self.counts["reconnects"] += 1
                # Logged once per outage; the retries while the broker stays away are only debug noise.
                log.log(logging.WARNING if self.consuming_since_outage else logging.DEBUG,
                        "order-events worker: connection lost, reconnecting: %s", error)
                self.consuming_since_outage = False
                self._stopping.wait(self._reconnect_wait)

    def _consume(self) -> None:
        params = pika.URLParameters(self._url)
        params.heartbeat = 30
        params.socket_timeout = 5
        params.connection_attempts = 1
        connection = pika.BlockingConnection(params)
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            self.topology.declare(channel)
            channel.basic_qos(prefetch_count=self._prefetch)
            channel.basic_consume(self.topology.order_events_queue, self._on_message)
            self.consuming.set()
            self.consuming_since_outage = True
            while not self._stopping.is_set():
                connection.process_data_events(time_limit=0.1)
        finally:
            self.consuming.clear()
            if connection.is_open:
                connection.close()

    # -- one delivery --------------------------------------------------------------------------
    def _on_message(self, channel, method, properties: pika.BasicProperties, body: bytes) -> None:
        if self._stopping.is_set():
            # A stopping worker starts nothing new: what it was sent but has not begun goes back now.
            channel.basic_reject(method.delivery_tag, requeue=True)
            return
        self.busy = True
        try:
            self._handle_delivery(channel, method, properties, body)
        finally:
            self.busy = False

    def _handle_delivery(self, channel, method, properties: pika.BasicProperties, body: bytes) -> None:
        attempt = attempt_of(properties.headers, self.topology)
        try:
            event = parse(body, properties, attempt)
            handler = self._handlers.get(event.type)
            if handler is None:
                raise Unprocessable(f"unknown message type {event.type!r}")
        except Unprocessable as error:
            self._park(channel, method, properties, body, str(error), attempt)
            return
        try:
            self._process(event, handler)
        except DatabaseUnavailable:
            # Not this message's failure: no attempt is spent. The connection is dropped (run() reconnects
            # after a pause), so the broker hands the message out again once the database is back.
            raise
        except Exception as error:  # noqa: BLE001 - any failure is retried, then parked
            log.warning("order-events worker: %s %s failed on attempt %d: %s",
                        event.type, event.message_id, attempt, error)
            if attempt >= self.max_attempts:
                self._park(channel, method, properties, body, f"{type(error).__name__}: {error}", attempt)
            else:
                self._retry(channel, method, properties, body, f"{type(error).__name__}: {error}", attempt)
            return
        channel.basic_ack(method.delivery_tag)

    def _process(self, event: Event, handler: Handler) -> None:
        with self._db.transaction() as cur:
            cur.execute(
                "INSERT INTO processed_messages (message_id, type, attempt) VALUES (%s, %s, %s)"
                " ON CONFLICT (message_id) DO NOTHING RETURNING message_id",
                (event.message_id, event.type, event.attempt),
            )
            first_time = cur.fetchone() is not None
            if first_time:
                handler.apply(event, cur)
        self.counts["processed" if first_time else "duplicates"] += 1
        handler.complete(event)
        with self._db.transaction() as cur:
            cur.execute(
                "UPDATE processed_messages SET completed_attempt = %s, completed_at = now()"
                " WHERE message_id = %s AND completed_at IS NULL",
                (event.attempt, event.message_id),
            )

    def _retry(self, channel, method, properties, body, error: str, attempt: int) -> None:
        headers = {**(properties.headers or {}), "x-last-error": error[:1000]}
        channel.basic_publish(
            "", self.topology.retry_queue_for_attempt(attempt), body, _with_headers(properties, headers), mandatory=True
        )
        channel.basic_ack(method.delivery_tag)
        self.counts["retried"] += 1

    def _park(self, channel, method, properties, body, error: str, attempt: int) -> None:
        headers = {
            **(properties.headers or {}),
            "x-last-error": error[:1000],
            "x-attempts": attempt,
            "x-parked-at": datetime.now(UTC).isoformat(),
            "x-original-routing-key": method.routing_key,
        }
        channel.basic_publish(
            "", self.topology.parking_lot_queue, body, _with_headers(properties, headers), mandatory=True
        )
        channel.basic_ack(method.delivery_tag)
        self.counts["parked"] += 1
        log.error("order-events worker: parked a message after attempt %d: %s", attempt, error)


def _with_headers(properties: pika.BasicProperties, headers: dict[str, Any]) -> pika.BasicProperties:
    return pika.BasicProperties(
        message_id=properties.message_id, type=properties.type, timestamp=properties.timestamp,
        content_type=properties.content_type, delivery_mode=pika.DeliveryMode.Persistent, headers=headers,
    )
