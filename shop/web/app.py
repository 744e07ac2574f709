"""Builds the shop's Flask application and turns service errors into JSON answers."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from shop.bootstrap import Shop
from shop.config import Settings
from shop.errors import InvalidInput, ShopError
from shop.web import openapi, storefront
from shop.web.admin import REQUESTS, RequestsInFlight

log = logging.getLogger(__name__)


def create_app(shop: Shop, on_request_count=None) -> Flask:
    """`on_request_count` is told whenever the count of requests in flight changes (shop/processes.py)."""
    app = Flask("shop")
    app.json.sort_keys = False
    app.extensions["shop"] = shop
    # Werkzeug refuses a larger body from its Content-Length alone (413), before reading or parsing any of it.
    max_bytes = getattr(shop, "settings", Settings()).max_request_bytes
    app.config["MAX_CONTENT_LENGTH"] = max_bytes
    for module in (*openapi.ROUTE_MODULES, openapi):
        app.register_blueprint(module.blueprint)
    storefront.install(app)  # the customers' pages beside the API (not part of the OpenAPI document)
    hops = getattr(shop, "settings", Settings()).trusted_proxy_hops
    if hops:  # the client's address as the nearest trusted proxy saw it (werkzeug's ProxyFix)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)
    app.wsgi_app = app.extensions[REQUESTS] = RequestsInFlight(app.wsgi_app, on_request_count)

    @app.errorhandler(ShopError)
    def shop_error(error: ShopError):
        body = {"error": error.message}
        if isinstance(error, InvalidInput) and error.errors:
            body["errors"] = error.errors
        response = jsonify(body)
        response.status_code = error.status
        retry_after = getattr(error, "retry_after_seconds", None)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        return jsonify({"error": f"The request body is larger than the shop accepts ({max_bytes:,} bytes)"}), 413

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = jsonify({"error": error.description or error.name})
        response.status_code = error.code
        # Werkzeug's own headers for the answer, e.g. Allow on a 405 (which methods the path has).
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error")
        return jsonify({"error": "Internal server error"}), 500

    return app
