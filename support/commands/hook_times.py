"""Where a run's time outside the steps goes: behave, with every hook, the scenario teardowns and the
suite's per-scenario chores timed, printed after behave's own summary.

`make bench` runs its one-worker suite through this; it is also a command of its own:
    python -m support.commands.hook_times [behave arguments]
The wrappers cost microseconds per call; the figures are wall time, so on a busy machine they grow
with everything else.
"""
from __future__ import annotations

import collections
import sys
import time
from collections.abc import Callable

HEADING = "time outside the steps, by where it goes:"

_spent: dict[str, float] = collections.defaultdict(float)
_calls: dict[str, int] = collections.defaultdict(int)
# When the first timed call began and the last one ended: what lies before is the start-up, after is the end.
_span: list[float] = []


def _timed(owner, name: str, label: Callable[[tuple], str]) -> None:
    original = getattr(owner, name)

    def timed(self, *args, **kwargs):
        began = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            key, ended = label(args), time.perf_counter()
            _spent[key] += ended - began
            _calls[key] += 1
            _span[:] = [_span[0] if _span else began, ended]

    setattr(owner, name, timed)


def instrument() -> None:
    import behave.matchers
    import behave.runner

    from support.order_events.arrange import OrderEvents
    from support.reports.step_evidence import StepEvidence
    from support.storefront import evidence
    from support.storefront.browser import Browsers
    from support.wires.reset import WorldReset
    from support.wires.storage_inspector import StorageInspector

    _timed(behave.runner.ModelRunner, "run_hook", lambda args: f"hook {args[0]}")
    _timed(behave.runner.Context, "_do_cleanups", lambda args: "teardowns (fixtures' cleanup)")
    _timed(behave.matchers.Match, "run", lambda args: "steps")
    _timed(WorldReset, "reset", lambda args: "  of which: the reset")
    _timed(OrderEvents, "settle", lambda args: "  of which: the drain check (settle)")
    _timed(StepEvidence, "attach", lambda args: "  of which: each step's evidence")
    _timed(OrderEvents, "report", lambda args: "  of which: the scenario's order events report")
    _timed(StorageInspector, "report", lambda args: "  of which: the scenario's stored objects report")
    _timed(Browsers, "new_session", lambda args: "  of which: a @ui scenario's browser (the first launches Chromium)")
    # A module's function: its first argument (the browser session) stands where `self` does.
    _timed(evidence, "after_step", lambda args: "  of which: the storefront's console check and screenshots")


def report(wall: float, began: float | None = None) -> str:
    """The breakdown of a run of `wall` seconds; given when it `began` (perf_counter), the rest ("elsewhere")
    is split into the start-up, the end and what lies between the hooks and the steps."""
    steps = _spent.pop("steps", 0.0)
    _calls.pop("steps", None)
    lines = [HEADING, f"{wall:8.2f} s wall, {steps:.2f} s in steps, {wall - steps:.2f} s outside them"]
    accounted = sum(v for k, v in _spent.items() if not k.startswith("  "))
    for key, seconds in sorted(_spent.items(), key=lambda item: -item[1]):
        if seconds >= 0.01:
            lines.append(f"{seconds:8.2f} s {key} ({_calls[key]} calls, {seconds / _calls[key] * 1000:.1f} ms each)")
    elsewhere = wall - steps - accounted
    lines.append(f"{elsewhere:8.2f} s elsewhere (start-up, loading features and steps, the report "
                 f"formatters, shutting down)")
    if began is not None and _span:
        start_up, end = _span[0] - began, began + wall - _span[1]
        lines += [f"{start_up:8.2f} s   of which: the start-up (imports, loading the features and steps) before the "
                  f"first hook",
                  f"{end:8.2f} s   of which: the end, after the last hook (the reports' last files, shutting down)",
                  f"{elsewhere - start_up - end:8.2f} s   of which: between the hooks and the steps (behave's and the "
                  f"report formatters' own work)"]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    began = time.perf_counter()  # before behave and the suite are imported: start-up counts
    instrument()
    from behave.__main__ import main as behave_main

    try:
        status = behave_main(argv)
    finally:
        print("\n" + report(time.perf_counter() - began, began), file=sys.__stderr__)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
