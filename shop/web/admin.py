"""What the web process has counted since it started, for administrators: load reports and acceptance
tests read it over HTTP, so they work whether the shop runs beside them or elsewhere."""
from __future__ import annotations

import dataclasses

from flask import Blueprint, current_app, jsonify

from shop.web.docs import BEARER, UNAUTHORIZED, error, json_body
from shop.web.requests import caller, shop

blueprint = Blueprint("admin", __name__)
# Where a web server of several processes puts what counts for them all (shop/processes.py).
FIGURES = "shop.figures"


@blueprint.get("/api/admin/figures")
def figures():
    caller().require_admin()
    current = shop()
    every_process = current_app.extensions.get(FIGURES)
    pool, cache = every_process() if every_process else (current.db.figures(), current.catalogue_cache.figures())
    return jsonify({"database": dataclasses.asdict(pool), "catalogueCache": dataclasses.asdict(cache)})


_COUNTS = {"type": "object", "additionalProperties": {"type": "number"}}

OPENAPI = {
    "paths": {
        "/api/admin/figures": {
            "get": {
                "summary": "The web server's counts: its database pool (statements sent, waits) and its catalogue "
                           "cache (hits, misses, unavailable), since it started (summed over its processes when "
                           "it runs several)",
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
