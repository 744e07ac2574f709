"""Routes for paying an order by card (its customer) and refunding it (an administrator)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from shop.web.docs import BEARER, UNAUTHORIZED, error, json_body, ref, request_body
from shop.web.requests import caller, json_object, shop

blueprint = Blueprint("payments", __name__)


@blueprint.post("/api/orders/<order_id>/pay")
def pay_order(order_id: str):
    who, body = caller(), json_object()
    return jsonify(shop().payments.pay(order_id, who, body.get("cardToken")).as_json())


@blueprint.post("/api/orders/<order_id>/refund")
def refund_order(order_id: str):
    return jsonify(shop().payments.refund(order_id, caller()).as_json())


_AMOUNT = {"type": "string", "pattern": r"^\d+\.\d{2}$"}
_ORDER_ID = {"name": "order_id", "in": "path", "required": True, "schema": {"type": "string"}}

OPENAPI = {
    "schemas": {
        "Payment": {
            "type": "object",
            "required": ["orderId", "status", "amount", "currency", "paidAt"],
            "properties": {
                "orderId": {"type": "string", "format": "uuid"},
                "status": {"enum": ["paid", "refunded"]},
                "amount": _AMOUNT,
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "paidAt": {"type": "string", "format": "date-time"},
                "refundedAt": {"type": "string", "format": "date-time", "description": "Only once refunded"},
            },
            "additionalProperties": False,
        },
        "CardPayment": {
            "type": "object",
            "required": ["cardToken"],
            "properties": {
                "cardToken": {
                    "type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^\S+$",
                    "description": "The token the payment provider's form gave for the customer's card",
                }
            },
        },
    },
    "paths": {
        "/api/orders/{order_id}/pay": {
            "post": {
                "summary": "Pay a pending order (or one whose payment failed) by card: its customer only",
                "description": "Charges the order's total once, however often it is asked: a request while another "
                               "for the order is under way is refused, and the provider sees one idempotency key.",
                "security": BEARER,
                "parameters": [_ORDER_ID],
                "requestBody": request_body("CardPayment"),
                "responses": {
                    "200": json_body(ref("Payment"), "Paid: the order is paid and its receipt is on its way"),
                    "400": error("Not JSON, or no card token"),
                    "401": UNAUTHORIZED,
                    "402": error("The card was declined: the provider's reason is the error, its decline code "
                                 "errors.card; the order is payment_failed and can be paid with another card"),
                    "403": error("An administrator's request: only the order's customer can pay for it"),
                    "404": error("No such order, or not yours"),
                    "409": error("Already paid, a payment under way, or not payable (cancelled, refunded, expired), "
                                 "or nothing to pay"),
                    "503": error("Payment processing failed: the provider did not answer usably after the retries; "
                                 "nothing is recorded as paid, and before the order is paid again or cancelled the "
                                 "shop asks the provider what became of this attempt"),
                },
            }
        },
        "/api/orders/{order_id}/refund": {
            "post": {
                "summary": "Refund a paid order in full and return its stock (administrators only)",
                "security": BEARER,
                "parameters": [_ORDER_ID],
                "responses": {
                    "200": json_body(ref("Payment"), "Refunded by the provider; the order is refunded"),
                    "401": UNAUTHORIZED,
                    "403": error("Not an administrator"),
                    "404": error("No such order"),
                    "409": error("The order is not paid (not yet, or shipped, cancelled or refunded already)"),
                    "503": error("Refund processing failed: the provider did not confirm it; nothing changed"),
                },
            }
        },
    },
}
