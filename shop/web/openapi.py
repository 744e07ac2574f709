"""The OpenAPI document of the shop's REST API, served at /api/openapi.json.

Kept true by tests/test_openapi.py (every route documented, nothing documented that is not routed)
and by the acceptance suite, which checks every answer it receives against the documented schema.
"""
from __future__ import annotations

from flask import Blueprint, jsonify

blueprint = Blueprint("openapi", __name__)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return _json(_ref("Error"), description)


_UNAUTHORIZED = _error("Missing, malformed, expired or tampered token")
_BAD_REQUEST = _error("Malformed JSON, wrong content type or invalid fields")

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Shop API", "version": "1.0.0"},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {"type": "string"},
                    "errors": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                "additionalProperties": False,
            },
            "User": {
                "type": "object",
                "required": ["id", "email", "name", "role", "createdAt"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "email": {"type": "string", "format": "email"},
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
                    "email": {"type": "string", "format": "email"},
                    "password": {"type": "string", "minLength": 8},
                    "name": {"type": "string"},
                    "role": {"enum": ["admin", "customer"], "description": "admin only with an admin token"},
                },
            },
            "Credentials": {
                "type": "object",
                "required": ["email", "password"],
                "properties": {"email": {"type": "string"}, "password": {"type": "string"}},
            },
            "Session": {
                "type": "object",
                "required": ["token", "tokenType", "expiresAt", "user"],
                "properties": {
                    "token": {"type": "string"},
                    "tokenType": {"const": "Bearer"},
                    "expiresAt": {"type": "string", "format": "date-time"},
                    "user": _ref("User"),
                },
                "additionalProperties": False,
            },
            "UserPage": {
                "type": "object",
                "required": ["data", "pagination"],
                "properties": {
                    "data": {"type": "array", "items": _ref("User")},
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
    },
    "paths": {
        "/api/auth/login": {
            "post": {
                "summary": "Sign in with email and password",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Credentials")}}},
                "responses": {
                    "200": _json(_ref("Session"), "Signed in"),
                    "400": _BAD_REQUEST,
                    "401": _error("Wrong email or password (never says which)"),
                    "429": _error("Too many failed sign-ins for this email; try later"),
                },
            }
        },
        "/api/users": {
            "get": {
                "summary": "List users (administrators only)",
                "security": [{"bearer": []}],
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "search", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": _json(_ref("UserPage"), "A page of users"),
                    "400": _BAD_REQUEST,
                    "401": _UNAUTHORIZED,
                    "403": _error("Not an administrator"),
                },
            },
            "post": {
                "summary": "Sign up (or, for administrators, create any user)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("NewUser")}}},
                "responses": {
                    "201": _json(_ref("User"), "Created"),
                    "400": _BAD_REQUEST,
                    "401": _UNAUTHORIZED,
                    "403": _error("Only administrators create administrators"),
                    "409": _error("Email already registered"),
                },
            },
        },
        "/api/users/{user_id}": {
            "get": {
                "summary": "Read a user (administrators: anyone; customers: themselves)",
                "security": [{"bearer": []}],
                "parameters": [{"name": "user_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": _json(_ref("User"), "The user"),
                    "401": _UNAUTHORIZED,
                    "403": _error("A customer reading someone else"),
                    "404": _error("No such user"),
                },
            }
        },
        "/api/health": {
            "get": {
                "summary": "Whether the shop and its database and cache answer",
                "responses": {
                    "200": _json({"type": "object"}, "Healthy"),
                    "503": _json({"type": "object"}, "A dependency does not answer"),
                },
            }
        },
        "/api/openapi.json": {
            "get": {"summary": "This document", "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")}}
        },
    },
}


@blueprint.get("/api/openapi.json")
def document():
    return jsonify(DOCUMENT)
