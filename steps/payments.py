"""Payments and refunds: customers paying for their orders by card, the payment provider's moods,
what the customer is charged and told, and administrators refunding paid orders.

Receipts are emails, so checks of them live here too (support/payments/receipts.py); the email provider's own
moods are in steps/email.py.
"""
from behave import given, then, when

from support.payments import arrange as payments
from support.payments import check as expect
from support.payments import receipts as receipts
from support.step_types import table_rows

# -- the payment provider's moods -----------------------------------------------------------------


@given("the payment provider declines the card as {code:w}")
def step_declines_every_card(context, code):
    """The payment provider declines every card, giving this decline code."""
    context.fakes.payments.decline(code)


@given("the payment provider declines {person:Person}'s card as {code:w}")
def step_declines_card(context, person, code):
    """The payment provider declines this person's card, giving this decline code."""
    context.fakes.payments.decline(code, card=context.fakes.payments.card_of(person))


@given("the payment provider fails with server errors")
def step_provider_failing(context):
    """The payment provider answers every charge with a server error."""
    context.fakes.payments.fail_with(500)


@given("the payment provider fails with server errors {times:d} times")
def step_provider_failing_times(context, times):
    """The payment provider answers the next charges with server errors, this many times."""
    context.fakes.payments.fail_with(503, times=times)


@given("the payment provider does not answer")
def step_provider_silent(context):
    """The payment provider takes charges but never answers."""
    context.fakes.payments.time_out()


@given("the payment provider is down")
def step_provider_down(context):
    """The payment provider cannot be reached at all."""
    context.fakes.payments.go_down()


@given("the payment provider loses its answer once after charging")
def step_provider_loses_once(context):
    """The payment provider charges the card once but its answer never reaches the shop."""
    context.fakes.payments.lose_answers(times=1)


@given("the payment provider loses every answer after charging")
def step_provider_loses_all(context):
    """The payment provider charges cards but none of its answers reaches the shop."""
    context.fakes.payments.lose_answers()


@given("the payment provider answers only after {seconds:d} second")
@given("the payment provider answers only after {seconds:d} seconds")
def step_provider_slow(context, seconds):
    """The payment provider answers only after this many seconds."""
    context.fakes.payments.answer_after(seconds)


@given("the payment provider takes {ms:d} milliseconds to answer")
def step_provider_slow_ms(context, ms):
    """The payment provider takes this many milliseconds to answer."""
    context.fakes.payments.answer_after(ms / 1000)


@when("the payment provider is back")
def step_provider_back(context):
    """The payment provider works normally again."""
    context.fakes.payments.recover()


# -- paying and refunding -------------------------------------------------------------------------


@given("{person:Person} has paid for {possessive:Possessive} order")
def step_has_paid(context, person, possessive=None):
    """The person has already paid for their latest order with their card."""
    card = context.fakes.payments.card_of(person)
    payments.arrange_payment(context.api, context.cast.token_of(person), context.orders.last_of(person), card)


@when("{person:Person} pays for {possessive:Possessive} order")
def step_pays(context, person, possessive=None):
    """The person pays for their latest order with their card."""
    card = context.fakes.payments.card_of(person)
    context.reply = context.channel.pay(person, context.orders.last_of(person), card)


@when("{person:Person} pays for {possessive:Possessive} order with another card")
def step_pays_with_another_card(context, person, possessive=None):
    """The person pays for their latest order with a new card of theirs."""
    card = context.fakes.payments.issue_card(person)
    context.reply = context.channel.pay(person, context.orders.last_of(person), card)


@when("{person:Person} pays for {possessive:Possessive} order without a card")
def step_pays_without_card(context, person, possessive=None):
    """The person tries to pay for their latest order without giving a card."""
    order_id = context.orders.last_of(person)
    context.reply = payments.pay(context.api, context.cast.token_of(person), order_id, "")


@when("{person:Person} pays for {owner:Person}'s order")
def step_pays_for_other(context, person, owner):
    """The person tries to pay, with their own card, for someone else's latest order."""
    card = context.fakes.payments.card_of(person)
    context.reply = payments.pay(context.api, context.cast.token_of(person), context.orders.last_of(owner),
                                 card)


