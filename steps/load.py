"""Steps for the catalogue under load: a crowd of customers, their answers and the shop's figures."""
from behave import given, then, when

from support.load import check


@given("{count:d} customers are signed in")
def step_impl(context, count):
    """This many customers are signed in, each with a pass of their own."""
    context.crowd = context.cast.enrol_buyers(count)


@when("they all browse the catalogue {times:d} times each at the same moment")
def step_impl(context, times):
    """The whole crowd browses the whole catalogue this many times each, at the same moment (answers timed)."""
    from support.load.crowd import browse_together  # gevent (25 ms to import): for the runs that load the shop

    context.pool_before = check.pool_figures(context.operator, context.api)
    context.load = browse_together(context.api.base_url, [p.token for p in context.crowd], times,
                                   check.whole_catalogue(context.catalogue.names()))
    context.pool_after = check.pool_figures(context.operator, context.api)
    check.attach(context.load, context.pool_before, context.pool_after)


@then("each of the {count:d} answers listed the whole catalogue, right")
def step_impl(context, count):
    """Checks each of this many answers listed the whole catalogue, correctly."""
    check.every_answer_right(context.load, count)


@then("95 % of the answers came within the load budget")
def step_impl(context):
    """Checks 95 % of the answers came within the load budget (the load_p95_ms setting)."""
    check.within_budget(context.load, context.settings.load_p95_ms * context.settings.timeout_multiplier)


@then("no request waited for a database connection")
def step_impl(context):
    """Checks no request had to wait for a database connection."""
    check.no_pool_waits(context.pool_before, context.pool_after)
