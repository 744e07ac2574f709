"""Small builders for OpenAPI fragments; each route module documents its own operations with them."""
from __future__ import annotations


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict:
    return json_body(ref("Error"), description)


def request_body(schema_name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(schema_name)}}}


UNAUTHORIZED = error("Missing, malformed, expired or tampered token")
BAD_REQUEST = error("Malformed JSON, wrong content type or invalid fields")
BEARER = [{"bearer": []}]

# Text the shop refuses when empty or only spaces: at least one character that is not a space.
SOME_TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
# The shop's own rule for an email address (shop/users.py), internationalised addresses included. The
# pattern is the rule, for what the shop takes and what it shows (no format: `email` is ASCII only, and
# `idn-email` is stricter than the shop, which stores any address of that shape).
EMAIL_ADDRESS = {"type": "string", "maxLength": 254, "pattern": r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"}
