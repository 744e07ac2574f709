"""Fuzzing the shop's published API with schemathesis (features/fuzzing.feature)."""
from behave import then, when

from support import reporting
from support.fuzzing import check


def _fuzzer():
    """hypothesis and schemathesis take 0.4 s to import: paid by the runs (and workers) that fuzz, not by all."""
    from support.fuzzing import run

    return run


@when("a fuzzer sends generated requests to every operation of the published REST API, "
      "as {customer:Person} and as {admin:Person}")
def step_fuzz_rest(context, customer, admin):
    """A fuzzer sends generated requests to every operation of the published REST API, as both people."""
    passes = {customer: context.cast.token_of(customer), admin: context.cast.token_of(admin)}
    context.fuzzing = _fuzzer().fuzz_openapi(context.api.base_url, passes, context.settings.fuzz_cases,
                                             context.settings.seed)


@when("a fuzzer sends generated GraphQL queries and mutations, as {customer:Person} and as {admin:Person}")
def step_fuzz_graphql(context, customer, admin):
    """A fuzzer sends generated GraphQL queries and mutations, as both people."""
    passes = {customer: context.cast.token_of(customer), admin: context.cast.token_of(admin)}
    context.fuzzing = _fuzzer().fuzz_graphql(context.api.base_url, passes, passes[admin], context.settings.fuzz_cases,
                                       context.settings.seed)


@then("the shop answered every one within its published contract, never with a server error")
def step_no_findings(context):
    """Checks the shop answered every generated request as its published contract says, never with a server error."""
    reporting.attach_text("Fuzzing", context.fuzzing.describe())
    check.expect_no_findings(context.fuzzing)
