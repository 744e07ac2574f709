"""Checks of what the order events did, read in the database and on the broker, each failing with what
was expected and what was seen."""
from __future__ import annotations

from collections import Counter

from support.order_events.arrange import OrderEvents
from support.polling import eventually, scaled
from support.wires.broker import Message
from support.wires.database import DatabaseInspector
from support.words import in_words, one_per_line


def shipments_of(db: DatabaseInspector, order_ids: list[str]) -> list[dict]:
    return db.rows(
        "SELECT s.order_id::text AS order_id, o.status, s.shipped_at FROM shipments s JOIN orders o"
        " ON o.id = s.order_id WHERE s.order_id::text = ANY(%s) ORDER BY s.shipped_at, s.id", (order_ids,))


def expect_shipped(db: DatabaseInspector, who: str, order_ids: list[str], *, in_order: bool = False) -> None:
    """Every order shipped exactly once (status and shipment row); optionally in the given order."""

    def check() -> None:
        found = shipments_of(db, order_ids)
        statuses = {row["order_id"]: row["status"] for row in found}
        missing = [order for order in order_ids if order not in statuses]
        assert not missing and all(s == "shipped" for s in statuses.values()), (
            f"expected all {len(order_ids)} of {who}'s orders shipped; {len(found)} have a shipment, "
            f"{len(missing)} have none, statuses {in_words(sorted(set(statuses.values())))}"
        )
        assert len(found) == len(order_ids), f"expected one shipment per order, found {len(found)}"

    eventually(check, timeout=15, description=f"{who}'s orders to be shipped")
    if in_order:
        shipped = [row["order_id"] for row in shipments_of(db, order_ids)]
        assert shipped == order_ids, (
            f"expected the orders shipped in the order they were paid: {in_words(order_ids)}, "
            f"shipped in this order: {in_words(shipped)}")


def expect_shipment_count(db: DatabaseInspector, order_id: str, count: int) -> None:
    found = len(shipments_of(db, [order_id]))
    assert found == count, f"expected {count} shipment(s) of the order, found {found}"


def expect_completed_on_attempt(db: DatabaseInspector, message_id: str, attempt: int, retries: int) -> None:
    def check() -> dict:
        row = db.one("SELECT * FROM processed_messages WHERE message_id = %s", (message_id,))
        assert row is not None and row["completed_attempt"] is not None, (
            f"expected the event {message_id} to be processed to the end; processed: {in_words(row)}")
        return row

    row = eventually(check, timeout=10, description=f"the event {message_id} to be completed")
    assert row["completed_attempt"] == attempt, (
        f"expected the event completed on attempt {attempt}, it was on attempt {row['completed_attempt']}")
    assert attempt == retries + 1, "a scenario's attempts are its retries plus the first delivery"


def expect_parked(events: OrderEvents, message_id: str, attempts: int, error: str) -> Message:
    """Take the parked message out of the parking lot and check how many attempts it had and why."""
    taken: list[Message] = []

    def check() -> Message:
        taken.extend(events.take_parked())
        matching = [m for m in taken if m.message_id == message_id]
        assert matching, f"expected message {message_id} in the parking lot; parked so far: " \
                         f"{one_per_line(m.describe() for m in taken)}"
        return matching[0]

    parked = eventually(check, timeout=10, description=f"message {message_id} to be parked")
    seen_error = str(parked.headers.get("x-last-error"))
    assert parked.headers.get("x-attempts") == attempts and error in seen_error, (
        f"expected it parked after {attempts} attempt(s) with an error mentioning {error!r}; "
        f"it was parked after {parked.headers.get('x-attempts')} with {seen_error!r}")
    others = [m.describe() for m in taken if m.message_id != message_id]
    assert not others, f"expected only that message in the parking lot, also found:{one_per_line(others)}"
    return parked


def expect_nothing_processed(db: DatabaseInspector) -> None:
    processed = db.rows("SELECT type, message_id FROM processed_messages")
    assert not processed, f"expected no order event processed, found {in_words(processed)}"


def expect_announced(db: DatabaseInspector, order_id: str, event_type: str, total: str) -> None:
    """The shop stored the event with the order, the broker confirmed it, and it came back off the queue."""

    def check() -> None:
        row = db.one(
            "SELECT o.message_id, o.published_at, o.payload, p.message_id AS consumed FROM outbox o"
            " LEFT JOIN processed_messages p ON p.message_id = o.message_id"
            " WHERE o.type = %s AND o.payload->>'orderId' = %s", (event_type, order_id))
        assert row is not None, f"expected the shop to store an {event_type} event for the order, it stored none"
        assert row["published_at"] and row["consumed"], (
            f"expected the {event_type} event confirmed by the broker and delivered off the queue; "
            f"published at {row['published_at']}, consumed: {bool(row['consumed'])}")
        assert row["payload"]["total"] == total, f"expected the event to say total {total}: {in_words(row['payload'])}"

    eventually(check, timeout=10, description=f"the {event_type} event of the order")


