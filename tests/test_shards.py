"""The shard split is deterministic, complete and balanced; the parallel runner merges what its workers say."""
import json
from pathlib import Path

import pytest
from behave.parser import parse_feature

from support import shards
from support.commands import merge_results
from support.commands.parallel import merged_summary, summarise
from support.settings import SettingsError, SuiteSettings

FEATURE = """
Feature: Orders
  Scenario: one
    Given x
  Scenario: two
    Given x
  Rule: Stock
    Scenario: three
      Given x
  Scenario Outline: four <n>
    Given x
    Examples:
      | n |
      | 1 |
      | 2 |
      | 3 |
"""


def _features():
    return [parse_feature(FEATURE, filename="features/orders.feature")]


def _names(features):
    return sorted(s.name for f in features for s in shards._scenarios(f))


def test_every_scenario_lands_in_exactly_one_share():
    everyone = _names(_features())
    seen = []
    for share in (1, 2, 3):
        features = _features()
        shards.keep_share(features, share, 3, {})
        seen += _names(features)
    assert sorted(seen) == everyone and len(everyone) == 6


def test_the_split_follows_recorded_durations_and_is_the_same_every_time():
    timings = {"a": 10.0, "b": 6.0, "c": 4.0, "d": 3.0, "e": 3.0}
    split = shards.assign(timings, timings, 2)
    assert split == shards.assign(list(reversed(list(timings))), timings, 2)
    loads = [sum(t for k, t in timings.items() if split[k] == share) for share in (1, 2)]
    assert loads == [13.0, 13.0]


def test_an_unknown_scenario_counts_as_the_median():
    split = shards.assign(["known-long", "known-short", "new"], {"known-long": 9.0, "known-short": 1.0}, 2)
    assert split["known-long"] != split["new"]


def test_a_share_that_keeps_nothing_of_a_feature_drops_the_feature():
    features = _features()
    kept = shards.keep_share(features, 7, 7, {})
    assert kept == 0 and features == []


def test_rules_and_outlines_keep_only_their_share():
    features = _features()
    everyone = _names(_features())
    timings = {shards.scenario_key("features/orders.feature", name): 1.0 for name in everyone}
    timings[shards.scenario_key("features/orders.feature", "three")] = 100.0
    kept = shards.keep_share(features, 1, 2, timings)
    assert _names(features) == ["three"] and kept == 1


def test_a_scenario_this_run_skips_weighs_nothing_in_the_balance():
    """'three' took 100 s where it runs; where it is skipped, the other five (1 s each) split 3 and 2 over the
    two shares with it, not five against it."""
    everyone = _names(_features())
    timings = {shards.scenario_key("features/orders.feature", name): 1.0 for name in everyone}
    timings[shards.scenario_key("features/orders.feature", "three")] = 100.0
    counts = []
    for share in (1, 2):
        features = _features()
        shards.keep_share(features, share, 2, timings, skipped=lambda scenario: scenario.name == "three")
        counts.append(len([name for name in _names(features) if name != "three"]))
    assert sorted(counts) == [2, 3], counts


def test_even_numbered_workers_walk_the_features_from_the_last_one():
    orders = {}
    for worker in ("1", "2", "3", "4", ""):
        features = ["abuse", "orders", "storefront"]
        shards.walk_order(features, worker)
        orders[worker] = features
    assert orders["1"] == orders["3"] == orders[""] == ["abuse", "orders", "storefront"]
    assert orders["2"] == orders["4"] == ["storefront", "orders", "abuse"]


def test_the_timing_file_that_make_timings_wrote_is_read_back(tmp_path):
    path = tmp_path / "timings.json"
    path.write_text(json.dumps({"features/a.feature :: x": 1.5}))
    assert shards.load_timings(path) == {"features/a.feature :: x": 1.5}
    path.write_text("{not json")
    with pytest.raises(ValueError, match="run 'make timings' again"):
        shards.load_timings(path)


def test_the_committed_timing_file_names_scenarios_that_exist():
    timings = shards.load_timings()
    assert timings, "support/shard_timings.json is missing or empty: run 'make timings'"
    assert all(" :: " in key and key.startswith("features/") for key in timings)


