"""The shop's published API description (its served OpenAPI document), read as a client would read it.

A client generated from the description must not send what the shop refuses, nor be unable to send
what it accepts; so the suite checks requests against the description, validating formats strictly
(jsonschema-rs, as schemathesis does: an internationalised address is `idn-email`, not `email`).
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from support import builders
from support.wires.api_client import Reply, ShopApi
from support.words import one_per_line


@dataclass(frozen=True)
class SentRequest:
    """A request as sent, with the operation it is for as the description names it."""

    method: str
    template: str
    body: Any
    reply: Reply


class ApiDescription:
    def __init__(self, document: dict[str, Any]):
        self.document = document

    @classmethod
    def served_by(cls, api: ShopApi) -> ApiDescription:
        reply = api.send("GET", "/api/openapi.json")
        assert reply.status == 200, f"expected the shop to serve its API description, it answered {reply.describe()}"
        return cls(reply.body)

    def request_problems(self, sent: SentRequest) -> list[str]:
        operation = self.document["paths"][sent.template][sent.method.lower()]
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        return self._problems(schema, sent.body)

    def response_problems(self, sent: SentRequest) -> list[str]:
        operation = self.document["paths"][sent.template][sent.method.lower()]
        answer = operation["responses"].get(str(sent.reply.status))
        if answer is None:
            return [f"status {sent.reply.status} is not described"]
        return self._problems(answer["content"]["application/json"]["schema"], sent.reply.body)

    def _problems(self, schema: dict[str, Any], instance: Any) -> list[str]:
        validator = jsonschema_rs.validator_for(
            {**schema, "components": self.document["components"]}, validate_formats=True
        )
        return [f"{'/'.join(map(str, e.instance_path)) or '$'}: {e.message}" for e in validator.iter_errors(instance)]


def _bodies(field: str) -> dict[str, tuple[str, str, str, dict[str, Any]]]:
    """(method, path, template, body) of each request a scenario names, with `field` empty."""
    person = builders.person()
    order = str(uuid.UUID(int=7))
    return {
        "a sign-up": ("POST", "/api/users", "/api/users", {**person.sign_up_fields(), field: ""}),
        "a new product": ("POST", "/api/products", "/api/products",
                          {"sku": builders.sku_for("Probe"), "name": "Probe", "price": "1.00", "stock": 1, field: ""}),
        "an order": ("POST", "/api/orders", "/api/orders", {"items": [{"sku": "", "quantity": 1}]}),
        "a sign-in": ("POST", "/api/auth/login", "/api/auth/login",
                      {"email": person.email, "password": "x1", field: ""}),
        "a payment": ("POST", f"/api/orders/{order}/pay", "/api/orders/{order_id}/pay", {"cardToken": ""}),
    }


# The field names a scenario uses, as the API spells them.
FIELDS = {"name": "name", "SKU": "sku", "email": "email", "card token": "cardToken"}


def send_with_empty(api: ShopApi, token: str | None, request: str, field: str) -> SentRequest:
    bodies = _bodies(FIELDS[field])
    if request not in bodies:
        raise KeyError(f"no request is known as {request!r}; known: {', '.join(bodies)}")
    method, path, template, body = bodies[request]
    return SentRequest(method, template, body, api.send(method, path, token=token, body=body))


def sign_up(api: ShopApi, email: str) -> SentRequest:
    body = {**builders.person().sign_up_fields(), "email": email}
    return SentRequest("POST", "/api/users", body, api.sign_up(body))


def expect_described_as_invalid(description: ApiDescription, sent: SentRequest) -> None:
    assert description.request_problems(sent), (
        f"expected the API description to say this {sent.method} {sent.template} is invalid, as the shop does; "
        f"it allows the body {json.dumps(sent.body)}"
    )


def expect_described_as_valid(description: ApiDescription, sent: SentRequest) -> None:
    problems = description.request_problems(sent) + description.response_problems(sent)
    assert not problems, (
        f"expected the API description to allow {sent.method} {sent.template} and the shop's answer, as the shop "
        f"does; it finds:{one_per_line(problems)}"
    )


def expect_refused_as_invalid(sent: SentRequest) -> None:
    assert sent.reply.status == 400, (
        f"expected the shop to refuse {sent.method} {sent.template} as invalid, it answered {sent.reply.describe()}"
    )
