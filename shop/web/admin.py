"""What the web process has counted since it started, for administrators: load reports and acceptance
tests read it over HTTP, so they work whether the shop runs beside them or elsewhere."""
from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, current_app, jsonify

from shop.web.docs import BEARER, UNAUTHORIZED, error, json_body
from shop.web.requests import caller, shop

blueprint = Blueprint("admin", __name__)
# Where a web server of several processes puts what counts for them all (shop/processes.py).
FIGURES = "shop.figures"
# The web process's own count of the requests it is answering (RequestsInFlight).
REQUESTS = "shop.requests"


@dataclass(frozen=True)
class RequestFigures:
    in_flight: int  # requests being answered now, the one asking included


class RequestsInFlight:
    """WSGI middleware counting the requests the process is answering. A client that gave up on a request
    (a test that timed out) can learn when the shop has finished it, and with it every write the request
    still had to make (a cache entry, an event). `on_change` is told after each count changes."""

    def __init__(self, app, on_change: Callable[[], None] | None = None):
        self._app, self._on_change = app, on_change
        self._lock = threading.Lock()
        self._in_flight = 0

    def __call__(self, environ, start_response):
        self._add(1)
        try:
            # The view has run (and written all it writes) once the application returns its answer.
            return self._app(environ, start_response)
        finally:
            self._add(-1)

    def _add(self, step: int) -> None:
        with self._lock:
            self._in_flight += step
        if self._on_change is not None:
            self._on_change()

    def figures(self) -> RequestFigures:
        return RequestFigures(in_flight=self._in_flight)


@blueprint.get("/api/admin/figures")
def figures():
    caller().require_admin()
    current = shop()
    every_process = current_app.extensions.get(FIGURES)
    if every_process:
        pool, cache, requests = every_process()
    else:
        pool, cache = current.db.figures(), current.catalogue_cache.figures()
        requests = current_app.extensions[REQUESTS].figures()
    return jsonify({"database": dataclasses.asdict(pool), "catalogueCache": dataclasses.asdict(cache),
                    "requests": {"inFlight": requests.in_flight}})


_COUNTS = {"type": "object", "additionalProperties": {"type": "number"}}

OPENAPI = {
    "paths": {
        "/api/admin/figures": {
            "get": {
                "summary": "The web server's counts: its database pool (statements sent, waits) and its catalogue "
                           "cache (hits, misses, unavailable), since it started, and the requests it is answering "
                           "now, this one included (summed over its processes when it runs several)",
                "security": BEARER,
                "responses": {
                    "200": json_body({
                        "type": "object", "required": ["database", "catalogueCache", "requests"],
                        "properties": {"database": _COUNTS, "catalogueCache": _COUNTS, "requests": {
                            "type": "object", "required": ["inFlight"], "additionalProperties": False,
                            "properties": {"inFlight": {"type": "integer", "minimum": 1}}}},
                        "additionalProperties": False,
                    }, "The counts"),
                    "401": UNAUTHORIZED,
                    "403": error("Not an administrator"),
                },
            }
        },
    },
}
