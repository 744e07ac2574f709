"""Routes for the catalogue: browsing (anyone signed in) and adding or changing products (administrators)."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from shop.paging import PAGE
from shop.products import MAX_STOCK
from shop.web.docs import BAD_REQUEST, BEARER, SOME_TEXT, UNAUTHORIZED, error, json_body, ref, request_body
from shop.web.requests import caller, json_object, shop

blueprint = Blueprint("products", __name__)


@blueprint.get("/api/products")
def browse_products():
    caller()
    args = request.args
    listing = shop().products.browse_json(page=args.get("page", 1), limit=args.get("limit", 20), name=args.get("name"))
    return Response(listing + "\n", mimetype="application/json")


@blueprint.post("/api/products")
def create_product():
    return jsonify(shop().products.create(json_object(), caller()).as_json()), 201


@blueprint.patch("/api/products/<sku>")
def change_product(sku: str):
    return jsonify(shop().products.change(sku, json_object(), caller()).as_json())


_AMOUNT = {"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["25.00"]}
_AMOUNT_IN = {
    "oneOf": [{"type": "string", "pattern": r"^\s*\d{1,7}(\.\d{1,2})?\s*$"}, {"type": "integer", "minimum": 0}],
    "description": 'An exact amount: text such as "25.00", or a whole number. Fractional JSON numbers are refused.',
}
_SKU_PARAMETER = {"name": "sku", "in": "path", "required": True, "schema": {"type": "string"}}

OPENAPI = {
    "schemas": {
        "Product": {
            "type": "object",
            "required": ["id", "sku", "name", "price", "stock"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "sku": {"type": "string"},
                "name": {"type": "string"},
                "price": _AMOUNT,
                "stock": {"type": "integer", "minimum": 0},
            },
            "additionalProperties": False,
        },
        "NewProduct": {
            "type": "object",
            "required": ["sku", "name", "price", "stock"],
            "properties": {
                "sku": {"type": "string", "pattern": "^[A-Z0-9][A-Z0-9-]{1,31}$"},
                "name": {**SOME_TEXT, "maxLength": 200},
                "price": _AMOUNT_IN,
                "stock": {"type": "integer", "minimum": 0, "maximum": MAX_STOCK},
            },
        },
        "ProductChange": {
            "type": "object",
            "minProperties": 1,
            "properties": {
                "name": {**SOME_TEXT, "maxLength": 200},
                "price": _AMOUNT_IN,
                "stock": {"type": "integer", "minimum": 0, "maximum": MAX_STOCK},
            },
            "additionalProperties": False,
        },
        "ProductPage": {
            "type": "object",
            "required": ["data", "pagination"],
            "properties": {"data": {"type": "array", "items": ref("Product")}, "pagination": ref("Pagination")},
            "additionalProperties": False,
        },
        "Pagination": {
            "type": "object",
            "required": ["page", "limit", "total", "pages"],
            "properties": {k: {"type": "integer"} for k in ("page", "limit", "total", "pages")},
            "additionalProperties": False,
        },
    },
    "paths": {
        "/api/products": {
            "get": {
                "summary": "Browse the catalogue by name (served from a cache that every product change clears)",
                "security": BEARER,
                "parameters": [
                    {"name": "page", "in": "query", "schema": PAGE},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "name", "in": "query", "schema": {"type": "string"}, "description": "part of the name"},
                ],
                "responses": {
                    "200": json_body(ref("ProductPage"), "A page of products, by name"),
                    "400": BAD_REQUEST,
                    "401": UNAUTHORIZED,
                },
            },
            "post": {
                "summary": "Add a product (administrators only)",
                "security": BEARER,
                "requestBody": request_body("NewProduct"),
                "responses": {
                    "201": json_body(ref("Product"), "Created"),
                    "400": BAD_REQUEST,
                    "401": UNAUTHORIZED,
                    "403": error("Not an administrator"),
                    "409": error("The SKU is taken"),
                },
            },
        },
        "/api/products/{sku}": {
            "patch": {
                "summary": "Change a product's name, price or stock (administrators only)",
                "security": BEARER,
                "parameters": [_SKU_PARAMETER],
                "requestBody": request_body("ProductChange"),
                "responses": {
                    "200": json_body(ref("Product"), "The product as changed"),
                    "400": BAD_REQUEST,
                    "401": UNAUTHORIZED,
                    "403": error("Not an administrator"),
                    "404": error("No such product"),
                },
            }
        },
    },
}
