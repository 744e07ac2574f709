"""The shop's health, and its answers while a dependency is away (features/health.feature)."""
from behave import given, then, when

from support.health import check
from support.wires.database_outage import DatabaseOutage


@given("the shop cannot reach its database")
def step_database_away(context):
    """The shop cannot reach its database."""
    outage = DatabaseOutage(context.inspector.url)
    context.add_cleanup(outage.end)
    outage.begin()


@when("the shop can reach its database again")
def step_database_back(context):
    """The shop can reach its database again."""
    DatabaseOutage(context.inspector.url).end()


@when("the operator asks whether the shop is ready")
def step_ask_ready(context):
    """The operator asks the shop whether it is ready to serve."""
    context.reply = context.api.send("GET", "/api/health")


@then("the shop says it is {status:w}, with its database, cache and broker available")
def step_all_available(context, status):
    """Checks the shop says it is in this state, with its database, cache and broker all available."""
    check.expect_health(context.reply, status, unavailable=[])


@then("the shop says it is {status:w}, with its {dependency:w} unavailable")
def step_one_unavailable(context, status, dependency):
    """Checks the shop says it is in this state, with this one dependency unavailable."""
    check.expect_health(context.reply, status, unavailable=[dependency])


@then("it asks to be asked again in {seconds:d} seconds")
def step_retry_after(context, seconds):
    """Checks the answer asks to be asked again in this many seconds."""
    check.expect_retry_after(context.api.exchanges[-1], seconds)


@then("the answer names no address, port or error message")
def step_no_leak(context):
    """Checks the answer gives states only: no address, port or error message."""
    check.expect_nothing_but_states(context.reply)


@then("the shop says it is alive")
def step_alive(context):
    """Checks the shop says it is alive (its process answers)."""
    check.expect_alive(context.api.send("GET", "/api/health/live"))


@then("{pronoun:Pronoun} is told the shop is briefly unavailable and to try again in {seconds:d} seconds")
def step_briefly_unavailable(context, seconds, pronoun=None):
    """Checks the person was told the shop is briefly unavailable and to try again in this many seconds."""
    check.expect_briefly_unavailable(context.reply, context.api.exchanges[-1], seconds)
