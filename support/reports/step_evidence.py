"""What each step caused, attached to that step in Allure: the HTTP exchanges with the shop, the calls
to the faked providers and the order events the shop stored, all new since the step began.

The whole scenario's transcript is still attached to the scenario; this makes a failing step's page
show its own evidence without scrolling through everything before it.

The order events are read by a query sent as the step ends; its answer is taken, and put on the step's
page, just before the next step begins (or at the scenario's end: `finish`). So no event the next step
causes can be counted as this step's, and the round trip (0.3-0.8 ms beside the shop, 0.7 s a run when
each step waited for it) overlaps the rest of the step's hooks and behave's work between the steps.
"""
from __future__ import annotations

from typing import Any

import psycopg2

from support import reporting

DATABASE_AWAY = (psycopg2.OperationalError, psycopg2.InterfaceError)
EXCHANGE_RULE = "\n\n" + "=" * 72 + "\n\n"


class StepEvidence:
    def __init__(self, exchanges: list[Any], provider_calls: list[Any], db: Any) -> None:
        self._exchanges, self._calls, self._db = exchanges, provider_calls, db
        # The newest order event already attached to a step: the world was emptied before the scenario,
        # so every stored event is newer than 0. An event stored between two steps (by the worker, say) goes
        # with the earlier one if stored before its query ran, else with the later one.
        self._last_event = 0
        self._seen = (0, 0)
        self._pending = None  # the order-events query sent as a step ended, and that step's page

    def mark(self) -> None:
        """A step begins: the step before's order events are taken first (see the module's docstring)."""
        self._take_events()
        self._seen = (len(self._exchanges), len(self._calls))

    def attach(self) -> None:
        # The order events' query goes first: attaching wakes the thread that writes the report's files,
        # which would hold the interpreter while the query's send waits to get it back.
        self._take_events()  # a step that began without `mark` (none does): the next query starts after them
        try:
            pending = (self._db.later("SELECT id, type, message_id, published_at FROM outbox WHERE id > %s ORDER BY id",
                                      (self._last_event,)), reporting.step_page())
        except DATABASE_AWAY as error:  # a scenario stopped the database server (server_restarts.feature)
            pending = None
            reporting.attach_text("Order events", _not_read(error))
        exchanges, calls = self._seen
        new_exchanges = self._exchanges[exchanges:]
        reporting.attach_parts("HTTP exchanges", [e.as_text() for e in new_exchanges], EXCHANGE_RULE)
        new_calls = self._calls[calls:]
        if new_calls:
            reporting.attach_text("Provider calls", "\n\n".join(call.as_text() for call in new_calls))
        self._pending = pending

    def finish(self) -> None:
        """At the scenario's end, before its result is written: the last step's order events."""
        self._take_events()

    def _take_events(self) -> None:
        if self._pending is None:
            return
        (query, page), self._pending = self._pending, None
        try:
            events = query.rows()
        except DATABASE_AWAY as error:
            text = _not_read(error)
        else:
            if not events:
                return
            self._last_event = events[-1]["id"]
            text = "\n".join(f"{e['type']} {e['message_id']} {'published' if e['published_at'] else 'not yet published'}"
                             for e in events)
        if page is not None:
            page.attach_text("Order events", text)


def _not_read(error: Exception) -> str:
    return f"(not read: the database did not answer: {error})"
