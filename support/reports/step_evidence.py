"""What each step caused, attached to that step in Allure: the HTTP exchanges with the shop, the calls
to the faked providers and the order events the shop stored, all new since the step began.

The whole scenario's transcript is still attached to the scenario; this makes a failing step's page
show its own evidence without scrolling through everything before it.
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
        # so every stored event is newer than 0. Kept from one step's attach to the next step's mark (no
        # query per step), an event stored between two steps goes with the later one.
        self._last_event = 0
        self._seen = (0, 0)

    def mark(self) -> None:
        self._seen = (len(self._exchanges), len(self._calls))

    def attach(self) -> None:
        exchanges, calls = self._seen
        new_exchanges = self._exchanges[exchanges:]
        reporting.attach_parts("HTTP exchanges", [e.as_text() for e in new_exchanges], EXCHANGE_RULE)
        new_calls = self._calls[calls:]
        if new_calls:
            reporting.attach_text("Provider calls", "\n\n".join(call.as_text() for call in new_calls))
        try:
            events = self._db.rows(
                "SELECT id, type, message_id, published_at FROM outbox WHERE id > %s ORDER BY id", (self._last_event,))
        except DATABASE_AWAY as error:  # a scenario stopped the database server (server_restarts.feature)
            reporting.attach_text("Order events", f"(not read: the database did not answer: {error})")
            return
        if events:
            self._last_event = events[-1]["id"]
            reporting.attach_text("Order events", "\n".join(
                f"{e['type']} {e['message_id']} {'published' if e['published_at'] else 'not yet published'}"
                for e in events))
