"""Reading what a caller sent: their pass, and a JSON body that is really JSON."""
from __future__ import annotations

from typing import Any

from flask import current_app, request

from shop.auth import Caller
from shop.bootstrap import Shop
from shop.errors import InvalidInput
from shop.web.json_input import parse_json


def shop() -> Shop:
    return current_app.extensions["shop"]


def caller() -> Caller:
    """The authenticated caller, as they are now; Unauthorized when the pass is missing, malformed, expired
    or tampered, or its holder has been deleted. A role changed since the pass was issued applies at once."""
    return shop().users.current(shop().tokens.caller_from_header(request.headers.get("Authorization")))


def optional_caller() -> Caller | None:
    return caller() if request.headers.get("Authorization") else None


def json_object() -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise InvalidInput("Content-Type must be application/json")
    body = parse_json(request.get_data(cache=False))
    if not isinstance(body, dict):
        raise InvalidInput("Request body must be a JSON object")
    return body