@when("{person:Person} pays for each of {possessive:Possessive} orders")
def step_pays_each(context, person, possessive=None):
    """The person pays for each of their orders, one after the other."""
    payments.pay_each(context.api, context.cast.token_of(person), context.orders.of(person),
                      context.fakes.payments.card_of(person))


@when("{person:Person} pays for {possessive:Possessive} order twice at the same moment")
def step_pays_twice_at_once(context, person, possessive=None):
    """The person sends two payments for the same order at the same moment."""
    order_id, card = context.orders.last_of(person), context.fakes.payments.card_of(person)
    context.rush = payments.pay_at_once(context.api, person, context.cast.token_of(person), order_id, card, 2)


@when("{person:Person} refunds {owner:Person}'s order")
def step_refunds(context, person, owner):
    """The person (usually an administrator) refunds the owner's latest order."""
    context.reply = payments.refund(context.api, context.cast.token_of(person), context.orders.last_of(owner))


@when("{person:Person} refunds {possessive:Possessive} own order")
def step_refunds_own(context, person, possessive=None):
    """The person tries to refund their own latest order."""
    context.reply = payments.refund(context.api, context.cast.token_of(person), context.orders.last_of(person))


# -- what came of it ------------------------------------------------------------------------------


@then("{person:Person} is told {possessive:Possessive} order of {amount:Money} {currency:w} is paid")
def step_told_paid(context, person, amount, currency, possessive=None):
    """Checks the person is told their latest order is paid, with this amount and currency."""
    context.channel.expect_paid(context.reply, context.orders.last_of(person), amount, currency)


@then("{person:Person}'s order is paid")
def step_order_paid(context, person):
    """Checks the shop records the person's latest order as paid."""
    expect.expect_order_paid(context.inspector, context.orders.last_of(person), person)


@then("{person:Person} is charged {amount:Money} {currency:w} once")
def step_charged_once(context, person, amount, currency):
    """Checks the person was charged this amount exactly once, at the provider and in the shop's records."""
    orders = context.orders.of(person)
    expect.expect_charged_once(context.fakes.payments, context.inspector, orders, person, amount, currency)


@then("{person:Person} is not charged")
def step_not_charged(context, person):
    """Checks the person was not charged at all, at the provider or in the shop's records."""
    expect.expect_not_charged(context.fakes.payments, context.inspector, context.orders.of(person), person)


@then("{person:Person} is told {possessive:Possessive} card was declined as {code:w}")
def step_told_declined(context, person, code, possessive=None):
    """Checks the person is told their card was declined, with this decline code."""
    context.channel.expect_declined(context.reply, person, context.orders.last_of(person), code)


@then("{person:Person}'s order is marked as payment failed, because of {code:w}")
def step_marked_failed(context, person, code):
    """Checks the shop records the latest order's payment as failed, with this decline code."""
    expect.expect_decline_recorded(context.inspector, context.orders.last_of(person), code, person)


@then("{person:Person} is told payment processing failed")
def step_told_processing_failed(context, person):
    """Checks the person is told the payment could not be processed."""
    expect.expect_processing_failed(context.reply, person)


@then("{person:Person} can still pay for {possessive:Possessive} order")
def step_still_payable(context, person, possessive=None):
    """Checks the person's latest order can still be paid."""
    expect.expect_payable(context.inspector, context.orders.last_of(person), person)


@then("the shop asked the payment provider {tries:d} times for {person:Person}'s order, with one idempotency key")
@then("the shop asked the payment provider once for {person:Person}'s order")
def step_tries(context, person, tries=1):
    """Checks how often the shop asked the provider to charge the order, always with one idempotency key."""
    order_id = context.orders.last_of(person)
    expect.expect_tries(context.fakes.payments, order_id, tries, read_timeout_at_most=30)


