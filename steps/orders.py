"""Orders: placing them, reading and listing them, cancelling them, and what they did to the stock."""
from behave import given, then, when

from support.order_events.check import expect_nothing_announced
from support.orders import check as expect
from support.orders import expiry
from support.orders.arrange import lines_from_rows
from support.people.check import expect_error
from support.reporting import attach_text
from support.step_types import table_rows


@given("{person:Person} has ordered")
def step_has_ordered_table(context, person):
    """The person has already placed an order with the lines in the table (product, quantity)."""
    context.orders.arrange(person, lines_from_rows(table_rows(context.table)))


@given("{person:Person} has ordered {quantity:Quantity} {product}")
def step_has_ordered(context, person, quantity, product):
    """The person has already placed an order for this quantity of the product."""
    context.orders.arrange(person, [(product, quantity)])


@given("that order has been shipped")
def step_shipped(context):
    """The latest order has already been shipped."""
    context.orders.arrange_shipping(context.orders.last())


@given("that order has been cancelled")
def step_cancelled(context):
    """The latest order has already been cancelled."""
    context.orders.arrange_cancellation(context.orders.last())


@when("{person:Person} orders")
def step_orders_table(context, person):
    """The person places an order with the lines in the table (product, quantity)."""
    context.stock_before = expect.stock_levels(context.inspector)
    context.reply = context.channel.place_order(person, lines_from_rows(table_rows(context.table)))


@when("{person:Person} orders {quantity:Quantity} {product}, which the shop does not sell")
def step_orders_unsold(context, person, quantity, product):
    """The person tries to order a product the shop does not sell."""
    context.stock_before = expect.stock_levels(context.inspector)
    items = [{"sku": context.catalogue.unsold(product), "quantity": quantity}]
    context.reply = context.api.place_order(context.cast.token_of(person), items)


@when("{person:Person} orders {quantity:Quantity} {product} on two separate lines")
def step_orders_split(context, person, quantity, product):
    """The person orders this quantity of one product, split over two lines of the order."""
    context.stock_before = expect.stock_levels(context.inspector)
    items = context.catalogue.items([(product, 1), (product, quantity - 1)])
    context.reply = context.api.place_order(context.cast.token_of(person), items)


@when("{person:Person} orders nothing")
def step_orders_nothing(context, person):
    """The person tries to place an order without any line."""
    context.stock_before = expect.stock_levels(context.inspector)
    context.reply = context.api.place_order(context.cast.token_of(person), [])


@when("{person:Person} orders {quantity:Quantity} {product}")
def step_orders(context, person, quantity, product):
    """The person places an order for this quantity of the product."""
    context.stock_before = expect.stock_levels(context.inspector)
    context.reply = context.channel.place_order(person, [(product, quantity)])


@when("{person:Person} tries to order {quantity:Quantity} {product}")
def step_tries_to_order(context, person, quantity, product):
    """The person tries to place an order for this quantity of the product (the shop may be unwell)."""
    # No stock read first: the database may be away (features/server_restarts.feature).
    context.reply = context.channel.place_order(person, [(product, quantity)])


@when("{person:Person} cancels {possessive:Possessive} order")
def step_cancel_own(context, person, possessive=None):
    """The person cancels their latest order."""
    context.reply = context.channel.cancel(person, context.orders.last_of(person))


@when("{person:Person} cancels {owner:Person}'s order")
def step_cancel_other(context, person, owner):
    """The person tries to cancel someone else's latest order."""
    context.reply = context.channel.cancel(person, context.orders.last_of(owner))


@when("{person:Person} looks at {owner:Person}'s order")
def step_look_at_order(context, person, owner):
    """The person asks to see someone's latest order."""
    context.reply = context.channel.look_at_order(person, context.orders.last_of(owner))


@when("{person:Person} looks at {possessive:Possessive} order")
def step_look_at_own_order(context, person, possessive=None):
    """The person asks to see their own latest order."""
    context.reply = context.channel.look_at_order(person, context.orders.last_of(person))


@when("{person:Person} lists {possessive:Possessive} orders")
def step_list_orders(context, person, possessive=None):
    """The person asks for the list of their orders."""
    context.reply = context.channel.list_orders(person)


@then("{person:Person}'s order is accepted as pending")
def step_accepted(context, person):
    """Checks the person's order was accepted and is stored as pending."""
    order_id = context.channel.expect_order_accepted(context.reply, person)
    expect.expect_order_status(context.inspector, order_id, "pending")


@then("{person:Person}'s order totals {total:Money}")
@then("{person:Person}'s order still totals {total:Money}")
def step_totals(context, person, total):
    """Checks the person's latest order totals this amount, as stored and as answered."""
    expect.expect_total(context.inspector, context.orders.last_of(person), total, context.reply)


@then("{person:Person}'s order is stored with these lines")
def step_lines(context, person):
    """Checks the person's latest order is stored with exactly the lines in the table."""
    order_id = context.orders.last_of(person)
    expect.expect_lines(context.inspector, context.catalogue, order_id, table_rows(context.table))


