"""What the web process has counted since it started, for administrators: load reports and acceptance
tests read it over HTTP, so they work whether the shop runs beside them or elsewhere."""
from __future__ import annotations

import dataclasses

from flask import Blueprint, jsonify

from shop.web.docs import BEARER, UNAUTHORIZED, error, json_body
from shop.web.requests import caller, shop

blueprint = Blueprint("admin", __name__)


@blueprint.get("/api/admin/figures")
def figures():
    caller().require_admin()
    current = shop()
    return jsonify({
        "database": dataclasses.asdict(current.db.figures()),
        "catalogueCache": dataclasses.asdict(current.catalogue_cache.figures()),
    })


_COUNTS = {"type": "object", "additionalProperties": {"type": "number"}}

OPENAPI = {
    "paths": {
        "/api/admin/figures": {
            "get": {
                "summary": "The web process's counts: its database pool (statements sent, waits) and its catalogue "
                           "cache (hits, misses, unavailable), since it started",
                "security": BEARER,
                "responses": {
                    "200": json_body({
                        "type": "object", "required": ["database", "catalogueCache"],
                        "properties": {"database": _COUNTS, "catalogueCache": _COUNTS},
                        "additionalProperties": False,
                    }, "The counts"),
                    "401": UNAUTHORIZED,
                    "403": error("Not an administrator"),
                },
            }
        },
    },
}
