"""Names and declares the shop's exchanges and queues, all under one namespace.

The namespace (setting SHOP_AMQP_NAMESPACE) prefixes every name, so several shops, or a test suite
and a developer's shop, share one broker without touching each other's messages.
"""
from __future__ import annotations

from dataclasses import dataclass

from pika.adapters.blocking_connection import BlockingChannel


@dataclass(frozen=True)
class Topology:
    namespace: str

    @property
    def events_exchange(self) -> str:
        """Durable topic exchange the shop publishes order events to (routing key: event type)."""
        return f"{self.namespace}.events"

    @property
    def order_events_queue(self) -> str:
        """Where the worker takes order events from."""
        return f"{self.namespace}.order-events"

    @property
    def parking_lot_queue(self) -> str:
        """Messages that cannot be processed wait here, with their last error, for a person."""
        return f"{self.namespace}.order-events.parking-lot"

    def queues(self) -> list[str]:
        return [self.order_events_queue, self.parking_lot_queue]

    def declare(self, channel: BlockingChannel) -> None:
        channel.exchange_declare(self.events_exchange, exchange_type="topic", durable=True)
        channel.queue_declare(self.order_events_queue, durable=True)
        channel.queue_bind(self.order_events_queue, self.events_exchange, routing_key="order.*")
        channel.queue_declare(self.parking_lot_queue, durable=True)