@pytest.mark.parametrize("bad", ["0/2", "3/2", "two", "1/0"])
def test_a_bad_shard_is_named(bad):
    with pytest.raises(SettingsError, match="shard must be k/n"):
        SuiteSettings.from_sources({"shard": bad}, {})


def test_worker_names_cannot_nest_in_each_other():
    base = SuiteSettings.from_sources({}, {})
    worker = SuiteSettings.from_sources({"worker_id": "1"}, {})
    assert worker.database_url.endswith("/shop_acceptance_w1")
    assert worker.amqp_namespace == "shop-acceptance.w1"
    assert worker.key_prefix == "shop-acceptance.w1:"
    assert not worker.key_prefix.startswith(base.key_prefix), "the base run's reset would wipe the worker's keys"


@pytest.mark.parametrize("prefix", ["a:w1:", "shop", "a b:", ""])
def test_a_key_prefix_that_could_contain_another_runs_keys_is_refused(prefix):
    with pytest.raises(SettingsError, match="key_prefix must be one name and a colon"):
        SuiteSettings(key_prefix=prefix).validate()


def test_the_parallel_summary_adds_up_its_workers_and_lists_every_failure():
    one = summarise(1, 0, 3.0, "2 features passed, 0 failed, 0 skipped\n10 scenarios passed, 0 failed, 0 skipped\n"
                               "40 steps passed, 0 failed, 0 skipped, 0 undefined\n")
    two = summarise(2, 1, 3.0, "Failing scenarios:\n  features/orders.feature:12  Ordering\n\n"
                               "1 feature passed, 1 failed, 0 skipped\n8 scenarios passed, 1 failed, 2 skipped\n"
                               "30 steps passed, 1 failed, 3 skipped\n")
    text = merged_summary([one, two])
    assert "18 scenarios passed, 1 failed, 2 skipped" in text
    assert "feature shares passed" in text and "skipped where that worker ran none of it" in text
    assert "70 steps passed, 1 failed, 3 skipped" in text
    assert "features/orders.feature:12  Ordering" in text


def test_a_worker_that_died_without_a_failing_scenario_is_shown_with_its_last_lines():
    dead = summarise(2, 1, 0.5, "The suite cannot start:\nPostgreSQL did not answer\n")
    assert "worker 2 ended with exit code 1" in merged_summary([dead])
    assert "PostgreSQL did not answer" in merged_summary([dead])


def _result(folder, name):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}-result.json").write_text(json.dumps({"name": name, "status": "passed"}))


def test_merging_shards_keeps_every_result_once_and_one_set_of_run_facts(tmp_path):
    one, two, into = tmp_path / "shard-1", tmp_path / "shard-2", tmp_path / "merged"
    _result(one, "a")
    _result(one, "b")
    _result(two, "c")
    for folder, stack in ((one, "external"), (two, "docker")):
        (folder / "environment.properties").write_text(f"stack={stack}\n")
    counts = merge_results.merge([one, two], into)
    assert counts == {str(one): 2, str(two): 1}
    assert sorted(p.name for p in into.glob("*-result.json")) == ["a-result.json", "b-result.json", "c-result.json"]
    assert (into / "environment.properties").read_text() == "stack=docker\n"


def test_merging_the_same_shard_twice_is_refused(tmp_path):
    one, copy = tmp_path / "shard-1", tmp_path / "shard-1-again"
    _result(one, "a")
    _result(copy, "a")
    with pytest.raises(FileExistsError, match="both .*shard-1 and .*shard-1-again"):
        merge_results.merge([one, copy], tmp_path / "merged")


def test_results_already_in_the_target_are_neither_mixed_in_nor_deleted(tmp_path):
    """A local run's results in reports/allure-results: the merge refuses, saying so, and keeps them."""
    one, into = tmp_path / "shard-1", tmp_path / "merged"
    _result(one, "a")
    _result(into, "local")
    with pytest.raises(FileExistsError, match="already holds 1 files .1 scenario results"):
        merge_results.merge([one], into)
    assert sorted(p.name for p in into.iterdir()) == ["local-result.json"]


def test_a_missing_shard_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="shard-9"):
        merge_results.merge([tmp_path / "shard-9"], tmp_path / "merged")


