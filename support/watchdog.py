"""No hang, ever: a step (or a scenario's setup and teardown) that makes no progress within its bounded
time fails, naming what it was doing and waiting for, with a dump of the shop's threads; the run goes on.

The bound is a setting (`step_timeout`, scaled by `timeout_multiplier`). It is enforced with SIGALRM in
the main thread, where behave runs steps and hooks: the alarm interrupts whatever the step is blocked in
(a socket read waiting for the shop's answer, a lock, a poll) by raising `StepTimeout` there. That is
not an AssertionError, so `eventually` does not mistake it for "not yet" and retry it.

A step doing long work that keeps moving (a fuzzer's requests, each answered) says so with
`made_progress()`, which restarts its clock: the bound is on a stretch without progress, not on the
step's whole length, so a busy machine or a large `fuzz_cases` does not fail a step that is advancing.

Also here: `Waits`, what the main thread is waiting for right now (`eventually` and the API client
say), so a timeout can say it; and `FailureStreak`, which notices several scenarios in a row failing
for the same cause, so a systemic break stops the run in a minute instead of an hour.
"""
from __future__ import annotations

import re
import signal
import sys
import threading
import traceback
from collections.abc import Callable

_waiting = threading.local()


class StepTimeout(Exception):
    """A step or hook exceeded its bounded time (deliberately not an AssertionError: see the module doc)."""


# -- what the main thread is waiting for ------------------------------------------------------------
class waiting_for:
    """`with waiting_for("the shop's answer to GET /api/products"):` records what is awaited meanwhile."""

    def __init__(self, what: str):
        self.what = what

    def __enter__(self):
        stack = getattr(_waiting, "stack", None)
        if stack is None:
            stack = _waiting.stack = []
        stack.append(self.what)
        return self

    def __exit__(self, *exc):
        _waiting.stack.pop()
        return False


def awaited() -> str:
    stack = getattr(_waiting, "stack", None)
    return " <- ".join(reversed(stack)) if stack else "nothing the suite knows of (the step's own code was running)"


# -- the shop's threads -----------------------------------------------------------------------------
def threads_of_this_process(frames_per_thread: int = 12) -> str:
    """Every thread of this process (the shop runs in it) with its innermost frames."""
    frames = sys._current_frames()
    lines = []
    for thread in threading.enumerate():
        frame = frames.get(thread.ident)
        if frame is None:
            continue
        stack = traceback.format_stack(frame)[-frames_per_thread:]
        lines.append(f"--- thread {thread.name} (daemon={thread.daemon}):")
        lines.extend(line.rstrip() for line in stack)
    return "\n".join(lines)


# -- the alarm --------------------------------------------------------------------------------------
_armed: Watchdog | None = None  # the watchdog whose clock runs now, if any


def made_progress() -> None:
    """The current step advanced (a request answered, say): its `step_timeout` starts again from now."""
    dog = _armed
    if dog is not None:
        dog.restart()


class Watchdog:
    def __init__(self, seconds: float, dump_threads: Callable[[], str] = threads_of_this_process):
        self.seconds = seconds  # already scaled by the timeout multiplier
        self._dump_threads = dump_threads
        self._doing = ""
        self._usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if self._usable and self.seconds > 0:
            signal.signal(signal.SIGALRM, self._on_alarm)

    def arm(self, doing: str) -> None:
        """From now, `doing` has `seconds` to finish (re-arming restarts the clock)."""
        global _armed
        self._doing = doing
        if self._usable and self.seconds > 0:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            _armed = self

    def restart(self) -> None:
        """What is being done made progress: it has `seconds` again from now."""
        if _armed is self:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def disarm(self) -> None:
        global _armed
        if self._usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if _armed is self:
                _armed = None

    def _on_alarm(self, signum, frame) -> None:
        message = (
            f"no progress within {self.seconds:.1f}s (step_timeout, scaled): {self._doing}\n"
            f"it was waiting for: {awaited()}\n"
            f"the shop's threads:\n{self._dump_threads()}"
        )
        raise StepTimeout(message)


# -- several failures in a row for the same cause ---------------------------------------------------
_ASIDE = re.compile(r"\([^)]*\)")
_VARYING = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27,}|0x[0-9a-f]+|\d+(\.\d+)?", re.IGNORECASE)


def cause_of(error_message: str | None) -> str:
    """A failure's cause: the exception's first line (not the traceback's frames), with what varies
    between scenarios (ids, numbers, times) taken out."""
    lines = [line for line in (error_message or "").splitlines()
             if line.strip() and not line.startswith(("Traceback", " "))]
    first = (lines[0] if lines else "no message").split("; last seen:")[0]  # what it saw varies; what it awaited not
    if "no progress within" in first:  # a hang: the step differs from scenario to scenario, what it awaited not
        first = "no progress; " + next((line for line in lines if line.startswith("it was waiting for")), "")
    return _VARYING.sub("#", _ASIDE.sub("", first))[:300]


class FailureStreak:
    """Counts scenarios failing one after another for the same cause; `limit` 0 never stops the run."""

    def __init__(self, limit: int):
        self.limit = limit
        self.cause: str | None = None
        self.count = 0

    def record(self, failed: bool, error_message: str | None = None) -> str | None:
        """After each scenario; returns why the run should stop, or None."""
        if not failed:
            self.cause, self.count = None, 0
            return None
        cause = cause_of(error_message)
        self.count = self.count + 1 if cause == self.cause else 1
        self.cause = cause
        if self.limit and self.count >= self.limit:
            return (f"{self.count} scenarios in a row failed for the same cause, so something is broken for "
                    f"every scenario; stopping the run early (setting stop_after_same_failures={self.limit}). "
                    f"The cause: {cause}")
        return None


#: behave's statuses of a scenario or step that did not pass.
FAILED = ("failed", "error", "hook_error", "cleanup_error")


def failure_of(scenario) -> str | None:
    """The message of the first thing that failed in a behave scenario (a step, else a hook)."""
    for step in scenario.all_steps:
        if step.status.name in FAILED and step.error_message:
            return step.error_message
    return getattr(scenario, "error_message", None) or ("a hook failed" if scenario.hook_failed else None)
