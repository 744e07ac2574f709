"""A slow payment provider and lost answers: payments waiting at the provider while the shop goes on,
and payments whose outcome the shop had to find out by asking the provider."""
from behave import given, then, when

from support.payments import lost as lost_payments
from support.payments import slow as slow_payments
from support.reporting import attach_text
from support.step_types import names


@given("{people} are customers who have each ordered a {product}")
def step_customers_with_orders(context, people, product):
    """Each of these people is a customer who has ordered one of this product."""
    for person in names(people):
        context.orders.arrange(context.cast.enrol(person), [(product, 1)])


@given("the payment provider keeps every answer waiting")
def step_provider_holds(context):
    """The payment provider keeps every answer waiting until it is told to answer."""
    context.fakes.payments.hold_answers()


@when("{people} pay for their orders at the same moment")
def step_pay_together(context, people):
    """These people pay for their latest orders at the same moment."""
    payers = [slow_payments.Payer(person, context.cast.token_of(person), context.orders.last_of(person),
                                  context.fakes.payments.card_of(person)) for person in names(people)]
    context.usual = slow_payments.usual_catalogue_times(context.api, context.cast.token_of(payers[0].name))
    context.payments_under_way = slow_payments.start_payments(context.api, payers, context.fakes.payments)


@when("{person:Person} browses the catalogue while all four payments wait for the provider")
def step_browse_while_waiting(context, person):
    """The person browses the catalogue while the four payments wait for the provider (each answer timed)."""
    context.timing = slow_payments.browse_while_waiting(context.api, context.cast.token_of(person), context.usual,
                                                         context.fakes.payments, waiting=4)
    attach_text("Catalogue while four payments waited", context.timing.describe())


@then("{person:Person} sees the catalogue before any of the four payments is answered")
def step_catalogue_first(context, person):
    """Checks the person saw the catalogue before any of the four payments was answered."""
    slow_payments.expect_answered_first(context.timing, waiting=4)


@then("while the four payments waited, the shop held no database transaction and no lock on their orders")
def step_no_transactions(context):
    """Checks that while the payments waited, the shop held no database transaction and no lock on their orders."""
    slow_payments.expect_no_transactions_held(context.inspector)


@when("the payment provider answers")
def step_provider_answers(context):
    """The payment provider answers every payment it kept waiting."""
    context.fakes.payments.release_answers()
    context.payment_replies = context.payments_under_way.finish()


@then("{people} are each charged once and their orders are paid")
def step_each_paid(context, people):
    """Checks each of these people was charged once and their order is paid."""
    orders = {person: context.orders.last_of(person) for person in names(people)}
    slow_payments.expect_each_paid(context.payment_replies, orders, context.fakes.payments, context.inspector)


@then("the shop asked the payment provider what became of {person:Person}'s payment")
def step_looked_up(context, person):
    """Checks the shop asked the payment provider what became of the person's payment."""
    lost_payments.expect_looked_up(context.fakes.payments, context.orders.last_of(person))


@then("{person:Person}'s charge of {amount:Money} {currency:w} is refunded in full, once")
def step_lost_charge_refunded(context, person, amount, currency):
    """Checks the person's charge of this amount was refunded in full, exactly once."""
    lost_payments.expect_lost_charge_refunded(context.fakes.payments, context.inspector,
                                              context.orders.last_of(person), amount, currency)


@then("{person:Person} is told {possessive:Possessive} earlier payment is not confirmed yet")
def step_told_unconfirmed(context, person, possessive=None):
    """Checks the person was told their earlier payment is not confirmed yet."""
    lost_payments.expect_outcome_unknown_refusal(context.reply)


@then("the shop charged {person:Person}'s card only in the first payment's tries")
def step_charged_first_only(context, person):
    """Checks the person's card was charged only during the first payment's tries."""
    lost_payments.expect_only_first_attempt_charged(context.fakes.payments, context.orders.last_of(person))
