"""Builds the shop's Flask application and turns service errors into JSON answers."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from shop.bootstrap import Shop
from shop.errors import InvalidInput, ShopBusy, ShopError
from shop.web import openapi

log = logging.getLogger(__name__)


def create_app(shop: Shop) -> Flask:
    app = Flask("shop")
    app.json.sort_keys = False
    app.extensions["shop"] = shop
    for module in (*openapi.ROUTE_MODULES, openapi):
        app.register_blueprint(module.blueprint)

    @app.errorhandler(ShopError)
    def shop_error(error: ShopError):
        body = {"error": error.message}
        if isinstance(error, InvalidInput) and error.errors:
            body["errors"] = error.errors
        headers = {"Retry-After": str(error.retry_after_seconds)} if isinstance(error, ShopBusy) else {}
        return jsonify(body), error.status, headers

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return jsonify({"error": error.description or error.name}), error.code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error")
        return jsonify({"error": "Internal server error"}), 500

    return app
