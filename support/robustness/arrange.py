"""Requests no well-behaved client sends: the inputs a fuzzer found breaking the shop (issue 10).

Each function sends one kind of hostile input through the scenario's client (so the exchange is in
the report and the answer is checked against the OpenAPI document) and returns the shop's answer.
"""
from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import psycopg2

from support import builders
from support.posts import arrange as posts
from support.wires.api_client import Reply, ShopApi

NUL = "\x00"
JSON = "application/json"

LISTINGS = {"the catalogue": "/api/products", "her orders": "/api/orders", "his orders": "/api/orders",
            "the users": "/api/users"}



def ask_for_page(api: ShopApi, token: str | None, listing: str, page: int) -> Reply:
    if listing not in LISTINGS:
        raise KeyError(f"no listing is known as {listing!r}; known: {', '.join(LISTINGS)}")
    return api.send("GET", LISTINGS[listing], token=token, params={"page": str(page)})


def send_text(api: ShopApi, token: str | None, where: str, text: str) -> Reply:
    """`text` sent as the named piece of a request, everything else about the request being valid."""
    person = builders.person()
    senders = {
        "a catalogue search": lambda: api.browse_products(token, name=text),
        "a search of the users": lambda: api.list_users(token, search=text),
        "a new product's name": lambda: api.create_product(
            token, {"sku": builders.sku_for("Probe"), "name": text, "price": "1.00", "stock": 1}),
        "an order's SKU": lambda: api.place_order(token, [{"sku": text, "quantity": 1}]),
        "a sign-in email": lambda: api.sign_in(text, person.password),
        "a sign-up name": lambda: api.sign_up({**person.sign_up_fields(), "name": text}),
        "a post title": lambda: posts.publish(api, token, text, "Some words about it."),
    }
    if where not in senders:
        raise KeyError(f"no piece of a request is known as {where!r}; known: {', '.join(senders)}")
    return senders[where]()


def sign_up_with_password_of(api: ShopApi, length: int) -> Reply:
    return api.sign_up({**builders.person().sign_up_fields(), "password": ("a1" * length)[:length]})


def sign_up_with_lone_surrogate(api: ShopApi) -> Reply:
    """A sign-up whose name is JSON's escape for half of a UTF-16 surrogate pair: no character at all."""
    fields = builders.person().sign_up_fields()
    raw = json.dumps({**fields, "name": "@@"}).replace("@@", "Ann \\ud800")
    return api.send("POST", "/api/users", raw=raw, content_type=JSON)


def sign_up_padded(api: ShopApi, megabytes: int) -> Reply:
    """A valid sign-up carrying `megabytes` of padding in an extra field the shop would otherwise ignore."""
    fields = {**builders.person().sign_up_fields(), "padding": "x" * (megabytes * 1024 * 1024)}
    return api.send("POST", "/api/users", raw=json.dumps(fields).encode(), content_type=JSON)


# Every operation of the shop that reads a JSON body, by the name a scenario gives it.
JSON_REQUESTS = {
    "a sign-in": ("POST", "/api/auth/login"),
    "a sign-up": ("POST", "/api/users"),
    "a new product": ("POST", "/api/products"),
    "a product change": ("PATCH", "/api/products/KETTLE-1"),
    "an order": ("POST", "/api/orders"),
    "a payment": ("POST", f"/api/orders/{uuid.UUID(int=1)}/pay"),
    "a GraphQL query": ("POST", "/graphql"),
}


def send_nested(api: ShopApi, token: str | None, request: str, depth: int) -> Reply:
    """The named request with a body of `depth` nested arrays: [[[[...]]]]."""
    if request not in JSON_REQUESTS:
        raise KeyError(f"no request is known as {request!r}; known: {', '.join(JSON_REQUESTS)}")
    method, path = JSON_REQUESTS[request]
    return api.send(method, path, token=token, raw="[" * depth + "]" * depth, content_type=JSON)


def read_posts_after_marker(api: ShopApi, token: str | None, moment: str) -> Reply:
    """A page of posts after a page marker made up for `moment` (an ISO date-time): one the shop never gave."""
    marker = base64.urlsafe_b64encode(f"{moment}|{uuid.uuid4()}".encode()).decode()
    return api.graphql(token, posts.PAGE_OF_POSTS, {"first": 2, "after": marker})


def delete_account(database_url: str, user_id: str) -> None:
    """Arrangement: the account is gone (as an administrator's clean-up would leave it), its passes still out."""
    conn = psycopg2.connect(database_url, connect_timeout=5)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("DELETE FROM users WHERE id = %s", (user_id,))
    finally:
        conn.close()


def stored_counts(db: Any) -> dict[str, int]:
    """How many users, products, orders and posts are stored: compared before and after hostile input."""
    return {table: db.count(table) for table in ("users", "products", "orders", "posts")}
