"""The OpenAPI document of the shop's REST API, served at /api/openapi.json.

Each route module documents its own operations in an `OPENAPI` dict beside its routes; this module
merges them. Kept true by tests/test_openapi.py (every route documented, nothing documented that is
not routed) and by the acceptance suite, which checks every answer it receives against it.
"""
from __future__ import annotations

from flask import Blueprint, jsonify

from shop.web import admin, documents, graphql, health, orders, payments, products, users
from shop.web.docs import error, json_body

blueprint = Blueprint("openapi", __name__)

# Every route module: the app registers their blueprints and this document merges their OPENAPI.
ROUTE_MODULES = (users, health, products, orders, graphql, payments, documents, admin)

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "additionalProperties": False,
}


def build_document() -> dict:
    schemas = {"Error": _ERROR}
    paths = {
        "/api/openapi.json": {
            "get": {"summary": "This document", "responses": {"200": json_body({"type": "object"}, "OpenAPI 3.1")}}
        }
    }
    for module in ROUTE_MODULES:
        for kind, target in (("schemas", schemas), ("paths", paths)):
            clash = set(target) & set(module.OPENAPI.get(kind, {}))
            if clash:
                raise ValueError(f"{module.__name__} documents {kind} already documented: {sorted(clash)}")
            target.update(module.OPENAPI.get(kind, {}))
    _add_answers_every_operation_may_give(paths)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shop API", "version": "1.0.0"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": schemas,
        },
        "paths": paths,
    }


_TOO_LARGE = error("The request body is larger than the shop accepts; nothing of it was read")
_UNAVAILABLE = {
    **error("The shop cannot serve it right now (its database cannot be reached, or every connection stayed"
            " busy): nothing was done; try again after the Retry-After seconds"),
    "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}},
}
# Operations that answer without the database.
_WITHOUT_DATABASE = {"/api/openapi.json", "/api/health", "/api/health/live"}


def _add_answers_every_operation_may_give(paths: dict) -> None:
    """The answers of the shop's request handling itself, for every operation they can reach."""
    for path, operations in paths.items():
        for operation in operations.values():
            responses = operation["responses"]
            if "requestBody" in operation:
                responses.setdefault("413", _TOO_LARGE)
            if path not in _WITHOUT_DATABASE:
                responses.setdefault("503", _UNAVAILABLE)


DOCUMENT = build_document()


@blueprint.get("/api/openapi.json")
def document():
    return jsonify(DOCUMENT)
