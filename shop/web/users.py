"""Routes for users and sign-in."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from shop.web.requests import caller, json_object, optional_caller, shop

blueprint = Blueprint("users", __name__)


@blueprint.post("/api/auth/login")
def login():
    body = json_object()
    return jsonify(shop().users.sign_in(body.get("email"), body.get("password")))


@blueprint.post("/api/users")
def create_user():
    body = json_object()
    user = shop().users.register(body, optional_caller())
    return jsonify(user.as_json()), 201


@blueprint.get("/api/users")
def list_users():
    args = request.args
    page = shop().users.list(
        caller(), page=args.get("page", 1), limit=args.get("limit", 20), search=args.get("search")
    )
    return jsonify(
        {
            "data": [user.as_json() for user in page.items],
            "pagination": {"page": page.page, "limit": page.limit, "total": page.total, "pages": page.pages},
        }
    )


@blueprint.get("/api/users/<user_id>")
def get_user(user_id: str):
    return jsonify(shop().users.get(user_id, caller()).as_json())
