"""The shop's operator: the authority arrangements are made with, and the figures she reads.

She is an administrator whose account is stored only while she acts (support/door.py), so no arranging
account ever shows in a listing or a count of users a scenario makes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from support.wires.api_client import Reply, ShopApi

T = TypeVar("T")


@dataclass(frozen=True)
class ShopFigures:
    """What the shop's web process has counted since it started (GET /api/admin/figures)."""

    hits: int
    misses: int
    unavailable: int
    statements: int

    def since(self, before: ShopFigures) -> dict[str, int]:
        return {name: getattr(self, name) - getattr(before, name)
                for name in ("hits", "misses", "unavailable", "statements")}


class Operator:
    def __init__(self, api: ShopApi, account):
        self._api = api
        self._account = account

    def act(self, request: Callable[[str], Reply], doing: str, status: int = 200) -> Reply:
        """`request(her pass)` made while her account is there; the reply, which must have `status`."""
        with self._account.present() as token:
            reply = request(token)
        if reply.status != status:
            raise AssertionError(f"the operator could not {doing} to arrange the scenario: {reply.describe()}")
        return reply

    def figures(self) -> ShopFigures:
        """The shop's own counts. Read over HTTP, so they are the same in every mode; the reading itself
        sends no statement through the pool it counts (passes are checked over a pool of their own)."""
        reply = self.act(lambda token: self._api.send("GET", "/api/admin/figures", token=token),
                         "read the shop's figures")
        cache, database = reply.body["catalogueCache"], reply.body["database"]
        return ShopFigures(cache["hits"], cache["misses"], cache["unavailable"], database["statements"])

    def statements_during(self, action: Callable[[], T]) -> tuple[T, int]:
        """What the action returned, and how many SQL statements the shop's web process ran meanwhile."""
        before = self.figures()
        result = action()
        return result, self.figures().since(before)["statements"]
