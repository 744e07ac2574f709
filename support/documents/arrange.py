"""A customer getting at her receipt document through the shop: asking for a link, following it."""
from __future__ import annotations

import base64
import json

from support.wires.api_client import Download, Reply, ShopApi
from support.words import in_words

LINK_PATH = "/api/documents/"


def ask_for_receipt(api: ShopApi, token: str | None, order_id: str) -> Reply:
    return api.receipt_of(token, order_id)


def link_in(reply: Reply, who: str) -> str:
    """The download link the shop gave; fails the step, saying what came instead, when there is none."""
    link = reply.body.get("link") if reply.status == 200 and isinstance(reply.body, dict) else None
    assert link, f"expected the shop to give {who} a link to the receipt, it answered {reply.describe()}"
    return link


def download_receipt(api: ShopApi, token: str | None, order_id: str, who: str) -> Download:
    """Ask the shop for the receipt's link and follow it at once, as a customer clicking "download" does."""
    return api.download(link_in(ask_for_receipt(api, token, order_id), who))


def altered_link(link: str, order_id: str, other_order_id: str) -> str:
    """A link the shop gave for one order, edited by hand to name another, its signature left as it was.

    The shop's links are signed JSON web tokens; the edit is what a curious customer could do with one.
    """
    base, _, token = link.rpartition(LINK_PATH)
    header, claims, signature = token.split(".")
    named = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert named.get("order") == order_id, f"expected the link to name order {order_id}, it names {in_words(named)}"
    edited = base64.urlsafe_b64encode(json.dumps({**named, "order": other_order_id}).encode()).decode().rstrip("=")
    return f"{base}{LINK_PATH}{header}.{edited}.{signature}"
