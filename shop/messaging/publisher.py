"""Publishes messages with publisher confirms: `publish` returns only once the broker has the message.

A message the broker refuses (nack) or cannot route raises, so a caller never reports as done a
publish the broker did not confirm. One publisher per thread: pika connections are not thread-safe.
"""
from __future__ import annotations

import contextlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

PERSISTENT = pika.DeliveryMode.Persistent


def message_properties(
    message_id: uuid.UUID | str, event_type: str, *, timestamp: datetime | None = None,
    headers: dict[str, Any] | None = None,
) -> pika.BasicProperties:
    moment = timestamp or datetime.now(UTC)
    return pika.BasicProperties(
        message_id=str(message_id),
        type=event_type,
        timestamp=int(moment.timestamp()),
        content_type="application/json",
        delivery_mode=PERSISTENT,
        headers=headers or {},
    )


def encode(event_type: str, message_id: uuid.UUID | str, payload: dict[str, Any], occurred_at: datetime) -> bytes:
    body = {"id": str(message_id), "type": event_type, "occurredAt": occurred_at.isoformat(), "data": payload}
    return json.dumps(body, default=str).encode()


class ConfirmingPublisher:
    def __init__(self, url: str):
        self._url = url
        self._connection: pika.BlockingConnection | None = None
        self._channel: BlockingChannel | None = None

    def _open_channel(self) -> BlockingChannel:
        if self._channel is None or not self._channel.is_open:
            self.close()
            params = pika.URLParameters(self._url)
            params.socket_timeout = 5
            params.blocked_connection_timeout = 10
            params.connection_attempts = 1
            self._connection = pika.BlockingConnection(params)
            self._channel = self._connection.channel()
            self._channel.confirm_delivery()
        return self._channel

    def publish(self, exchange: str, routing_key: str, body: bytes, properties: pika.BasicProperties) -> None:
        """Publish and wait for the broker's confirm; raises on nack, unroutable, or a lost connection."""
        try:
            self._open_channel().basic_publish(exchange, routing_key, body, properties, mandatory=True)
        except Exception:
            self.close()  # the channel's state is unknown now; the next publish starts afresh
            raise

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            # Closing a broken connection may fail too; there is nothing more to do about it.
            with contextlib.suppress(Exception):
                connection.close()


def new_message_id() -> str:
    return str(uuid.uuid4())
