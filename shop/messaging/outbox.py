"""The transactional outbox: an event is stored in the same transaction as the change it describes.

So an order and its event never disagree: both commit or neither does. The relay (relay.py) later
publishes stored events to the broker and marks them published; a broker outage only delays them.
"""
from __future__ import annotations

import json
import uuid
from typing import Any

from psycopg2.extensions import cursor as Cursor

NOTIFY_CHANNEL = "shop_outbox"


def add_event(cur: Cursor, event_type: str, payload: dict[str, Any]) -> uuid.UUID:
    """Store an event inside the caller's transaction; the relay is woken when it commits."""
    cur.execute(
        "INSERT INTO outbox (type, payload) VALUES (%s, %s) RETURNING message_id",
        (event_type, json.dumps(payload, default=str)),
    )
    message_id = cur.fetchone()["message_id"]
    # NOTIFY is transactional too: delivered at commit, dropped on rollback.
    cur.execute(f"NOTIFY {NOTIFY_CHANNEL}")
    return message_id
