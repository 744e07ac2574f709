"""The suite's own view of RabbitMQ: queue depths, taking messages out to inspect them, raw publishing.

Used to verify what the shop published, parked or left behind, and to deliver messages a scenario
crafts itself (a duplicate, a malformed body).
"""
from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

import pika

from support.words import in_words


@dataclass
class Message:
    queue: str
    body: bytes
    message_id: str | None
    type: str | None
    headers: dict[str, Any] = field(default_factory=dict)
    persistent: bool = False
    timestamp: int | None = None

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def describe(self) -> str:
        extras = ", ".join(f"{k} {in_words(v)}" for k, v in self.headers.items()
                           if k.startswith("x-") and k != "x-death")
        body = self.body[:200].decode(errors="replace")
        return f"{self.type or '?'} {self.message_id or '?'} {body} {extras}".rstrip()


class BrokerInspector:
    def __init__(self, rabbitmq_url: str):
        self._url = rabbitmq_url
        self._connection = pika.BlockingConnection(pika.URLParameters(rabbitmq_url))
        self._channel = self._connection.channel()
        self._channel.confirm_delivery()
        self.taken: list[Message] = []

    def reconnect(self) -> None:
        """After the broker restarted under the suite (features/server_restarts.feature)."""
        with contextlib.suppress(pika.exceptions.AMQPError, OSError):  # the old connection may be dead
            self.close()
        self._connection = pika.BlockingConnection(pika.URLParameters(self._url))
        self._channel = self._connection.channel()
        self._channel.confirm_delivery()

    def _declared(self, queue: str):
        try:
            return self._channel.queue_declare(queue, passive=True).method
        except pika.exceptions.ChannelClosedByBroker as error:
            # The broker closes the channel on a missing queue; open another for the next question.
            self._channel = self._connection.channel()
            self._channel.confirm_delivery()
            raise AssertionError(f"queue {queue} does not exist ({error.reply_text})") from None

    def depth(self, queue: str) -> int:
        return self._declared(queue).message_count

    def consumers(self, queue: str) -> int:
        return self._declared(queue).consumer_count

    def depths(self, queues: list[str]) -> dict[str, int]:
        return {queue: self.depth(queue) for queue in queues}

    def take_all(self, queue: str) -> list[Message]:
        """Remove every message now in the queue and return them (also kept in `taken` for the report)."""
        found = []
        while True:
            method, properties, body = self._channel.basic_get(queue, auto_ack=True)
            if method is None:
                break
            found.append(Message(
                queue, body, properties.message_id, properties.type, dict(properties.headers or {}),
                persistent=properties.delivery_mode == pika.DeliveryMode.Persistent.value,
                timestamp=properties.timestamp,
            ))
        self.taken.extend(found)
        return found

    def publish(
        self, exchange: str, routing_key: str, body: bytes, *, message_id: str | None = None,
        message_type: str | None = None, headers: dict | None = None,
    ) -> None:
        properties = pika.BasicProperties(
            message_id=message_id, type=message_type, content_type="application/json",
            delivery_mode=pika.DeliveryMode.Persistent, headers=headers or {},
        )
        self._channel.basic_publish(exchange, routing_key, body, properties, mandatory=True)

    def delete_queue(self, queue: str) -> None:
        self._channel.queue_delete(queue)

    def delete_exchange(self, exchange: str) -> None:
        self._channel.exchange_delete(exchange)

    def declare_exchange(self, exchange: str) -> None:
        self._channel.exchange_declare(exchange, exchange_type="topic", durable=True)

    def declare(self, topology) -> None:
        """Declare a topology (the shop's `Topology`) as the shop would."""
        topology.declare(self._channel)

    def close(self) -> None:
        if self._connection.is_open:
            self._connection.close()
