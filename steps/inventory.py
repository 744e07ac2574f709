"""Many customers at the same moment: buying the last units, crossing baskets, cancelling twice."""
from behave import given, then, when

from support import reporting, rush
from support.orders import check as expect
from support.step_types import table_rows


@given("{count:d} customers are signed in and ready to buy")
def step_buyers(context, count):
    """This many customers are signed in and ready to buy."""
    context.buyers = context.cast.enrol_buyers(count)


@when("each of them orders {quantity:Quantity} {product} at the same moment")
def step_all_order(context, quantity, product):
    """Each of those customers orders this quantity of the product, all at the same moment."""
    basket = context.catalogue.items([(product, quantity)])
    context.rush = rush.all_at_once(context.api, rush.orders(context.buyers, [basket]))
    reporting.attach_text("Concurrent orders", context.rush.describe())


@when("each of them orders at the same moment, every second one listing the products the other way round")
def step_all_order_crossed(context):
    """Each customer orders the table's products at the same moment, every second one in reverse order."""
    basket = context.orders.items_from_rows(table_rows(context.table))
    context.rush = rush.all_at_once(context.api, rush.orders(context.buyers, [basket, basket[::-1]]))
    reporting.attach_text("Concurrent orders", context.rush.describe())


@when("{person:Person} cancels that order {times:d} times at the same moment")
def step_cancel_many_times(context, person, times):
    """The person cancels their latest order this many times at the same moment."""
    acts = rush.cancellations(person, context.cast.token_of(person), context.orders.last_of(person), times)
    context.rush = rush.all_at_once(context.api, acts)
    reporting.attach_text("Concurrent cancellations", context.rush.describe())


@then("at least half of their orders were under way at the same instant")
def step_overlapped(context):
    """Checks at least half of the orders were under way at the same instant (the rush was real)."""
    expect.expect_overlap(context.rush, at_least=len(context.rush.attempts) // 2)


@then("exactly {count:d} of their orders are accepted")
@then("exactly {count:d} of the cancellations is accepted")
def step_exactly_accepted(context, count):
    """Checks exactly this many of the simultaneous orders or cancellations were accepted."""
    expect.expect_accepted_count(context.rush, count)


@then("every other order is refused because there is not enough stock of {product}")
def step_others_short(context, product):
    """Checks every other order was refused because there is not enough stock of the product."""
    expect.expect_others_refused(context.rush, 409, f"Insufficient inventory for {context.catalogue[product].sku}")


@then("the others are refused because {reason}")
def step_other_cancellation_refused(context, reason):
    """Checks the other cancellations were refused for this reason."""
    expect.expect_others_refused(context.rush, *expect.REFUSALS[reason])


@then("the {product} in stored orders and the {same} left add up to {stock:Quantity}")
def step_conservation(context, product, same, stock):
    """Checks the product's units in stored orders plus the units left in stock add up to this number."""
    expect.expect_sold_and_left(context.inspector, context.catalogue, product, stock)
