"""`make acceptance WORKERS=2` on a tiny project of its own (no servers): the real parallel command and two
real behave workers that claim scenarios as they go, with the suite's `Claims` wired into their hooks as
environment.py wires it. Every scenario runs once, in one worker; the summary and the JUnit files count
each once."""
from __future__ import annotations

import re

import pytest

from support.commands import parallel
from tests.conftest import write_project

SCENARIOS = 12
PROJECT = {
    "pyproject.toml": """
        [tool.behave]
        paths = ["features"]
        junit = true
        junit_directory = "reports/junit"
        """,
    "features/environment.py": """
        from support.shards import Claims, walk_order

        def before_all(context):
            folder = context.config.userdata.get("claims")
            context.claims = Claims(folder) if folder else None
            if context.claims:
                walk_order(context._runner.features, context.config.userdata.get("worker_id", ""))

        def before_feature(context, feature):
            if context.claims:
                context.claims.wrap(feature)

        def after_feature(context, feature):
            if context.claims:
                context.claims.drop_others(feature)
        """,
    "features/steps/steps.py": """
        import os
        from behave import then

        @then("scenario {name} runs")
        def step_runs(context, name):
            with open("ran.txt", "a") as ran:
                ran.write(f"{name} {context.config.userdata.get('worker_id')} {os.getpid()}\\n")
        """,
    "features/first.feature": "Feature: First\n" + "".join(
        f"  Scenario: number {n}\n    Then scenario {n} runs\n" for n in range(SCENARIOS // 2)),
    "features/second.feature": "Feature: Second\n  Scenario Outline: number <n>\n    Then scenario <n> runs\n"
                               "    Examples:\n      | n |\n" + "".join(
        f"      | {n} |\n" for n in range(SCENARIOS // 2, SCENARIOS)),
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_project(tmp_path, PROJECT, monkeypatch)
    return tmp_path


def test_two_workers_run_every_scenario_once_and_count_it_once(project):
    status, outcomes, _seconds = parallel.run(2, [])

    assert status == 0, [o.log for o in outcomes]
    ran = (project / "ran.txt").read_text().split("\n")[:-1]
    assert sorted(int(line.split()[0]) for line in ran) == list(range(SCENARIOS)), ran
    assert sum(o.counts["scenario"][0] for o in outcomes) == SCENARIOS
    assert sum(o.counts["scenario"][2] for o in outcomes) == 0  # nothing counted skipped for the other worker
    junit = sorted((project / "reports/junit").glob("*.xml"))
    cases = sum(len(re.findall("<testcase ", path.read_text())) for path in junit)
    assert cases == SCENARIOS and all(re.fullmatch(r"TESTS-\w+\.w[12]\.xml", p.name) for p in junit), junit
