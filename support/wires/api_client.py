"""The suite's HTTP client for the shop: real requests, every exchange kept for the report.

Each scenario gets a fresh client; its exchanges are attached to the scenario's Allure result, and
every answer is checked against the shop's OpenAPI document as it arrives.
"""
from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

import requests

from support.watchdog import waiting_for
from support.wires.openapi_contract import ContractCheck
from support.words import in_words

TIMEOUT = (3.05, 10)
# The most of a body the report shows: a scenario that sends 50 MB (robustness.feature) wrote it whole into
# its step's page and its transcript, 105 MB of attachments masked character by character (4 s of CPU).
BODY_SHOWN = 64 * 1024


@dataclass
class Exchange:
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str
    status: int
    response_headers: dict[str, str]
    response_body: str
    seconds: float

    def as_text(self) -> str:
        def block(headers, body):
            lines = [f"{k}: {_redact(k, v)}" for k, v in headers.items()]
            return "\n".join(lines) + ("\n\n" + body if body else "")

        return (
            f"{self.method} {self.url}\n{block(self.request_headers, self.request_body)}\n\n"
            f"<- {self.status} in {self.seconds * 1000:.1f} ms\n{block(self.response_headers, self.response_body)}"
        )


def _shown(body: str) -> str:
    if len(body) <= BODY_SHOWN:
        return body
    return f"{body[:BODY_SHOWN]}\n... ({len(body):,} characters in all; the first {BODY_SHOWN:,} are shown)"


def _redact(name: str, value: str) -> str:
    if name.lower() == "authorization" and len(value) > 20:
        return value[:16] + "...(redacted)"
    return value


@dataclass
class Reply:
    """What the shop answered: status and JSON body (or None when the body is not JSON)."""

    status: int
    body: Any
    text: str

    @property
    def error(self) -> str | None:
        return self.body.get("error") if isinstance(self.body, dict) else None

    def describe(self) -> str:
        """The answer in words: the status and the shop's error (with its field problems), else the body as sent."""
        body = self.body
        if isinstance(body, dict) and isinstance(body.get("error"), str) and set(body) <= {"error", "errors"}:
            problems = body.get("errors") or {}
            named = "; ".join(f"{field}: {in_words(problem)}" for field, problem in problems.items()) \
                if isinstance(problems, dict) else in_words(problems)
            return f"{self.status} {body['error']}" + (f" ({named})" if problems else "")
        return f"{self.status} {self.text[:500]}"


@dataclass(frozen=True)
class Download:
    """What following a download link gave: the status, the file's type, name and bytes (or the error)."""

    status: int
    content_type: str
    disposition: str
    content: bytes
    body: Any  # the JSON error, when refused

    @property
    def error(self) -> str | None:
        return self.body.get("error") if isinstance(self.body, dict) else None

    def describe(self) -> str:
        readable = self.content_type.startswith(("text/", "application/json"))
        shown = f": {self.content[:300].decode(errors='replace')}" if readable and self.content else ""
        return f"{self.status} {self.content_type} {len(self.content)} bytes{shown}"


def _shown_body(response: requests.Response) -> str:
    """A downloaded file in the transcript: text as is (it is a receipt page), anything else by size."""
    if response.headers.get("Content-Type", "").startswith(("text/", "application/json")):
        return response.text
    return f"({len(response.content)} bytes of {response.headers.get('Content-Type', 'unknown type')})"