@then("the shop gave up after {tries:d} tries with one idempotency key, waiting at most {seconds:d} seconds for each")
def step_gave_up(context, tries, seconds):
    """Checks the shop gave up after this many tries, one idempotency key, never waiting longer than this."""
    order_id = context.orders.last()
    expect.expect_tries(context.fakes.payments, order_id, tries, read_timeout_at_most=seconds)


@then("each of {person:Person}'s {attempts:d} payment attempts had its own idempotency key")
def step_keys_differ(context, person, attempts):
    """Checks each of the person's payment attempts used an idempotency key of its own."""
    expect.expect_keys_differ(context.fakes.payments, context.orders.last_of(person), attempts)


@then("one payment is accepted and the other is refused because {reason}")
def step_one_accepted(context, reason):
    """Checks one of the two simultaneous payments was accepted and the other refused for this reason."""
    expect.expect_one_accepted(context.rush, reason)


@then("the payment is refused because {reason}")
@then("the refund is refused because {reason}")
def step_refused(context, reason):
    """Checks the payment or refund was refused for this reason."""
    expect.expect_refusal(context.reply, reason)


@then("the shop announces that {person:Person}'s order is {status:w}, with its total of {total:Money}")
@then("the shop announces that {person:Person}'s order has {status:w}, with its total of {total:Money}")
def step_announced(context, person, status, total):
    """Checks the shop published an event saying the order reached this status, with its total."""
    order_id = context.orders.last_of(person)
    expect.expect_announced(context.inspector, order_id, f"order.{status}", status, total)


@then("{person:Person}'s payment of {amount:Money} is refunded")
def step_refunded(context, person, amount):
    """Checks the person's payment was refunded in full: the answer, the provider and the shop's records."""
    expect.expect_refund_reply(context.reply, context.orders.last_of(person), amount)
    expect.expect_refunded(context.fakes.payments, context.inspector, context.orders.last_of(person), amount)


@then("nothing is refunded and {person:Person}'s order stays paid")
def step_not_refunded(context, person):
    """Checks nothing was refunded at the provider and the order is still paid."""
    expect.expect_not_refunded(context.fakes.payments, context.inspector, context.orders.last_of(person))


# -- receipts -------------------------------------------------------------------------------------


@then("{person:Person} receives a receipt for {possessive:Possessive} order")
@then("{person:Person} still has exactly one receipt for {possessive:Possessive} order")
def step_receipt(context, person, possessive=None):
    """Checks the person received exactly one receipt email for their latest order."""
    receipts.expect_receipts(context.fakes.email, context.inspector, context.cast[person].email, person,
                             [context.orders.last_of(person)])


@then("{person:Person} receives a receipt for {possessive:Possessive} order, listing")
def step_receipt_listing(context, person, possessive=None):
    """Checks the person received a receipt for their latest order listing the lines in the table."""
    lines, order_id = receipts.lines_from_rows(table_rows(context.table)), context.orders.last_of(person)
    email = context.cast[person].email
    receipts.expect_receipts(context.fakes.email, context.inspector, email, person, [order_id], lines)


@then("{person:Person} receives a receipt for each of {possessive:Possessive} orders")
def step_receipt_each(context, person, possessive=None):
    """Checks the person received a receipt for each of their orders."""
    receipts.expect_receipts(context.fakes.email, context.inspector, context.cast[person].email, person,
                             context.orders.of(person))


@then("{person:Person} has not received a receipt yet")
def step_no_receipt_yet(context, person):
    """Checks no receipt has reached the person yet."""
    receipts.expect_none_sent(context.fakes.email, context.cast[person].email, person)


@then("{person:Person} receives no receipt")
def step_no_receipt(context, person):
    """Checks the person received no receipt and none is waiting to be sent."""
    receipts.expect_no_receipt(context.fakes.email, context.inspector, context.cast[person].email, person)


@then("{person:Person}'s receipt is kept to be sent later")
def step_receipt_kept(context, person):
    """Checks the receipt the provider did not take is kept by the shop, to be sent later."""
    receipts.expect_kept(context.inspector, context.orders.last_of(person), person)
