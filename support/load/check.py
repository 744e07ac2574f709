"""What a crowd's answers and the shop's pool figures must show, said in the product's words."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from support import reporting

if TYPE_CHECKING:  # the crowd (gevent) is imported by the runs that load the shop: see steps/load.py
    from support.load.crowd import LoadFigures


def pool_figures(operator, api) -> dict:
    """The web process's database pool figures (GET /api/admin/figures, as an administrator)."""
    reply = operator.act(lambda token: api.send("GET", "/api/admin/figures", token=token), "read the shop's figures")
    return dict(reply.body["database"])


def whole_catalogue(names: list[str]) -> Callable[[dict], str | None]:
    """A check of one answer: it lists exactly the scenario's products, in order of name."""
    expected = sorted(names, key=str.lower)

    def is_right(body: dict) -> str | None:
        seen = [item.get("name") for item in body.get("data", [])]
        total = body.get("pagination", {}).get("total")
        if total != len(expected) or seen != expected:
            return f"listed {total} products ({', '.join(map(str, seen[:3]))}...), expected all {len(expected)}"
        return None

    return is_right


def attach(figures: LoadFigures, before: dict, after: dict) -> None:
    waits = after.get("waits", 0) - before.get("waits", 0)
    reporting.attach_text("Load figures", "\n".join([
        figures.describe(),
        f"database pool: {after.get('size')} connections, peak in use {after.get('peak_in_use')}, "
        f"{waits} waits for a connection during the load ({after.get('waits')} since the shop started)",
    ]))


def every_answer_right(figures: LoadFigures, count: int) -> None:
    assert figures.requests == count, f"expected {count} answers, the crowd got {figures.requests}"
    if figures.errors:
        kinds = "; ".join(f"{n} x {problem}" for problem, n in Counter(figures.errors).most_common(5))
        raise AssertionError(f"{len(figures.errors)} of {figures.requests} answers were wrong or failed: {kinds}")


def within_budget(figures: LoadFigures, budget_ms: float) -> None:
    p95 = figures.percentile(0.95)
    assert p95 <= budget_ms, (
        f"95 % of the answers should come within {budget_ms:.0f} ms (load_p95_ms x timeout_multiplier); "
        f"they came within {p95:.0f} ms. {figures.describe()}"
    )


def no_pool_waits(before: dict, after: dict) -> None:
    waits = after.get("waits", 0) - before.get("waits", 0)
    assert waits == 0, (
        f"no request should wait for a database connection; {waits} did "
        f"(pool of {after.get('size')}, peak in use {after.get('peak_in_use')})"
    )
