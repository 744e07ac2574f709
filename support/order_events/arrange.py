"""The suite's hand on the shop's order events: the worker it runs, the shop's link to the broker,
the queues, and messages a scenario crafts itself (a duplicate, a malformed body).

Everything here is verified on the broker or in the database, never through the worker's own memory.
"""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from support.door import QueueNames, WorkerState, mark_orders_paid
from support.polling import eventually
from support.wires.broker import BrokerInspector, Message
from support.wires.database import DatabaseInspector
from support.wires.relay import TcpRelay
from support.words import in_words

# See OrderEvents.drain_deadline.
DRAIN_BASE_SECONDS = 3.0
DRAIN_SECONDS_PER_EVENT = 0.2


class OrderEvents:
    def __init__(
        self, shop, broker: BrokerInspector, topology: QueueNames, link: TcpRelay, db: DatabaseInspector,
    ):
        # The shop under test (support/door.py, support/servers/shop_processes.py): its worker is started,
        # stopped and asked whether it is busy through it, whichever way the shop runs.
        self.shop = shop
        self.broker = broker
        self.topology = topology
        self.link = link
        self._db = db
        self.published: list[str] = []
        # Ids of the probes sent through the work queue to learn that everything before them was handled.
        self.probes: list[str] = []
        # The message ids the scenario announced each order's payment with, by order id.
        self.announced: dict[str, list[str]] = {}
        # Whether the scenario's strict settle after its last step passed (then its teardown need not settle).
        self.settled = False
        # Whether the queues are known to be empty: a scenario that passed ended with a strict settle, which
        # saw them empty (or proved nothing could be on them), and nothing has run since. The next reset then
        # need not purge them (see `queues_known_empty`).
        self._left_empty = False

    # -- the worker and the link -----------------------------------------------------------------
    def stop_worker(self) -> None:
        self.shop.stop_worker()

    def kill_worker(self) -> None:
        """The worker dies abruptly (a SIGKILL when the shop runs as processes)."""
        self.shop.kill_worker()

    def start_worker(self) -> None:
        self.shop.start_worker()
        eventually(self._consuming, timeout=10, interval=0.01, description="the order-events worker to consume")

    def stop_worker_once(self, condition, description: str) -> None:
        """Stop the worker as soon as `condition()` passes (mid-stream, with work still queued)."""
        eventually(condition, timeout=20, interval=0.01, description=description)
        self.shop.stop_worker()

    def _worker_state(self):
        state = self.shop.worker_state()
        if state is None:  # a shop run by somebody else: the broker says whether something consumes
            return WorkerState(consuming=self.broker.consumers(self.topology.order_events_queue) > 0, busy=False)
        return state

    def kill_worker_once(self, condition, description: str) -> None:
        """As soon as `condition()` passes, the worker dies abruptly: no goodbye to the broker, no ack for
        the delivery in its hands. Its link to the broker is cut at once, then the shop kills it: SIGKILL when
        the shop runs as processes; in this process, where a thread cannot be killed, the cut is what the
        broker sees of a killed worker, and the thread is stopped. `revive_worker` brings it back."""
        eventually(condition, timeout=20, interval=0.01, description=description)
        self.link.cut()
        self.shop.kill_worker()

    def revive_worker(self) -> None:
        self.link.restore()
        self.start_worker()

    def cut_link_once(self, condition, description: str) -> None:
        """As soon as `condition()` passes, the shop's connection to the broker drops (the worker stays up)."""
        eventually(condition, timeout=20, interval=0.01, description=description)
        self.link.cut()

    def _consuming(self) -> None:
        assert self._worker_state().consuming, "the worker has no consumer on the queue yet"

    # -- messages the suite sends itself ----------------------------------------------------------
    def publish(self, event_type: str, data: dict[str, Any], message_id: str | None = None) -> str:
        """An event as the shop itself would publish it (same envelope, same exchange)."""
        message_id = message_id or str(uuid.uuid4())
        body = {"id": message_id, "type": event_type, "occurredAt": datetime.now(UTC).isoformat(), "data": data}
        self.publish_raw(json.dumps(body).encode(), event_type, message_id)
        return message_id

    def announce_paid(self, order_id: str, message_id: str | None = None) -> str:
        """What the payment service publishes once an order is paid."""
        message_id = self.publish("order.paid", {"orderId": order_id, "status": "paid"}, message_id)
        self.announced.setdefault(order_id, []).append(message_id)
        return message_id

    def publish_raw(self, body: bytes, event_type: str, message_id: str | None = None) -> None:
        self.broker.publish(self.topology.events_exchange, event_type, body, message_id=message_id,
                            message_type=event_type)
        self.published.append(f"{event_type} {message_id} {body[:300]!r}")

    # -- what landed ----------------------------------------------------------------------------
    def take_parked(self) -> list[Message]:
        return self.broker.take_all(self.topology.parking_lot_queue)

    def depths(self) -> dict[str, int]:
        return self.broker.depths(list(self.topology.all))

    def settle(self, *, strict: bool = True) -> None:
        """End of a scenario: the worker running again, and everything the scenario set going finished.
        Not strict after a scenario that already failed: its leftovers are the reset's to remove."""
        if self.settled:
            return  # nothing ran since: the steps are over
        try:
            self.start_worker()
            if self._eventful():
                self.expect_drained(self.drain_deadline())
            self.settled = True
            self._left_empty = strict
        except Exception:  # noqa: BLE001 - after a failed scenario whatever went wrong is already reported
            if strict:
                raise

    def _eventful(self) -> bool:
        """Whether the scenario stored, sent, took or processed any order event. If not, nothing of it can be
        on a queue or in the worker's hands (the shop publishes only what its outbox stored, the suite
        records what it sends), so there is nothing to drain: one query instead of a look at every queue."""
        return bool(self.published or self.broker.taken or self._db.one(
            "SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM processed_messages) AS n")["n"])

    def drain_deadline(self) -> float:
        """Seconds (before scaling) to wait for the drain, fitted to what the scenario did: a base, a little
        per event it stored or sent, and one full pass through the retry delays. A run where draining is
        broken for everyone then costs seconds per scenario, not a fixed long wait."""
        events = len(self.published) + self._db.one("SELECT count(*) AS n FROM outbox")["n"]
        return DRAIN_BASE_SECONDS + DRAIN_SECONDS_PER_EVENT * events + sum(self.topology.retry_delays_ms) / 1000

    def expect_drained(self, timeout: float = 10) -> None:
        """Wait until every stored event is published, every queue is empty and every delivery the worker
        was given has been handled; fail naming what was left (queue depths, unpublished events).

        Empty queues alone do not prove it: a message the broker has handed to the worker is counted in no
        queue while it waits in the worker's prefetch buffer (and while the worker handles it). So a probe
        follows it through the same queue (see `wait_until_handled`), and the queues are looked at again."""

        def drained() -> None:
            self._quiet()
            if self.wait_until_handled(timeout=timeout):  # a probe went through: look again behind it
                self._quiet()

        eventually(drained, timeout=timeout, interval=0.01, description="the order-event queues to drain")

    def _quiet(self) -> None:
        unpublished = self._db.one("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL")["n"]
        left = {queue: depth for queue, depth in self.depths().items() if depth}
        busy = self._worker_state().busy
        assert not unpublished and not left and not busy, (
            f"left behind: {unpublished} unpublished event(s), queue depths {in_words(left) if left else 'all empty'}, "
            f"worker {'busy' if busy else 'idle'}"
        )

    def wait_until_handled(self, timeout: float = 10) -> bool:
        """Return once the worker has handled every delivery it was given before now; False when nothing
        could have been in flight (no probe was sent).

        The worker takes deliveries from its one queue in order, one at a time; so once a probe sent into
        that queue now has been handled, everything ahead of it has been too. The probe is an event the
        shop only acknowledges (`order.placed`, which is for the rest of the business), and its id is
        remembered so checks and the report can tell it apart. Skipped when the scenario has stored,
        processed and sent no event at all: then nothing can be in flight."""
        if not self._eventful():
            return False
        probe = str(uuid.uuid4())
        self.probes.append(probe)
        body = {"id": probe, "type": "order.placed", "occurredAt": datetime.now(UTC).isoformat(),
                "data": {"probe": "sent by the acceptance suite to learn that the worker caught up"}}
        self.broker.publish(self.topology.work_exchange, self.topology.order_events_queue, json.dumps(body).encode(),
                            message_id=probe, message_type="order.placed")
        eventually(lambda: self._handled(probe), timeout=timeout, interval=0.01,
                   description="the order-events worker to handle every delivery it was given")
        return True

    def _handled(self, message_id: str) -> None:
        row = self._db.one("SELECT completed_at FROM processed_messages WHERE message_id = %s", (message_id,))
        assert row is not None and row["completed_at"] is not None, (
            "the worker has not yet handled a probe sent after the scenario's deliveries")

    def report(self) -> str:
        """The scenario's messages for its Allure result: published, processed, parked."""
        # Both questions out at once, over the inspector's two connections: one round trip, not two.
        asked = self._db.later(
            "SELECT type, message_id, published_at, attempts, last_error FROM outbox ORDER BY id")
        processed = self._db.rows(
            "SELECT type, message_id, attempt, completed_attempt FROM processed_messages ORDER BY processed_at")
        stored = asked.rows()
        return "\n".join([
            *_section("Published by the shop (outbox)", [
                f"{r['type']} {r['message_id']} published={r['published_at'] is not None}"
                f" attempts={r['attempts']} {r['last_error'] or ''}" for r in stored]),
            *_section("Published by the scenario", self.published),
            *_section("Processed by the worker", [
                f"{r['type']} {r['message_id']} applied on attempt {r['attempt']},"
                f" completed on attempt {r['completed_attempt']}"
                f"{' (the suite probe that the worker caught up)' if str(r['message_id']) in self.probes else ''}"
                for r in processed]),
            *_section("Taken from the queues by the scenario (parked)", [m.describe() for m in self.broker.taken]),
        ])

    def queues_known_empty(self) -> bool:
        """For the reset before a scenario: True when the scenario before it passed its strict settle, so its
        queues are empty and the purge can be left out. Asked once: from then on the scenario runs."""
        known, self._left_empty = self._left_empty, False
        return known

    def forget_scenario(self, *, passed: bool) -> None:
        """After a scenario's report. One that failed (in a hook or a teardown too, after its settle) leaves
        its queues to the next reset's purge."""
        self._left_empty = self._left_empty and passed
        self.settled = False
        self.published.clear()
        self.probes.clear()
        self.announced.clear()
        self.broker.taken.clear()


