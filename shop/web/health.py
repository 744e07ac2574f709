"""Whether the shop is alive (its process answers) and ready (it can serve): for launchers and load balancers."""
from __future__ import annotations

from flask import Blueprint, jsonify

from shop.db import RETRY_AFTER_SECONDS
from shop.web.docs import json_body
from shop.web.requests import shop

blueprint = Blueprint("health", __name__)


@blueprint.get("/api/health/live")
def liveness():
    return jsonify({"status": "alive"})


@blueprint.get("/api/health")
def readiness():
    found = shop().health()
    response = jsonify(found.as_json())
    if not found.ready:
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


_STATE = {"enum": ["ok", "unavailable"]}
_READINESS = {
    "type": "object",
    "required": ["status", "checks"],
    "properties": {
        "status": {"enum": ["ready", "degraded", "unready"]},
        "checks": {
            "type": "object",
            "required": ["database", "cache", "broker"],
            "properties": {"database": _STATE, "cache": _STATE, "broker": _STATE},
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}

OPENAPI = {
    "paths": {
        "/api/health": {
            "get": {
                "summary": "Readiness: whether the shop can serve, and the state of each dependency",
                "description": "Without the database the shop is unready (503). Without its cache or its broker it "
                               "is degraded but serves (200): the catalogue comes from the database and order "
                               "events wait in the outbox. Never says why a dependency is unavailable.",
                "responses": {
                    "200": json_body(_READINESS, "Ready, or degraded but serving"),
                    "503": json_body(_READINESS, "Unready: the database cannot be reached"),
                },
            }
        },
        "/api/health/live": {
            "get": {
                "summary": "Liveness: the shop's process answers (it checks nothing else)",
                "responses": {
                    "200": json_body(
                        {"type": "object", "required": ["status"], "properties": {"status": {"const": "alive"}},
                         "additionalProperties": False},
                        "Alive",
                    ),
                },
            }
        },
    },
}