@dataclass
class ShopApi:
    base_url: str
    contract: ContractCheck | None = None
    exchanges: list[Exchange] = field(default_factory=list)

    def __post_init__(self):
        self._session = requests.Session()

    def send(
        self, method: str, path: str, *, token: str | None = None, body: Any = None,
        raw: str | bytes | None = None, content_type: str | None = None, params: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        headers = {"Accept": "application/json", **(headers or {})}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = raw
        if body is not None:
            data = json.dumps(body)
            content_type = content_type or "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        with waiting_for(f"the shop's answer to {method} {path}"):
            response = self._session.request(
                method, self.base_url + path, headers=headers, data=data, params=params, timeout=TIMEOUT
            )
        self._keep(response)
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
        reply = Reply(response.status_code, parsed, response.text)
        if self.contract is not None:
            self.contract.check(method, path, reply.status, parsed)
        return reply

    def _keep(self, response: requests.Response, body_shown: str | None = None) -> None:
        request = response.request
        body = request.body.decode(errors="replace") if isinstance(request.body, bytes) else (request.body or "")
        self.exchanges.append(
            Exchange(
                request.method, request.url, dict(request.headers), _shown(body), response.status_code,
                dict(response.headers), _shown(response.text if body_shown is None else body_shown),
                response.elapsed.total_seconds(),
            )
        )

    # The shop's operations, in the words the steps use.
    def sign_up(self, fields: dict[str, Any], token: str | None = None) -> Reply:
        return self.send("POST", "/api/users", body=fields, token=token)

    def sign_in(self, email: str, password: str, *, address: str | None = None) -> Reply:
        """`address`: the client address the shop's proxy reports (the suite's shop trusts one proxy hop)."""
        headers = {"X-Forwarded-For": address} if address else None
        return self.send("POST", "/api/auth/login", body={"email": email, "password": password}, headers=headers)

    def list_users(self, token: str | None, *, page=None, limit=None, search=None) -> Reply:
        params = {k: v for k, v in {"page": page, "limit": limit, "search": search}.items() if v is not None}
        return self.send("GET", "/api/users", token=token, params=params)

    def get_user(self, token: str | None, user_id: str) -> Reply:
        return self.send("GET", f"/api/users/{user_id}", token=token)

    def graphql(self, token: str | None, query: str, variables: dict[str, Any] | None = None) -> Reply:
        return self.send("POST", "/graphql", token=token, body={"query": query, "variables": variables or {}})

    def browse_products(self, token: str | None, *, page=None, limit=None, name=None) -> Reply:
        params = {k: v for k, v in {"page": page, "limit": limit, "name": name}.items() if v is not None}
        return self.send("GET", "/api/products", token=token, params=params)

    def create_product(self, token: str | None, fields: dict[str, Any]) -> Reply:
        return self.send("POST", "/api/products", token=token, body=fields)

    def change_product(self, token: str | None, sku: str, changes: dict[str, Any]) -> Reply:
        return self.send("PATCH", f"/api/products/{sku}", token=token, body=changes)

    def place_order(self, token: str | None, items: list[dict[str, Any]]) -> Reply:
        return self.send("POST", "/api/orders", token=token, body={"items": items})

    def get_order(self, token: str | None, order_id: str) -> Reply:
        return self.send("GET", f"/api/orders/{order_id}", token=token)

    def list_orders(self, token: str | None, *, page=None, limit=None) -> Reply:
        params = {k: v for k, v in {"page": page, "limit": limit}.items() if v is not None}
        return self.send("GET", "/api/orders", token=token, params=params)

    def cancel_order(self, token: str | None, order_id: str) -> Reply:
        return self.send("POST", f"/api/orders/{order_id}/cancel", token=token)

    def ship_order(self, token: str | None, order_id: str) -> Reply:
        return self.send("POST", f"/api/orders/{order_id}/ship", token=token)

    def pay_order(self, token: str | None, order_id: str, card_token: str) -> Reply:
        return self.send("POST", f"/api/orders/{order_id}/pay", token=token, body={"cardToken": card_token})

    def refund_order(self, token: str | None, order_id: str) -> Reply:
        return self.send("POST", f"/api/orders/{order_id}/refund", token=token)

    def receipt_of(self, token: str | None, order_id: str) -> Reply:
        return self.send("GET", f"/api/orders/{order_id}/receipt", token=token)

    def download(self, link: str) -> Download:
        """Follow a link the shop gave (no pass: the link is the permission), keeping the bytes as they came."""
        if not link.startswith(self.base_url + "/"):
            raise AssertionError(f"expected a link into the shop at {self.base_url}, got {link}")
        response = self._session.get(link, timeout=TIMEOUT)
        self._keep(response, body_shown=_shown_body(response))
        parsed = None
        if response.headers.get("Content-Type", "").startswith("application/json"):
            with contextlib.suppress(ValueError):
                parsed = response.json()
        if self.contract is not None:
            self.contract.check("GET", link[len(self.base_url):], response.status_code, parsed)
        return Download(response.status_code, response.headers.get("Content-Type", ""),
                        response.headers.get("Content-Disposition", ""), response.content, parsed)

    def fork(self) -> ShopApi:
        """A client for one of several parallel callers: its own connection, the same contract and transcript."""
        return ShopApi(self.base_url, self.contract, self.exchanges)

    def close(self) -> None:
        self._session.close()
