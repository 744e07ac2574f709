"""The Allure report read as a person reads it: a run with one failing scenario, `make report`'s build,
then headless Chromium on the report people are told to open (from disk) and on the served one.

The run is tests/report_fixture (no servers needed) through the suite's own formatter and report build.
Screenshots land in reports/screenshots/ (CI keeps reports/).
"""
from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from support.reports.browser import chromium, screenshot
from support.reports.build import build
from tests.behave_runs import run_with_allure

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "report_fixture"


def run_fixture_suite(folder: Path, *args: str, tags="not @wip and not @expired") -> subprocess.CompletedProcess:
    return run_with_allure(folder, "--no-skipped", f"--tags={tags}", "-D", "retries=1",
                           "--junit", "--junit-directory", "junit", *args)


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report-run")
    shutil.copytree(FIXTURE / "features", folder / "features")
    run = run_fixture_suite(folder, "features")
    assert run.returncode == 1, f"the fixture run should fail on one scenario; it exited {run.returncode}:\n" \
                                f"{run.stdout}{run.stderr}"
    report = build(folder / "results", folder / "report", folder / "history.jsonl")
    return folder, report


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def wait_for(driver, css: str, contains: str = "", timeout: float = 90):
    def found(d):
        return [e for e in d.find_elements(By.CSS_SELECTOR, css) if contains in e.text] or False
    return WebDriverWait(driver, timeout).until(found, f"nothing matching {css} containing {contains!r}")


def open_page(driver, url: str) -> None:
    """A fresh load every time (the same file with another #fragment would not reload)."""
    driver.get("about:blank")
    driver.get(url)


def metadata_counts(driver) -> dict[str, str]:
    counts = {}
    for item in wait_for(driver, "[data-testid^='metadata-item-']"):
        name = item.get_attribute("data-testid").removeprefix("metadata-item-")
        counts[name] = item.find_element(By.CSS_SELECTOR, "[data-testid='metadata-value']").text
    return counts


def test_the_same_run_writes_junit_xml_with_the_failure(fixture_run):
    folder, _ = fixture_run
    suites = [ElementTree.parse(f).getroot() for f in sorted((folder / "junit").glob("*.xml"))]
    failures = sum(int(s.get("failures")) for s in suites)
    tests = sum(int(s.get("tests")) - int(s.get("skipped", 0)) for s in suites)
    assert (tests, failures) == (6, 2), f"JUnit XML: expected 6 tests run, 2 failing; found {tests} and {failures}"


def test_overview_from_disk_counts_the_failure(fixture_run, browser):
    _, report = fixture_run
    open_page(browser, report.single_file.as_uri())
    counts = metadata_counts(browser)
    shot = screenshot(browser, "report-overview")
    assert (counts.get("total"), counts.get("failed"), counts.get("passed"), counts.get("flaky")) == (
        "6", "2", "4", "1"), f"overview of {report.single_file}: expected 6 total, 2 failed, 4 passed of which " \
                             f"1 flaky (left-out scenarios hidden); found {counts} (see {shot})"


def test_failing_test_page_shows_the_failure_its_metadata_and_masked_evidence(fixture_run, browser):
    _, report = fixture_run
    open_page(browser, report.single_file.as_uri())
    wait_for(browser, "[data-testid='tree-leaf']", "A refund returns the money")[0].click()
    error = wait_for(browser, "[data-testid='test-result-error-message']")[0].text
    page = browser.find_element(By.TAG_NAME, "body").text
    screenshot(browser, "report-failing-test")
    assert "money back to Alice for order 7: expected 25.00, found 0.00" in error, f"error shown: {error!r}"
    for expected in ("Blocker", "Product defects", "issue 11", "Buying", "Checkout"):
        assert expected in page, f"failing test page: expected {expected!r} on it; found:\n{page[:1500]}"
    browser.find_element(By.CSS_SELECTOR, "[data-testid='test-result-tab-attachments']").click()
    attachments = wait_for(browser, "[data-testid='test-result-attachment']")
    names = [a.text.splitlines()[1] for a in attachments]
    assert names == ["HTTP exchanges", "Provider calls", "Order events"], f"attachments: found {names}"
    attachments[0].find_element(By.CSS_SELECTOR, "[data-testid='test-result-attachment-header']").click()
    opened = wait_for(browser, "[data-testid='test-result-attachment']", "POST /api/sign-in")[0].text
    screenshot(browser, "report-failing-test-attachment")
    assert "alice-secret-pw1" not in opened and "eyJzdWIi" not in opened, f"a secret is readable:\n{opened}"
    assert '"password": "••••••"' in opened and "Bearer ••••••" in opened, f"masks missing:\n{opened}"


def test_served_report_shows_the_same_counts(fixture_run, browser):
    _, report = fixture_run
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(report.served))
    handler.log_message = lambda *args: None
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            browser.get(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            counts = metadata_counts(browser)
        finally:
            server.shutdown()
    assert (counts.get("total"), counts.get("failed")) == ("6", "2"), f"served report: found {counts}"


def open_test(browser, report, name: str) -> str:
    open_page(browser, report.single_file.as_uri())
    wait_for(browser, "[data-testid='tree-leaf']", name)[0].click()
    wait_for(browser, "[data-testid='test-result-info-title']", name)
    return browser.find_element(By.TAG_NAME, "body").text


def test_a_scenario_that_passed_on_a_retry_is_flaky_with_its_failed_attempt_shown(fixture_run, browser):
    _, report = fixture_run
    page = open_test(browser, report, "The courier confirms on the second try")
    assert "\nFlaky\n" in page and "Category: Flaky (passed on a retry)" in page, f"flaky test page:\n{page[:1500]}"
    browser.find_element(By.CSS_SELECTOR, "[data-testid='test-result-tab-retries']").click()
    retries = wait_for(browser, "body", "Retry 1 of 1")[0].text
    screenshot(browser, "report-flaky-test-retries")
    assert "expected an answer, found none (first try)" in retries, f"the failed attempt is not shown:\n{retries}"


def test_a_quarantined_failure_is_reported_with_its_issue_and_date(fixture_run, browser):
    folder, report = fixture_run
    page = open_test(browser, report, "A parcel is tracked")
    assert "Quarantined until 2099-12-31 (issue 12)" in page and "issue 12" in page, f"page:\n{page[:1500]}"
    assert "Quarantined" in page.split("Category:")[1].splitlines()[0], "not in the Quarantined category"


def test_an_expired_quarantine_fails_the_run_saying_why(fixture_run):
    folder, _ = fixture_run
    run = run_fixture_suite(folder, "features/delivery.feature", tags="@expired")
    assert run.returncode == 1, f"an expired quarantine should fail the run; exit {run.returncode}"
    assert "the quarantine (issue 13) expired on 2020-01-31" in run.stderr, run.stdout + run.stderr


def test_a_new_run_replaces_the_last_runs_results_and_report(fixture_run, browser):
    folder, report = fixture_run
    again = run_fixture_suite(folder, "features/accounts.feature")
    assert again.returncode == 0, again.stdout + again.stderr
    rebuilt = build(folder / "results", folder / "report", folder / "history.jsonl")
    assert rebuilt.single_file == report.single_file, "the report moved: people would open a stale one"
    open_page(browser, rebuilt.single_file.as_uri())
    counts = metadata_counts(browser)
    assert (counts.get("total"), counts.get("failed")) == ("2", None), \
        f"after a passing run of 2 scenarios the report should show only them; found {counts}"
