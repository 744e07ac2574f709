"""Paying for orders and refunding them, as a scenario does it (over HTTP) or arranges it (over HTTP too).

A customer pays with a card token, which in real life the provider's payment form makes from the
card details; here the fake payment provider issues it, so the fake knows whose card it is charging.
"""
from __future__ import annotations

from support import rush
from support.rush import RushOutcome
from support.wires.api_client import Reply, ShopApi
from support.words import tallied


def pay(api: ShopApi, token: str | None, order_id: str, card: str) -> Reply:
    return api.pay_order(token, order_id, card)


def pay_each(api: ShopApi, token: str | None, order_ids: list[str], card: str) -> list[Reply]:
    """The orders paid one after another, each expected to go through (a refusal fails the step)."""
    replies = [api.pay_order(token, order_id, card) for order_id in order_ids]
    refused = [reply.describe() for reply in replies if reply.status != 200]
    assert not refused, (
        f"expected each payment accepted; {len(refused)} of {len(replies)} were not:{tallied(refused, per_line=True)}")
    return replies


def pay_at_once(api: ShopApi, who: str, token: str | None, order_id: str, card: str, times: int) -> RushOutcome:
    """The same payment sent `times` times at the same moment (a double click, a nervous customer)."""
    acts = [rush.Act(who, lambda client: client.pay_order(token, order_id, card)) for _ in range(times)]
    return rush.all_at_once(api, acts)


def refund(api: ShopApi, token: str | None, order_id: str) -> Reply:
    return api.refund_order(token, order_id)


def arrange_payment(api: ShopApi, token: str | None, order_id: str, card: str) -> None:
    """An order the customer has already paid when the scenario starts (the fake provider charges it)."""
    reply = api.pay_order(token, order_id, card)
    if reply.status != 200:
        raise AssertionError(f"could not arrange the payment of order {order_id}: {reply.describe()}")
