"""How a scenario's outcome counts for the run: retries (flaky, never silently green) and quarantine.

- `retries` (a setting; 0 locally, 1 in CI): a failed scenario runs again, from an empty world. If a
  later attempt passes it is *flaky*: Allure shows it flaky with its failed attempt under Retries, and
  the console summary lists it. The run passes.
- `@quarantine` with `@issue:<id>` and `@until:<YYYY-MM-DD>`: the scenario runs and is reported (its
  failure muted in Allure, with the issue), but its failure does not fail the run. A quarantine
  without an issue or a date, or past its date, fails the run, saying which and why.
"""
from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class QuarantineError(ValueError):
    pass


@dataclass(frozen=True)
class Quarantine:
    issue: str
    until: datetime.date


@dataclass
class ReportNote:
    """Read by the Allure formatter when the attempt's result is written."""
    attempt: int = 1
    first_failure: str = ""
    quarantine: Quarantine | None = None
    problem: str = ""


@dataclass
class RunLedger:
    flaky: list[str] = field(default_factory=list)
    quarantined_failures: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = []
        if self.flaky:
            lines += [f"FLAKY: {len(self.flaky)} scenario(s) failed, then passed on a retry (not green: fix them):",
                      *(f"  {item}" for item in self.flaky)]
        if self.quarantined_failures:
            lines += [f"QUARANTINED: {len(self.quarantined_failures)} scenario(s) failed without failing the run:",
                      *(f"  {item}" for item in self.quarantined_failures)]
        if self.problems:
            lines += ["QUARANTINE PROBLEMS (these fail the run):", *(f"  {item}" for item in self.problems)]
        return "\n".join(lines)


def quarantine_of(tags: list[str], today: datetime.date) -> Quarantine | None:
    if "quarantine" not in tags:
        return None
    issues = [t.partition(":")[2] for t in tags if t.startswith("issue:") and t.partition(":")[2]]
    dates = [t.partition(":")[2] for t in tags if t.startswith("until:")]
    if not issues or not dates:
        raise QuarantineError("@quarantine needs the issue that tracks the fix (@issue:<id>) and an expiry date "
                              f"(@until:<YYYY-MM-DD>); found the tags {' '.join('@' + t for t in tags)}")
    if not DATE.fullmatch(dates[0]):
        raise QuarantineError(f"@until:{dates[0]} is not a date like 2026-12-31")
    until = datetime.date.fromisoformat(dates[0])
    if until < today:
        raise QuarantineError(f"the quarantine (issue {issues[0]}) expired on {until}: fix the scenario, or "
                              "extend the date with a reason in the issue")
    return Quarantine(issues[0], until)


def prepare(feature, retries: int, ledger: RunLedger, today: datetime.date | None = None) -> None:
    """Wrap each scenario's run so its attempts and quarantine count as described above."""
    today = today or datetime.date.today()
    for scenario in feature.walk_scenarios():
        try:
            quarantine, problem = quarantine_of(list(scenario.effective_tags), today), ""
        except QuarantineError as error:
            quarantine, problem = None, str(error)
        scenario.run = functools.partial(_run, scenario, scenario.run, retries, quarantine, problem, ledger)


def _run(scenario, run, retries: int, quarantine: Quarantine | None, problem: str, ledger: RunLedger,
         *args, **kwargs) -> bool:
    where = f"{scenario.location}  {scenario.name}"
    first_failure = ""
    for attempt in range(1, retries + 2):
        scenario.report_note = ReportNote(attempt, first_failure, quarantine, problem)
        failed = run(*args, **kwargs)
        if not failed:
            if attempt > 1:
                ledger.flaky.append(f"{where} (passed on attempt {attempt}; first failure: {first_failure})")
            break
        first_failure = first_failure or failure_of(scenario)
    if problem:
        ledger.problems.append(f"{where}: {problem}")
        return True
    if failed and quarantine:
        ledger.quarantined_failures.append(f"{where} (issue {quarantine.issue}, until {quarantine.until})")
        return False
    return failed


def failure_of(scenario) -> str:
    for step in scenario.all_steps:
        if step.status.has_failed():
            message = (step.error_message or step.status.name).strip().splitlines()
            return f"{step.keyword} {step.name}: {message[-1] if message else ''}"
    return "a hook failed"
