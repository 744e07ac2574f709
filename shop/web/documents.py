"""Routes for a paid order's document (its receipt): a short-lived link for its customer, and the download."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, stream_with_context

from shop.web.docs import BEARER, UNAUTHORIZED, error, json_body, ref
from shop.web.requests import caller, shop

blueprint = Blueprint("documents", __name__)


@blueprint.get("/api/orders/<order_id>/receipt")
def receipt_link(order_id: str):
    return jsonify(shop().documents.link(order_id, caller(), request.host_url).as_json())


@blueprint.get("/api/documents/<token>")
def download(token: str):
    filename, document = shop().documents.open_link(token)
    return Response(
        stream_with_context(document.chunks), content_type=document.content_type,
        headers={"Content-Length": str(document.size), "Content-Disposition": f'attachment; filename="{filename}"',
                 "Cache-Control": "private, no-store"},
    )


OPENAPI = {
    "schemas": {
        "DocumentLink": {
            "type": "object",
            "required": ["orderId", "kind", "status", "contentType", "size"],
            "properties": {
                "orderId": {"type": "string", "format": "uuid"},
                "kind": {"enum": ["receipt"]},
                "status": {"enum": ["stored", "pending"],
                           "description": "pending: kept by the shop until storage takes it; no link yet"},
                "contentType": {"type": "string"},
                "size": {"type": "integer", "minimum": 1},
                "link": {"type": "string", "format": "uri", "description": "Only when stored: works until expiresAt"},
                "expiresAt": {"type": "string", "format": "date-time"},
            },
            "additionalProperties": False,
        },
    },
    "paths": {
        "/api/orders/{order_id}/receipt": {
            "get": {
                "summary": "A short-lived link to download a paid order's receipt: its customer or an administrator",
                "security": BEARER,
                "parameters": [{"name": "order_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": json_body(ref("DocumentLink"), "The receipt: a link while it is stored, or pending"),
                    "401": UNAUTHORIZED,
                    "404": error("No such order, or not yours: the two are not told apart"),
                    "409": error("The order is not paid, so it has no receipt"),
                },
            }
        },
        "/api/documents/{token}": {
            "get": {
                "summary": "Download the document a link names (the link is the permission; no pass needed)",
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "The document itself, as stored (e.g. text/html)",
                            "content": {"text/html": {"schema": {"type": "string"}}}},
                    "404": error("Not a link the shop made, or altered, or no such document"),
                    "410": error("The link has expired: ask for a new one"),
                    "503": error("Storage did not answer; the document is safe, try again shortly"),
                },
            }
        },
    },
}
