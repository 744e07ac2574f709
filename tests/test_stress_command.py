"""`make stress` reads which scenarios failed from behave's own summary."""
from support.commands.stress import failed_scenarios

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
