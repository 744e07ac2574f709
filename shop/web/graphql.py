"""The GraphQL endpoint: reads the pass and the JSON body, and hands both to shop/gql."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from shop.errors import InvalidInput, Unauthorized
from shop.gql import api
from shop.gql.resolvers import RequestContext
from shop.web.docs import BEARER, json_body, ref, request_body
from shop.web.json_input import parse_json
from shop.web.requests import caller, shop

blueprint = Blueprint("graphql", __name__)


@blueprint.post("/graphql")
def graphql():
    try:
        context = RequestContext(shop(), caller())
    except Unauthorized:
        answer = api.UNAUTHENTICATED
    else:
        try:
            body = parse_json(request.get_data(cache=False)) if request.mimetype == "application/json" else None
        except InvalidInput as refused:
            answer = api.refusal(refused.message, "BAD_REQUEST", 400)
        else:
            answer = api.run(body, context)
    return jsonify(answer.body), answer.status


_ERROR = {
    "type": "object",
    "required": ["message", "extensions"],
    "properties": {
        "message": {"type": "string"},
        "locations": {"type": "array", "items": {"type": "object"}},
        "path": {"type": "array", "items": {"type": ["string", "integer"]}},
        "extensions": {
            "type": "object",
            "required": ["code"],
            "properties": {
                "code": {
                    "enum": [
                        "UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT", "NOT_FOUND", "CONFLICT", "BAD_REQUEST",
                        "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "INTERNAL_SERVER_ERROR",
                        "UNAVAILABLE",
                    ]
                },
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}

OPENAPI = {
    "schemas": {
        "GraphQLRequest": {
            "type": "object",
            "required": ["query"],
            "properties": {
                "query": {"type": "string", "description": "A query or mutation of shop/gql/schema.graphql"},
                "variables": {"type": ["object", "null"]},
                "operationName": {"type": ["string", "null"]},
            },
        },
        "GraphQLError": _ERROR,
        "GraphQLResult": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {"type": ["object", "null"]},
                "errors": {"type": "array", "items": ref("GraphQLError")},
            },
            "additionalProperties": False,
        },
        "GraphQLRefusal": {
            "type": "object",
            "required": ["errors"],
            "properties": {"errors": {"type": "array", "minItems": 1, "items": ref("GraphQLError")}},
            "additionalProperties": False,
        },
    },
    "paths": {
        "/graphql": {
            "post": {
                "summary": "Run a GraphQL query or mutation (schema: shop/gql/schema.graphql)",
                "security": BEARER,
                "requestBody": request_body("GraphQLRequest"),
                "responses": {
                    "200": json_body(ref("GraphQLResult"), "Executed; field errors, if any, are in `errors`"),
                    "400": json_body(
                        ref("GraphQLRefusal"),
                        "Not executed: malformed request, syntax error, invalid or over-limit query, bad variables",
                    ),
                    "401": json_body(ref("GraphQLRefusal"), "Missing, malformed, expired or tampered token"),
                },
            }
        },
    },
}
