"""Names and declares the shop's exchanges and queues, all under one namespace.

The namespace (setting SHOP_AMQP_NAMESPACE) prefixes every name, so several shops, or a test suite
and a developer's shop, share one broker without touching each other's messages.

    events exchange (topic) --order.*--> order-events queue <-- work exchange (direct)
                                             | worker fails: copy to a retry tier, ack
                                             v
                       order-events.retry-<ms>ms (TTL <ms>, dead-letters to the work exchange)
    after the last attempt, or at once for a message that cannot be parsed: order-events.parking-lot
"""
from __future__ import annotations

from dataclasses import dataclass

from pika.adapters.blocking_connection import BlockingChannel


@dataclass(frozen=True)
class Topology:
    namespace: str
    # Delay before each retry; the last tier repeats for any further attempts.
    retry_delays_ms: tuple[int, ...] = (1000, 5000, 30000)

    @property
    def events_exchange(self) -> str:
        """Durable topic exchange the shop publishes order events to (routing key: the event type)."""
        return f"{self.namespace}.events"

    @property
    def work_exchange(self) -> str:
        """Direct exchange through which retried messages come back to the work queue, and only there."""
        return f"{self.namespace}.work"

    @property
    def order_events_queue(self) -> str:
        """Where the worker takes order events from."""
        return f"{self.namespace}.order-events"

    @property
    def parking_lot_queue(self) -> str:
        """Messages that cannot be processed wait here, with their last error, for a person."""
        return f"{self.namespace}.order-events.parking-lot"

    def retry_queue(self, delay_ms: int) -> str:
        return f"{self.namespace}.order-events.retry-{delay_ms}ms"

    def retry_queue_for_attempt(self, attempt: int) -> str:
        """The retry tier after a failed `attempt` (1 = the first delivery)."""
        return self.retry_queue(self.retry_delays_ms[min(attempt, len(self.retry_delays_ms)) - 1])

    def queues(self) -> list[str]:
        retries = [self.retry_queue(d) for d in dict.fromkeys(self.retry_delays_ms)]
        return [self.order_events_queue, *retries, self.parking_lot_queue]

    def declare(self, channel: BlockingChannel) -> None:
        channel.exchange_declare(self.events_exchange, exchange_type="topic", durable=True)
        channel.exchange_declare(self.work_exchange, exchange_type="direct", durable=True)
        channel.queue_declare(self.order_events_queue, durable=True)
        channel.queue_bind(self.order_events_queue, self.events_exchange, routing_key="order.*")
        channel.queue_bind(self.order_events_queue, self.work_exchange, routing_key=self.order_events_queue)
        for delay in dict.fromkeys(self.retry_delays_ms):
            channel.queue_declare(
                self.retry_queue(delay),
                durable=True,
                arguments={
                    "x-message-ttl": delay,
                    "x-dead-letter-exchange": self.work_exchange,
                    "x-dead-letter-routing-key": self.order_events_queue,
                },
            )
        channel.queue_declare(self.parking_lot_queue, durable=True)
