"""A retried scenario's attempts in the Allure results: the retry starts after the attempt before it, even
when both ran within one millisecond, so Allure shows the retry's outcome and keeps the first attempt
under Retries (it orders a scenario's attempts by their start, then by which file it read first)."""
from __future__ import annotations

import shutil

from tests.behave_runs import ROOT, allure_results, run_with_allure

# behave with the Allure clock stopped: every attempt starts and stops in the same millisecond.
FROZEN_CLOCK = """
import sys
import allure_behave.listener, support.reports.formatter
allure_behave.listener.now = support.reports.formatter.now = lambda: 1_800_000_000_000
from behave.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_retry_that_ran_in_the_same_millisecond_still_starts_after_the_attempt_before_it(tmp_path):
    fixture = ROOT / "tests" / "report_fixture" / "features"  # its steps, and its hooks that retry
    shutil.copytree(fixture / "steps", tmp_path / "features" / "steps")
    shutil.copy(fixture / "environment.py", tmp_path / "features")
    (tmp_path / "features" / "delivery.feature").write_text(
        "Feature: Delivery\n\n"
        "  Scenario: The courier confirms on the second try\n"
        "    Given the courier answers only on the second try\n"
        "    Then the delivery is confirmed\n", encoding="utf-8")
    run = run_with_allure(tmp_path, "-D", "retries=1", "--no-junit", "features", python=("-c", FROZEN_CLOCK))
    assert run.returncode == 0, f"the scenario should pass on its retry:\n{run.stdout}{run.stderr}"
    attempts = sorted(allure_results(tmp_path), key=lambda result: result["start"])
    assert [(a["name"], a["status"]) for a in attempts] == [
        ("The courier confirms on the second try", "failed"), ("The courier confirms on the second try", "passed")]
    first, retry = attempts
    assert first["start"] == 1_800_000_000_000, "the clock was not stopped: this test proves nothing"
    assert retry["start"] > first["start"], f"both attempts start at {first['start']}: Allure may show either"
    assert retry["stop"] >= retry["start"]
