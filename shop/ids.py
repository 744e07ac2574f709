"""Reading ids that callers send: anything that is not a UUID is simply no id (so "not found")."""
from __future__ import annotations

import uuid
from typing import Any


def uuid_or_none(text: Any) -> uuid.UUID | None:
    if isinstance(text, uuid.UUID):
        return text
    try:
        return uuid.UUID(str(text)) if text is not None else None
    except ValueError:
        return None
