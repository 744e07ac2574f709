"""The one way the shop reads a JSON request body: bounded in depth, and only text PostgreSQL can hold.

Python's parser recurses once per nesting level, so a body of 100 000 opening brackets exhausts the
stack; and JSON may spell a lone UTF-16 surrogate ("\\ud800"), which is no character at all and
cannot be stored or encoded. Both are the caller's mistake, answered 400 like any other bad input.
"""
from __future__ import annotations

import json
from typing import Any

from shop.errors import InvalidInput

# Deeper than any request the shop documents (a GraphQL request's variables are the deepest, 4 or 5).
MAX_DEPTH = 32
NOT_JSON = "Request body is not valid JSON"
TOO_DEEP = f"Request body nests more than {MAX_DEPTH} levels deep"
NOT_TEXT = "Request body holds text that is not valid Unicode (a lone surrogate)"


def parse_json(raw: bytes) -> Any:
    """The JSON value of `raw`; InvalidInput if it is not JSON, nests too deep or holds invalid text."""
    try:
        value = json.loads(raw or b"")
    except RecursionError:
        raise InvalidInput(TOO_DEEP) from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(NOT_JSON) from None
    _check_shape(value)
    return value


def _check_shape(value: Any) -> None:
    # Iterative, so the check itself cannot exhaust the stack whatever it is given.
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise InvalidInput(TOO_DEEP)
            children = item.values() if isinstance(item, dict) else item
            if isinstance(item, dict):
                for key in item:
                    _check_text(key)
            pending.extend((child, depth + 1) for child in children)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(NOT_TEXT) from None
