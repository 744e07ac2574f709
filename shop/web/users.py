"""Routes for users and sign-in."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from shop.paging import PAGE
from shop.web.docs import (
    BAD_REQUEST,
    BEARER,
    EMAIL_ADDRESS,
    SOME_TEXT,
    UNAUTHORIZED,
    error,
    json_body,
    ref,
    request_body,
)
from shop.web.requests import caller, json_object, optional_caller, shop

blueprint = Blueprint("users", __name__)


@blueprint.post("/api/auth/login")
def login():
    body = json_object()
    return jsonify(shop().users.sign_in(body.get("email"), body.get("password"), request.remote_addr or "unknown"))


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


OPENAPI = {
    "schemas": {
        "User": {
            "type": "object",
            "required": ["id", "email", "name", "role", "createdAt"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "email": EMAIL_ADDRESS,
                "name": {"type": "string"},
                "role": {"enum": ["admin", "customer"]},
                "createdAt": {"type": "string", "format": "date-time"},
            },
            "additionalProperties": False,
        },
        "NewUser": {
            "type": "object",
            "required": ["email", "password", "name"],
            "properties": {
                "email": EMAIL_ADDRESS,
                "password": {
                    "type": "string", "minLength": 8, "maxLength": 72,
                    "description": "at least 8 characters with a letter and a digit; at most 72 bytes in UTF-8",
                },
                "name": {**SOME_TEXT, "maxLength": 200},
                "role": {"enum": ["admin", "customer"], "description": "admin only with an admin token"},
            },
        },
        "Credentials": {
            "type": "object",
            "required": ["email", "password"],
            "properties": {"email": {"type": "string", "minLength": 1}, "password": {"type": "string", "minLength": 1}},
        },
        "Session": {
            "type": "object",
            "required": ["token", "tokenType", "expiresAt", "user"],
            "properties": {
                "token": {"type": "string"},
                "tokenType": {"const": "Bearer"},
                "expiresAt": {"type": "string", "format": "date-time"},
                "user": ref("User"),
            },
            "additionalProperties": False,
        },
        "UserPage": {
            "type": "object",
            "required": ["data", "pagination"],
            "properties": {
                "data": {"type": "array", "items": ref("User")},
                "pagination": {
                    "type": "object",
                    "required": ["page", "limit", "total", "pages"],
                    "properties": {k: {"type": "integer"} for k in ("page", "limit", "total", "pages")},
                    "additionalProperties": False,
                },
            },
            "additionalProperties": False,
        },
    },
    "paths": {
        "/api/auth/login": {
            "post": {
                "summary": "Sign in with email and password",
                "requestBody": request_body("Credentials"),
                "responses": {
                    "200": json_body(ref("Session"), "Signed in"),
                    "400": BAD_REQUEST,
                    "401": error("Wrong email or password (never says which)"),
                    "429": error("Too many failed sign-ins for this email from this client address, or from this "
                                 "address on any account; try later"),
                },
            }
        },
        "/api/users": {
            "get": {
                "summary": "List users (administrators only)",
                "security": BEARER,
                "parameters": [
                    {"name": "page", "in": "query", "schema": PAGE},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "search", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": json_body(ref("UserPage"), "A page of users"),
                    "400": BAD_REQUEST,
                    "401": UNAUTHORIZED,
                    "403": error("Not an administrator"),
                },
            },
            "post": {
                "summary": "Sign up (or, for administrators, create any user)",
                "requestBody": request_body("NewUser"),
                "responses": {
                    "201": json_body(ref("User"), "Created"),
                    "400": BAD_REQUEST,
                    "401": UNAUTHORIZED,
                    "403": error("Only administrators create administrators"),
                    "409": error("Email already registered"),
                },
            },
        },
        "/api/users/{user_id}": {
            "get": {
                "summary": "Read a user (administrators: anyone; customers: themselves)",
                "security": BEARER,
                "parameters": [{"name": "user_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": json_body(ref("User"), "The user"),
                    "401": UNAUTHORIZED,
                    "403": error("A customer reading someone else"),
                    "404": error("No such user"),
                },
            }
        },
    },
}
