"""`make acceptance WORKERS=n` then `make rerun`: the rerun file lists the failures of every worker.

The real parallel command (support/commands/parallel.py) runs two real behave workers on a tiny project
of its own (no servers) that uses the suite's rerun formatter: each worker fails a different scenario.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from support.commands import parallel
from support.reports import rerun
from tests.conftest import write_project

PROJECT = {
    "pyproject.toml": """
        [tool.behave]
        paths = ["features"]
        format = ["support.reports.rerun:ShopRerunFormatter"]
        outfiles = ["reports/rerun.txt"]
        """,
    "features/workers.feature": """
        Feature: Two workers

          Scenario: Worker one's failure
            Then this fails in worker 1

          Scenario: Worker two's failure
            Then this fails in worker 2

          @passing
          Scenario: The failure of a run without workers
            Then this fails in worker 0
        """,
    "features/steps/steps.py": """
        from behave import then

        @then("this fails in worker {worker}")
        def step_fails_in_worker(context, worker):
            assert context.config.userdata.get("worker_id", "0") != worker, f"worker {worker} fails here"
        """,
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_project(tmp_path, PROJECT, monkeypatch)
    return tmp_path


def test_the_rerun_file_lists_the_failures_of_every_worker(project):
    status, outcomes, _seconds = parallel.run(2, [])

    assert status == 1
    assert [len(outcome.failing) for outcome in outcomes] == [1, 1], [o.log for o in outcomes]
    assert rerun.locations(project / "reports/rerun.txt") == [
        "features/workers.feature:3", "features/workers.feature:6"]


def test_a_parallel_run_where_nothing_failed_leaves_no_rerun_file(project):
    (project / "reports/workers").mkdir(parents=True)
    (project / "reports/rerun.txt").write_text("features/workers.feature:3\n")  # a former run's
    (project / "reports/workers/w3.rerun.txt").write_text("features/workers.feature:6\n")  # with 3 workers

    status, outcomes, _seconds = parallel.run(2, ["--tags=@passing"])

    assert status == 0, [o.log for o in outcomes]
    assert not (project / "reports/rerun.txt").exists()  # `make rerun`: "Nothing failed in the last run"
    assert not list((project / "reports/workers").glob("*.rerun.txt"))


def test_merged_rerun_files_list_each_location_and_none_removes_the_file(tmp_path):
    worker = tmp_path / "w1.rerun.txt"
    worker.write_text("# -- RERUN: 1 failing scenarios during last test run.\nfeatures/a.feature:3\n\n")
    into = tmp_path / "rerun.txt"

    assert rerun.merge([worker, tmp_path / "w2.rerun.txt"], into) == ["features/a.feature:3"]
    assert rerun.locations(into) == ["features/a.feature:3"]
    assert rerun.merge([tmp_path / "w2.rerun.txt"], into) == []
    assert not into.exists()


def test_a_run_without_workers_writes_the_configured_rerun_file(project):
    run = subprocess.run([sys.executable, "-m", "behave"], capture_output=True, text=True, timeout=60, check=False)

    assert run.returncode == 1, run.stdout + run.stderr
    assert rerun.locations(project / "reports/rerun.txt") == ["features/workers.feature:10"]
    assert not (project / "reports/workers").exists()
