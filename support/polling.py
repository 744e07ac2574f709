"""The suite's one way of waiting for something asynchronous: retry a check until a deadline.

This is the only module in the suite allowed to sleep; everything else waits through `eventually`.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from support.watchdog import waiting_for

T = TypeVar("T")

#: Errors that mean "not yet": the check is retried. Anything else is a bug and propagates at once.
RETRIED = (AssertionError, ConnectionError, OSError)

# Multiplies every deadline; set from the suite's `timeout_multiplier` setting for slow machines.
_multiplier = 1.0


def set_timeout_multiplier(value: float) -> None:
    global _multiplier
    if value <= 0:
        raise ValueError(f"timeout multiplier must be positive, got {value}")
    _multiplier = value


def scaled(seconds: float) -> float:
    """A timeout scaled by the suite's multiplier."""
    return seconds * _multiplier


def eventually(check: Callable[[], T], *, timeout: float, interval: float = 0.05, description: str) -> T:
    """Call `check` until it returns without raising a retried error; return what it returned.

    On timeout, raise AssertionError naming what was awaited, how long, and the last mismatch seen.
    """
    with waiting_for(description):
        return _retry_until(check, scaled(timeout), interval, description)


# The first retry comes this soon, and each wait after doubles up to the caller's interval: most of what the
# suite waits for (a probe through the worker, an event relayed) is there a few milliseconds later, and a
# flat 10 ms interval made each such wait last 10 ms; something slow costs only a few more checks.
FIRST_RETRY = 0.001


def _retry_until(check: Callable[[], T], timeout: float, interval: float, description: str) -> T:
    deadline = time.monotonic() + timeout
    attempts = 0
    wait = min(FIRST_RETRY, interval)
    while True:
        attempts += 1
        try:
            return check()
        except RETRIED as error:
            last = error
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(
                f"gave up waiting for {description} after {timeout:.1f}s ({attempts} attempts); "
                f"last seen: {last}"
            ) from last
        time.sleep(min(wait, remaining))
        wait = min(wait * 2, interval)


def pause(seconds: float, *, why: str) -> None:
    """Hold still on purpose, e.g. a fake third party answering slowly. Not for waiting on the shop:
    that is `eventually`'s job. `why` is for the reader (and a debugger)."""
    time.sleep(seconds)