def at_least_shipped(db: DatabaseInspector, order_ids: list[str], count: int):
    """A check that passes once at least `count` of the orders are shipped (for `eventually`)."""

    def check() -> None:
        shipped = len(shipments_of(db, order_ids))
        assert shipped >= count, f"{shipped} of {len(order_ids)} orders shipped so far"

    return check


def expect_some_unshipped(db: DatabaseInspector, order_ids: list[str], events: OrderEvents) -> None:
    shipped = len(shipments_of(db, order_ids))
    waiting = events.depths()[events.topology.order_events_queue]
    assert shipped < len(order_ids) and waiting > 0, (
        f"expected the worker stopped mid-stream, with events still queued; {shipped} of {len(order_ids)} "
        f"orders shipped, {waiting} events waiting on the queue")


def expect_event_held_back(db: DatabaseInspector, order_id: str, event_type: str) -> None:
    """The event is stored with the order and not published, and the relay has been failing to reach the
    broker (on this event, or on an older one ahead of it: events go out in the order they were stored)."""

    def check() -> None:
        row = db.one("SELECT published_at FROM outbox WHERE type = %s AND payload->>'orderId' = %s",
                     (event_type, order_id))
        assert row is not None, f"expected the shop to store an {event_type} event with the order, it stored none"
        assert row["published_at"] is None, f"expected the {event_type} event held back, it was published"
        failing = db.one("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL AND last_error IS NOT NULL")
        assert failing["n"], "expected the relay to have tried, and failed, to reach the broker"

    eventually(check, timeout=10, description=f"the relay to try publishing the {event_type} event")


def expect_nothing_announced(events: OrderEvents, db: DatabaseInspector, event_type: str, about: str) -> None:
    """No `event_type` event stored to be published, and, once the worker has handled every delivery in
    flight, none delivered either (an event sent past the outbox would show there); the suite's own
    probes aside."""
    events.wait_until_handled()
    stored = db.rows("SELECT message_id::text AS id, payload FROM outbox WHERE type = %s", (event_type,))
    delivered = [row["id"] for row in db.rows(
        "SELECT message_id::text AS id FROM processed_messages WHERE type = %s", (event_type,))
        if row["id"] not in events.probes]
    assert not stored and not delivered, (
        f"expected nothing announced about {about}; the shop stored {len(stored)} {event_type} event(s) "
        f"({in_words([row['payload'] for row in stored])}) and the worker received {len(delivered)}")


# How much longer than its delay a retry's pause may be (scheduling, delivery, a busy machine); scaled.
RETRY_PAUSE_SLACK_SECONDS = 1.0


def expect_retry_pauses(parked: Message, asked_at: list[float], delays_ms: tuple[int, ...], queue_of) -> None:
    """Before each new attempt the event waited the next retry delay, in order. The broker's own record
    (`x-death`: each retry queue it expired from, and how often) names the tiers it went through; the times
    the email provider was asked show each pause lasted at least its tier's delay (so, the delays being
    different, they came in order) and at most `slack` longer. `queue_of(ms)` names a tier's retry queue."""
    slack = scaled(RETRY_PAUSE_SLACK_SECONDS)
    attempts = parked.headers.get("x-attempts")
    tiers = [delays_ms[min(attempt, len(delays_ms)) - 1] for attempt in range(1, attempts)]
    wanted_record = sorted(Counter(queue_of(delay) for delay in tiers).items())
    seen_record = sorted((d.get("queue"), int(d.get("count", 1))) for d in parked.headers.get("x-death") or []
                         if d.get("reason") == "expired")
    assert seen_record == wanted_record, (
        f"expected the event to have waited in the retry queues (queue, times) {in_words(wanted_record)}; "
        f"the broker recorded {in_words(seen_record)}")
    pauses = [round((later - earlier) * 1000) for earlier, later in zip(asked_at, asked_at[1:], strict=False)]
    assert len(pauses) == len(tiers), (
        f"expected {len(tiers) + 1} attempts to reach the email provider, it was asked {len(asked_at)} times")
    wrong = [f"attempt {n + 2}: waited {pause} ms, its delay is {delay} ms"
             for n, (pause, delay) in enumerate(zip(pauses, tiers, strict=True))
             if not delay <= pause <= delay + slack * 1000]
    assert not wrong, (
        f"expected the pauses before attempts 2 to {len(tiers) + 1} to be the delays {in_words(tiers)} ms in order "
        f"(each at least its delay, at most {slack * 1000:.0f} ms more); {'; '.join(wrong)}")
