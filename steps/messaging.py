"""Order events: the worker that ships paid orders, and messages arriving, retried, parked, duplicated."""
import uuid

from behave import given, then, when

from support.emails import check as emails
from support.order_events import check as expect
from support.order_events.arrange import arrange_awaiting_shipment, malformed_message


@given("the order worker is stopped")
def step_worker_stopped(context):
    """The shop's order worker is not running."""
    context.order_events.stop_worker()


@when("the order worker starts")
@when("the order worker starts again")
def step_worker_starts(context):
    """The shop's order worker starts (again)."""
    context.order_events.start_worker()


@when("the order worker is stopped once {count:d} of {person:Person}'s orders are shipped")
def step_worker_stopped_midway(context, count, person):
    """The order worker is stopped as soon as this many of the person's orders have shipped."""
    at_least = expect.at_least_shipped(context.inspector, context.orders.of(person), count)
    context.order_events.stop_worker_once(at_least, f"{count} of {person}'s orders to be shipped")


@given("{person:Person} has {count:d} orders for a {product} awaiting shipment")
@given("{person:Person} has an order for a {product} awaiting shipment")
def step_awaiting_shipment(context, person, product, count=1):
    """The person has one or more orders for this product that are paid for and waiting to be shipped."""
    context.awaiting = arrange_awaiting_shipment(
        context.orders, context.stack.services.database_url, person, product, count)


@given("the payment service has announced each of them as paid, in order")
def step_announced_all(context):
    """The payment service has announced each waiting order as paid, one after the other."""
    for order_id in context.awaiting:
        context.order_events.announce_paid(order_id)


@when("the payment service announces {person:Person}'s order as paid")
def step_announce(context, person):
    """The payment service announces the person's latest order as paid."""
    context.order_events.announce_paid(context.orders.last_of(person))


@when("the payment service announces {person:Person}'s order as paid, twice with the same message id")
def step_announce_twice(context, person):
    """The payment service announces the person's latest order as paid twice, as the same message."""
    message_id = context.order_events.announce_paid(context.orders.last_of(person))
    context.order_events.announce_paid(context.orders.last_of(person), message_id)


@when("the payment service announces an order the shop does not know as paid")
def step_announce_unknown(context):
    """The payment service announces as paid an order the shop has never seen."""
    context.unknown_order = str(uuid.uuid4())
    context.order_events.announce_paid(context.unknown_order)


@when("a message arrives on the order events that is {problem}")
def step_malformed(context, problem):
    """A message that is broken in this way arrives on the order events."""
    body, event_type, context.odd_message_id = malformed_message(problem)
    context.order_events.publish_raw(body, event_type, context.odd_message_id)


@given("the shop has lost its connection to the broker")
def step_broker_lost(context):
    """The shop loses its connection to the message broker."""
    context.order_events.link.cut()
    context.add_cleanup(context.order_events.link.restore)


@when("the shop's connection to the broker comes back")
def step_broker_back(context):
    """The shop's connection to the message broker comes back."""
    context.order_events.link.restore()


@then("all {count:d} of {person:Person}'s orders are shipped, each once, in the order they were paid")
def step_all_shipped_in_order(context, count, person):
    """Checks each of the person's orders was shipped exactly once, in the order they were paid."""
    expect.expect_shipped(context.inspector, person, context.orders.of(person)[:count], in_order=True)


@then("all {count:d} of {person:Person}'s orders are shipped, each once")
def step_all_shipped(context, count, person):
    """Checks each of the person's orders was shipped exactly once."""
    expect.expect_shipped(context.inspector, person, context.orders.of(person)[:count])


@then("{person:Person}'s order is shipped")
def step_shipped(context, person):
    """Checks the person's latest order was shipped."""
    expect.expect_shipped(context.inspector, person, [context.orders.last_of(person)])


