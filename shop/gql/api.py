"""Runs one GraphQL request: read it, parse, validate (with the size limits), execute, answer.

The schema is Ariadne's (schema-first, bound to resolvers); the run is graphql-core's own parse,
validate and execute, so that each stage can give its errors their own code and HTTP status, and so
that a caller's mistake (NOT_FOUND, BAD_USER_INPUT...) is not logged as a server error. Every error
is {message, locations, path, extensions.code}; an unexpected exception is logged here with its
traceback and reaches the client only as "Internal server error".
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ariadne import load_schema_from_path, make_executable_schema
from graphql import GraphQLError, execute_sync, parse, specified_rules, validate

from shop.errors import Conflict, Forbidden, InvalidInput, NotFound, ShopError, Unauthorized, Unavailable
from shop.gql import limits
from shop.gql.resolvers import BINDABLES, RequestContext

log = logging.getLogger(__name__)

SCHEMA_TEXT = load_schema_from_path(str(Path(__file__).with_name("schema.graphql")))
SCHEMA = make_executable_schema(SCHEMA_TEXT, *BINDABLES)

CODES = {
    InvalidInput: "BAD_USER_INPUT",
    Unauthorized: "UNAUTHENTICATED",
    Forbidden: "FORBIDDEN",
    NotFound: "NOT_FOUND",
    Conflict: "CONFLICT",
    Unavailable: "UNAVAILABLE",
}


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def refusal(message: str, code: str, status: int) -> Answer:
    return Answer(status, {"errors": [{"message": message, "extensions": {"code": code}}]})


UNAUTHENTICATED = refusal("Unauthorized", "UNAUTHENTICATED", 401)


def run(body: Any, context: RequestContext) -> Answer:
    request = _read(body)
    if isinstance(request, Answer):
        return request
    query, variables, operation_name = request
    if len(query) > limits.MAX_QUERY_LENGTH:
        return refusal(
            f"The query is {len(query):,} characters long; at most {limits.MAX_QUERY_LENGTH:,} are allowed",
            limits.LIMIT_CODE, 400,
        )
    try:
        document = parse(query, max_lexical_tokens=limits.MAX_TOKENS)
    except GraphQLError as error:
        return Answer(400, {"errors": [_formatted(error, "GRAPHQL_PARSE_FAILED")]})
    rule = limits.limits_rule(variables, may_introspect=bool(context.caller and context.caller.is_admin))
    problems = validate(SCHEMA, document, [*specified_rules, rule])
    if problems:
        return Answer(400, {"errors": [_formatted(e, "GRAPHQL_VALIDATION_FAILED") for e in problems]})
    result = execute_sync(
        SCHEMA, document, context_value=context, variable_values=variables, operation_name=operation_name
    )
    if result.data is None and result.errors and all(e.path is None for e in result.errors):
        # Nothing ran (no error belongs to a field): the variables do not fit the operation's types,
        # or no operation was chosen.
        return Answer(400, {"errors": [_formatted(e, "BAD_USER_INPUT") for e in result.errors]})
    answer: dict[str, Any] = {"data": result.data}
    if result.errors:
        answer["errors"] = [_execution_error(e) for e in result.errors]
    return Answer(200, answer)


def _read(body: Any) -> tuple[str, dict[str, Any] | None, str | None] | Answer:
    if not isinstance(body, dict) or not isinstance(body.get("query"), str) or not body["query"].strip():
        return refusal("The request must be a JSON object with the query as a string", "BAD_REQUEST", 400)
    variables, operation_name = body.get("variables"), body.get("operationName")
    if variables is not None and not isinstance(variables, dict):
        return refusal("variables must be a JSON object", "BAD_REQUEST", 400)
    if operation_name is not None and not isinstance(operation_name, str):
        return refusal("operationName must be a string", "BAD_REQUEST", 400)
    return body["query"], variables, operation_name


def _formatted(error: GraphQLError, code: str) -> dict[str, Any]:
    formatted = {"message": error.message}
    if error.locations:
        formatted["locations"] = [{"line": at.line, "column": at.column} for at in error.locations]
    if error.path:
        formatted["path"] = list(error.path)
    formatted["extensions"] = {"code": (error.extensions or {}).get("code", code)}
    return formatted


def _execution_error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    if isinstance(original, GraphQLError):
        original = None  # graphql-core's own, e.g. a value that does not fit its type: no server fault
    if isinstance(original, ShopError):
        code = next((code for kind, code in CODES.items() if isinstance(original, kind)), "BAD_REQUEST")
        formatted = _formatted(error, code)
        formatted["message"] = original.message
        if isinstance(original, InvalidInput) and original.errors:
            formatted["extensions"]["fields"] = original.errors
        return formatted
    if original is not None:
        log.error("GraphQL resolver failed at %s", error.path, exc_info=original)
        error = GraphQLError("Internal server error", error.nodes, path=error.path)
    return _formatted(error, "INTERNAL_SERVER_ERROR")
