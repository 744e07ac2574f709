"""The shop's operator: the authority arrangements are made with, and the figures she reads.

She is an administrator whose account is stored only while she acts (support/door.py), so no arranging
account ever shows in a listing or a count of users a scenario makes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from support.polling import eventually
from support.wires.api_client import Reply, ShopApi

T = TypeVar("T")


@dataclass(frozen=True)
class ShopFigures:
    """What the shop's web process has counted since it started (GET /api/admin/figures)."""

    hits: int
    misses: int
    unavailable: int
    statements: int
    requests_in_flight: int  # the requests it is answering now, besides the reading of these figures

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
        return ShopFigures(cache["hits"], cache["misses"], cache["unavailable"], database["statements"],
                           reply.body["requests"]["inFlight"] - 1)

    def await_requests_left_in_flight(self, timeout: float) -> str:
        """Wait (at most `timeout` seconds) until the shop answers no request but her reading of its figures,
        and say what was seen. A failed scenario may leave a request running (a step that timed out waiting
        for it); what it still writes (a catalogue entry in the cache, an event) must land before the next
        reset empties the world, not after it, where the next scenario would find it."""
        def none_in_flight() -> None:
            left = self.figures().requests_in_flight
            assert left == 0, f"{left} request(s) still in flight"

        try:
            eventually(none_in_flight, timeout=timeout, description="the shop to finish the scenario's requests")
        except AssertionError as still:
            return f"The next reset did not wait for them: {still}"
        except Exception as error:  # noqa: BLE001 - the scenario already failed; its report says why not
            return f"Not known (the shop's figures could not be read: {error})"
        return "None: the shop answers no request the scenario made"

    def statements_during(self, action: Callable[[], T]) -> tuple[T, int]:
        """What the action returned, and how many SQL statements the shop's web process ran meanwhile."""
        before = self.figures()
        result = action()
        return result, self.figures().since(before)["statements"]
