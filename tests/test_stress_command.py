"""`make stress` reads which scenarios failed from behave's own summary, and why from the run's Allure results."""
import json

from support.commands.stress import failed_scenarios, failure_messages

SUMMARY = """
Failing scenarios:
  features/orders.feature:12  An order takes its stock
  features/users.feature:8  An administrator pages through the users -- @1.2{TRAILING}

Errored scenarios:
  features/receipts.feature:47  A payment goes through while the email provider fails

3 features passed, 1 failed, 1 error, 0 skipped
""".replace("{TRAILING}", " ")  # behave ends an outline's row with a space


def test_failing_and_errored_scenarios_are_named_with_their_place():
    assert failed_scenarios(SUMMARY) == [
        "features/orders.feature:12  An order takes its stock",
        "features/users.feature:8  An administrator pages through the users -- @1.2",
        "features/receipts.feature:47  A payment goes through while the email provider fails",
    ]


def test_a_passing_run_names_none():
    assert failed_scenarios("10 features passed, 0 failed, 0 skipped\n") == []


def test_each_failed_scenario_s_message_is_read_from_the_allure_results(tmp_path):
    results = [
        {"name": "An order takes its stock", "status": "failed",
         "statusDetails": {"message": "AssertionError: expected 3 in stock\nsaw 5\nthird\nfourth", "trace": "..."}},
        {"name": "A payment goes through", "status": "broken",
         "statusDetails": {"message": "StepTimeout: no progress"}},
        {"name": "A listing", "status": "passed"},
    ]
    for number, result in enumerate(results):
        (tmp_path / f"{number}-result.json").write_text(json.dumps(result))
    (tmp_path / "x-attachment.txt").write_text("not a result")
    assert failure_messages(tmp_path) == {
        "An order takes its stock": "AssertionError: expected 3 in stock | saw 5 | third",
        "A payment goes through": "StepTimeout: no progress",
    }
