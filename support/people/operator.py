"""The shop's operator: the authority arrangements are made with, and the figures she reads.

Her pass is an administrator's, signed with the shop's secret (support/door.py) for an account that is
not stored, so no arranging account ever shows in a listing or a count of users.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from support.wires.api_client import ShopApi

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
    def __init__(self, api: ShopApi, operator_pass: str):
        self._api = api
        self.token = operator_pass

    def figures(self) -> ShopFigures:
        """The shop's own counts. Read over HTTP, so they are the same in every mode; the reading itself
        sends no statement to the database (an administrator's pass needs no lookup)."""
        reply = self._api.send("GET", "/api/admin/figures", token=self.token)
        if reply.status != 200:
            raise AssertionError(f"the shop would not show its figures to its operator: {reply.describe()}")
        cache, database = reply.body["catalogueCache"], reply.body["database"]
        return ShopFigures(cache["hits"], cache["misses"], cache["unavailable"], database["statements"])

    def statements_during(self, action: Callable[[], T]) -> tuple[T, int]:
        """What the action returned, and how many SQL statements the shop's web process ran meanwhile."""
        before = self.figures()
        result = action()
        return result, self.figures().since(before)["statements"]