def _section(title: str, items: list[str]) -> list[str]:
    return [f"{title}:", *(f"  {item}" for item in items)] if items else [f"{title}: none"]


MALFORMED = {
    "not JSON": (b"{this is not json", "order.paid", True),
    "JSON but not an event": (b'["order.paid", 42]', "order.paid", True),
    "of a type nobody handles": (None, "order.teleported", True),
    "without a proper message id": (None, "order.paid", False),
}


def malformed_message(problem: str) -> tuple[bytes, str, str | None]:
    """(body, type, message id) of a message with the named problem."""
    if problem not in MALFORMED:
        raise KeyError(f"no malformed message is known as {problem!r}; known: {', '.join(MALFORMED)}")
    body, event_type, proper_id = MALFORMED[problem]
    message_id = str(uuid.uuid4()) if proper_id else "order-42-paid"
    if body is None:
        body = json.dumps({"id": message_id, "type": event_type, "data": {"orderId": str(uuid.uuid4())}}).encode()
    return body, event_type, message_id


def arrange_awaiting_shipment(orders, database_url: str, customer, product: str, count: int) -> list[str]:
    """`count` orders of one `product` each, placed and paid but not yet announced; their ids."""
    placed = [orders.arrange(customer, [(product, 1)]) for _ in range(count)]
    mark_orders_paid(database_url, placed)
    return placed