@then("some of {person:Person}'s orders are still waiting to be shipped")
def step_some_waiting(context, person):
    """Checks some of the person's orders have not been shipped yet (their events are still queued)."""
    expect.expect_some_unshipped(context.inspector, context.orders.of(person), context.order_events)


@then("{person:Person}'s order has exactly one shipment")
def step_one_shipment(context, person):
    """Checks the person's latest order has exactly one shipment, not more."""
    expect.expect_shipment_count(context.inspector, context.orders.last_of(person), 1)


@then('{person:Person} receives {count:d} "{subject}" emails')
def step_receives_many(context, person, count, subject):
    """Checks the person received exactly this many emails with this subject."""
    emails.expect_emails(context.fakes.email, context.cast[person].email, subject, person, count)


@then("the event about {person:Person}'s order was completed on attempt {attempt:d}, after {retries:d} retries")
def step_completed_on(context, person, attempt, retries):
    """Checks the event about the latest order was handled on this attempt, after this many retries."""
    message_id = context.order_events.announced[context.orders.last_of(person)][-1]
    expect.expect_completed_on_attempt(context.inspector, message_id, attempt, retries)


@then('the event about the unknown order is parked after {attempts:d} attempts with the error "{error}"')
def step_unknown_parked(context, attempts, error):
    """Checks the event about the unknown order was set aside after this many attempts, with this error."""
    message_id = context.order_events.announced[context.unknown_order][-1]
    expect.expect_parked(context.order_events, message_id, attempts, error)


@then('it is parked after {attempts:d} attempt with the error "{error}"')
def step_parked(context, attempts, error):
    """Checks the odd message was set aside after this many attempts, with this error."""
    expect.expect_parked(context.order_events, context.odd_message_id, attempts, error)


@then("no order event was processed")
def step_nothing_processed(context):
    """Checks the shop handled no order event at all."""
    expect.expect_nothing_processed(context.inspector)


@then("the shop keeps the news that {person:Person}'s order is paid until the broker is back")
def step_event_kept(context, person):
    """Checks the shop holds on to the news that the order is paid until the broker is back."""
    expect.expect_event_held_back(context.inspector, context.orders.last_of(person), "order.paid")


@then("the shop announces {person:Person}'s order as placed, with its total of {total}")
def step_announced_placed(context, person, total):
    """Checks the shop announced the person's latest order as placed, with this total."""
    expect.expect_announced(context.inspector, context.orders.last_of(person), "order.placed", total)


@then('the event about {person:Person}\'s order is parked after {attempts:d} attempts with the error "{error}"')
def step_own_event_parked(context, person, attempts, error):
    """Checks the event about the person's latest order was set aside after this many attempts, with this error."""
    message_id = context.order_events.announced[context.orders.last_of(person)][-1]
    context.parked = expect.expect_parked(context.order_events, message_id, attempts, error)


@then("before each new attempt it waited the next retry delay, in order")
def step_waited_each_delay(context):
    """Checks that before each new attempt the shop waited the next retry delay, in order."""
    topology = context.order_events.topology
    expect.expect_retry_pauses(context.parked, context.fakes.email.asked_at, topology.retry_delays_ms,
                               topology.retry_queue)


@when("the order worker dies abruptly while it handles the event")
def step_worker_killed(context):
    """The order worker is killed outright in the middle of handling the event."""
    asked = emails.provider_asked(context.fakes.email)
    context.order_events.kill_worker_once(asked, "the worker to be handling the event (asking for the email)")
    context.add_cleanup(context.order_events.link.restore)


@when("the order worker is back")
def step_worker_back(context):
    """The order worker runs again after its abrupt end."""
    context.order_events.revive_worker()


@when("the shop loses its connection to the broker while the worker handles the event")
def step_link_lost_midway(context):
    """The shop loses its broker connection while the worker is in the middle of handling the event."""
    asked = emails.provider_asked(context.fakes.email)
    context.order_events.cut_link_once(asked, "the worker to be handling the event (asking for the email)")
    context.add_cleanup(context.order_events.link.restore)