def test_the_ci_examples_are_valid_yaml_and_pass_the_shard_setting():
    import yaml

    github = yaml.safe_load(Path("docs/ci/github-actions.yml").read_text())
    assert github["jobs"]["shard"]["strategy"]["matrix"]["shard"] == [1, 2, 3, 4]
    assert "shard=${{ matrix.shard }}/4" in str(github["jobs"]["shard"]["steps"])
    gitlab = yaml.safe_load(Path("docs/ci/gitlab-ci.yml").read_text())
    assert gitlab["acceptance"]["parallel"] == 4
    assert "shard=${CI_NODE_INDEX}/${CI_NODE_TOTAL}" in str(gitlab["acceptance"]["script"])
    assert "make merge-results" in str(gitlab["report"]["script"]) + str(github["jobs"]["report"]["steps"])


def test_a_skipped_scenario_keeps_its_recorded_duration(tmp_path):
    from types import SimpleNamespace

    from support.shards import ScenarioTimings

    def scenario(name, status, duration):
        return SimpleNamespace(filename="features/a.feature", name=name, status=SimpleNamespace(name=status),
                               duration=duration)

    path = tmp_path / "timings.json"
    path.write_text(json.dumps({"features/a.feature :: load": 4.4, "features/a.feature :: gone": 1.0,
                                "features/a.feature :: ran": 9.0}))
    timings = ScenarioTimings()
    for item in (scenario("load", "skipped", 0.0), scenario("ran", "passed", 0.5), scenario("new", "skipped", 0.0)):
        timings.record(item)
    timings.write(str(path))
    assert json.loads(path.read_text()) == {"features/a.feature :: load": 4.4, "features/a.feature :: ran": 0.5}


TWINS = FEATURE + """
  Scenario: one
    Given x
"""


def test_workers_claiming_as_they_go_run_every_scenario_once_and_report_only_their_own(tmp_path):
    ran = []
    workers = []
    for name in ("w1", "w2"):
        feature = parse_feature(TWINS, filename="features/orders.feature")
        for scenario in feature.walk_scenarios():
            scenario.run = lambda runner, scenario=scenario, name=name: ran.append((name, scenario.name)) or False
        claims = shards.Claims(tmp_path / "claims")
        claims.wrap(feature)
        workers.append((name, feature, claims, list(feature.walk_scenarios())))
    everyone = [s.name for s in workers[0][3]]
    assert everyone.count("one") == 2 and len(everyone) == 7  # two scenarios of one name are two scenarios
    # Both walk the same scenarios in the same order; w2 is a step behind, then catches up.
    for index in range(len(everyone)):
        for _name, _feature, _claims, scenarios in (workers if index % 3 else reversed(workers)):
            scenarios[index].run(None)
    assert sorted(name for _, name in ran) == sorted(everyone)
    assert {worker for worker, _ in ran} == {"w1", "w2"}
    for name, feature, claims, _ in workers:
        claims.drop_others(feature)
        assert sorted(s.name for s in feature.walk_scenarios()) == sorted(n for w, n in ran if w == name)


def test_a_scenario_claimed_elsewhere_does_not_start_here(tmp_path):
    feature = parse_feature(FEATURE, filename="features/orders.feature")
    started = []
    for scenario in feature.walk_scenarios():
        scenario.run = lambda runner, scenario=scenario: started.append(scenario.name) or False
    claims = shards.Claims(tmp_path)
    claims.wrap(feature)
    elsewhere = shards.Claims(tmp_path)
    assert elsewhere.take(shards.scenario_key("features/orders.feature", "two") + " #1")
    for scenario in feature.walk_scenarios():
        scenario.run(None)
    assert "two" not in started and len(started) == 5


def test_each_workers_junit_files_are_gathered_apart(tmp_path):
    from support.commands.parallel import gather_junit

    for worker, tests in ((1, 2), (2, 0)):
        (tmp_path / f"w{worker}").mkdir()
        (tmp_path / f"w{worker}" / "TESTS-orders.xml").write_text(f'<testsuite name="orders" tests="{tests}"/>')
    (tmp_path / "w2" / "TESTS-users.xml").write_text('<testsuite name="users" tests="1"/>')
    gather_junit(2, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["TESTS-orders.w1.xml", "TESTS-users.w2.xml"]