@then("{person:Person}'s order is cancelled")
@then("{person:Person}'s order is still {status:w}")
def step_order_status(context, person, status="cancelled"):
    """Checks the person's latest order is stored as cancelled, or still has this status."""
    expect.expect_order_status(context.inspector, context.orders.last_of(person), status)


@then("the stock is now")
def step_stock_table(context):
    """Checks the stock of each product in the table is now as given."""
    levels = {row["product"]: row["stock"] for row in table_rows(context.table)}
    expect.expect_stock(context.inspector, context.catalogue, levels)


@then("the stock of {product} is {stock:Quantity}")
def step_stock_of(context, product, stock):
    """Checks the stock of this product is now as given."""
    expect.expect_stock(context.inspector, context.catalogue, {product: stock})


@then("the stock is still as it was")
def step_stock_unchanged(context):
    """Checks no product's stock changed."""
    expect.expect_stock_unchanged(context.inspector, context.catalogue, context.stock_before)


@then("{person:Person} has {count:d} order stored")
@then("{person:Person} has {count:d} orders stored")
def step_orders_stored(context, person, count):
    """Checks the shop stores exactly this many orders for the person."""
    expect.expect_orders_stored(context.inspector, context.cast[person].id, count, person)


@then("{person:Person} has no orders stored")
def step_no_orders_stored(context, person):
    """Checks the shop stores no order for the person."""
    expect.expect_orders_stored(context.inspector, context.cast[person].id, 0, person)


@then("the order is refused because the shop is briefly unavailable")
def step_briefly_unavailable(context):
    """Checks the order was refused because the shop is briefly unavailable (try again later)."""
    expect.expect_briefly_unavailable(context.reply)


@then("the order is refused because there is not enough stock of {product}")
def step_not_enough(context, product):
    """Checks the order was refused because there is not enough stock of this product."""
    context.channel.expect_not_enough_stock(context.reply, product)


@then('the order is refused as invalid, the shop saying "{problem}"')
def step_invalid(context, problem):
    """Checks the order was refused as invalid, the shop giving this problem."""
    expect.expect_invalid_order(context.reply, context.catalogue, problem)


@then("the cancellation is refused because {reason}")
def step_cancellation_refused(context, reason):
    """Checks the cancellation was refused for this reason."""
    expect.expect_refusal(context.reply, reason)


@then("{pronoun:Pronoun} is told the order was not found")
def step_order_not_found(context, pronoun=None):
    """Checks the person was told the order was not found."""
    context.channel.expect_not_found(context.reply)


@then("{pronoun:Pronoun} sees {owner:Person}'s order for {quantity:Quantity} {product}, totalling {total:Money}")
def step_sees_order(context, owner, quantity, product, total, pronoun=None):
    """Checks the answer shows the owner's latest order: this product and quantity, and this total."""
    order_id = context.orders.last_of(owner)
    expect.expect_order_shown(context.reply, context.catalogue, order_id, [(product, quantity)], total)


@then("{person:Person} sees {possessive:Possessive} order is {status:w}")
def step_sees_status(context, person, status, possessive=None):
    """Checks the person is shown their latest order with this status."""
    context.channel.expect_status_shown(context.reply, context.orders.last_of(person), status)


@then("{person:Person} sees {possessive:Possessive} {count:d} orders, newest first")
def step_sees_own_orders(context, person, count, possessive=None):
    """Checks the person is shown this many orders of theirs, newest first."""
    context.channel.expect_order_list(context.reply, context.orders.of(person)[::-1], count)


@then("the stored order has the id the response gave")
def step_stored_order_id(context):
    """Checks an order is stored under the id the answer gave."""
    expect.stored_order(context.inspector, context.reply.body["id"])


@given("the database will refuse {what}")
def step_database_refuses(context, what):
    """The shop's database will refuse this change, as if it broke in the middle of the work."""
    context.refusals.refuse(what)
    context.add_cleanup(context.refusals.remove_all)


@then("the order fails without being placed")
@then("the cancellation fails without cancelling the order")
def step_failed_inside(context):
    """Checks the order or cancellation failed with an internal error and changed nothing."""
    expect_error(context.reply, 500, "Internal server error")


@then("no order has been announced as {what}")
def step_nothing_announced(context, what):
    """Checks the shop announced no order event of this kind."""
    expect_nothing_announced(context.order_events, context.inspector, f"order.{what}", f"an order {what}")


@when("the shop expires orders left unpaid for more than {seconds:d} second")
@when("the shop expires orders left unpaid for more than {seconds:d} seconds")
def step_expire_unpaid(context, seconds):
    """The shop's expiry runs, expiring orders left unpaid longer than this many seconds."""
    unpaid = context.orders.all()
    printed = expiry.expire_unpaid_orders(context.shop, seconds,
                                          until=lambda: expect.expect_some_expired(context.inspector, unpaid))
    attach_text("The shop's expire-orders command", printed)


@then("{person:Person}'s order has expired")
def step_order_expired(context, person):
    """Checks the person's latest order is stored as expired."""
    expect.expect_order_status(context.inspector, context.orders.last_of(person), "expired")
