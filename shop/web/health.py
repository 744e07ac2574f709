"""Whether the shop can serve: used by launchers waiting for it and by load balancers."""
from __future__ import annotations

from flask import Blueprint, jsonify

from shop.web.docs import json_body
from shop.web.requests import shop

blueprint = Blueprint("health", __name__)


@blueprint.get("/api/health")
def health():
    checks = shop().health()
    return jsonify(checks), 200 if all(v == "ok" for v in checks.values()) else 503


OPENAPI = {
    "paths": {
        "/api/health": {
            "get": {
                "summary": "Whether the shop and its database and cache answer",
                "responses": {
                    "200": json_body({"type": "object"}, "Healthy"),
                    "503": json_body({"type": "object"}, "A dependency does not answer"),
                },
            }
        },
    },
}
