"""Routes for orders: placing, reading, listing one's own, cancelling, and (administrators) shipping."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from shop.orders import MAX_LINES, MAX_QUANTITY
from shop.paging import PAGE
from shop.web.docs import BAD_REQUEST, BEARER, SOME_TEXT, UNAUTHORIZED, error, json_body, ref, request_body
from shop.web.requests import caller, json_object, shop

blueprint = Blueprint("orders", __name__)


@blueprint.post("/api/orders")
def place_order():
    who, body = caller(), json_object()
    return jsonify(shop().orders.place(who, body.get("items")).as_json()), 201


@blueprint.get("/api/orders")
def list_orders():
    orders, pagination = shop().orders.list(caller(), page=request.args.get("page", 1),
                                            limit=request.args.get("limit", 20))
    return jsonify({"data": [order.as_json() for order in orders], "pagination": pagination})


@blueprint.get("/api/orders/<order_id>")
def get_order(order_id: str):
    return jsonify(shop().orders.get(order_id, caller()).as_json())


@blueprint.post("/api/orders/<order_id>/cancel")
def cancel_order(order_id: str):
    return jsonify(shop().payments.cancel(order_id, caller(), shop().orders).as_json())


@blueprint.post("/api/orders/<order_id>/ship")
def ship_order(order_id: str):
    return jsonify(shop().orders.ship(order_id, caller()).as_json())


_AMOUNT = {"type": "string", "pattern": r"^\d+\.\d{2}$"}
_ORDER_ID = {"name": "order_id", "in": "path", "required": True, "schema": {"type": "string"}}
_NOT_YOURS = error("No such order, or not yours: the two are not told apart, so ids cannot be probed")

OPENAPI = {
    "schemas": {
        "Order": {
            "type": "object",
            "required": ["id", "customerId", "status", "total", "lines", "createdAt"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "customerId": {"type": "string", "format": "uuid"},
                "status": {"enum": ["pending", "payment_pending", "payment_failed", "paid", "shipped", "cancelled",
                                    "refunded", "expired"]},
                "total": _AMOUNT,
                "lines": {"type": "array", "minItems": 1, "items": ref("OrderLine")},
                "createdAt": {"type": "string", "format": "date-time"},
            },
            "additionalProperties": False,
        },
        "OrderLine": {
            "type": "object",
            "required": ["sku", "name", "quantity", "unitPrice", "lineTotal"],
            "properties": {
                "sku": {"type": "string"},
                "name": {"type": "string"},
                "quantity": {"type": "integer", "minimum": 1},
                "unitPrice": _AMOUNT,
                "lineTotal": _AMOUNT,
            },
            "additionalProperties": False,
        },
        "NewOrder": {
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_LINES,
                    "items": {
                        "type": "object",
                        "required": ["sku", "quantity"],
                        "properties": {
                            "sku": SOME_TEXT,
                            "quantity": {"type": "integer", "minimum": 1, "maximum": MAX_QUANTITY},
                        },
                    },
                    "description": "Each product once; the total comes from the prices when the order is placed",
                }
            },
        },
        "OrderPage": {
            "type": "object",
            "required": ["data", "pagination"],
            "properties": {"data": {"type": "array", "items": ref("Order")}, "pagination": ref("Pagination")},
            "additionalProperties": False,
        },
    },
    "paths": {
        "/api/orders": {
            "post": {
                "summary": "Place an order: its stock is taken in the same transaction, or nothing changes",
                "security": BEARER,
                "requestBody": request_body("NewOrder"),
                "responses": {
                    "201": json_body(ref("Order"), "Placed, pending"),
                    "400": error("No items, an unknown product, a quantity out of range, a product listed twice, or a"
                                  " total larger than an order can hold"),
                    "401": error("Missing, malformed, expired or tampered token, or one whose account no longer"
                                 " exists"),
                    "409": error("Insufficient inventory for <SKU>: nothing was taken"),
                    "500": error("The order could not be stored: nothing was placed, taken or announced"),
                },
            },
            "get": {
                "summary": "The caller's own orders, newest first",
                "security": BEARER,
                "parameters": [
                    {"name": "page", "in": "query", "schema": PAGE},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                ],
                "responses": {
                    "200": json_body(ref("OrderPage"), "A page of the caller's orders"),
                    "400": BAD_REQUEST,
                    "401": UNAUTHORIZED,
                },
            },
        },
        "/api/orders/{order_id}": {
            "get": {
                "summary": "Read an order (its customer, or an administrator)",
                "security": BEARER,
                "parameters": [_ORDER_ID],
                "responses": {"200": json_body(ref("Order"), "The order"), "401": UNAUTHORIZED, "404": _NOT_YOURS},
            }
        },
        "/api/orders/{order_id}/cancel": {
            "post": {
                "summary": "Cancel a pending order and return its stock (its customer, or an administrator)",
                "description": "A payment of the order whose outcome is unknown is settled first: the shop asks the "
                               "payment provider, and refunds a charge it finds.",
                "security": BEARER,
                "parameters": [_ORDER_ID],
                "responses": {
                    "200": json_body(ref("Order"), "Cancelled"),
                    "401": UNAUTHORIZED,
                    "404": _NOT_YOURS,
                    "409": error("The order is not pending (already shipped or cancelled), or a payment is under way"),
                    "503": error("An earlier payment's outcome could not be confirmed with the payment provider yet; "
                                 "nothing changed"),
                    "500": error("The cancellation could not be stored: order, stock and events are as they were"),
                },
            }
        },
        "/api/orders/{order_id}/ship": {
            "post": {
                "summary": "Record that a pending order has shipped (administrators only)",
                "security": BEARER,
                "parameters": [_ORDER_ID],
                "responses": {
                    "200": json_body(ref("Order"), "Shipped"),
                    "401": UNAUTHORIZED,
                    "403": error("Not an administrator"),
                    "404": error("No such order"),
                    "409": error("The order is not pending"),
                },
            }
        },
    },
}
