"""Steps of the throwaway suite: each attaches evidence the way the real suite does."""
from behave import given, then, when

from support.reporting import attach_text

EXCHANGE = """POST /api/sign-in
Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLWFsaWNl
Content-Type: application/json

{"email": "alice@example.com", "password": "alice-secret-pw1"}

<- 200 in 3.2 ms
{"token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLWFsaWNl", "name": "Alice"}"""


@given("{person} has paid for her order")
def step_paid(context, person):
    attach_text("HTTP exchanges", EXCHANGE)


@when("{person} returns her order")
def step_returns(context, person):
    attach_text("Provider calls", "POST https://payments.example/v1/refunds amount=2500 -> 200 refund re_1")


@then("{person} gets {amount} back")
def step_gets_back(context, person, amount):
    attach_text("Order events", "order.refunded 7 published")
    found = "0.00"
    assert amount == found, f"money back to {person} for order 7: expected {amount}, found {found}"


@then("her order is shipped")
def step_shipped(context):
    pass


@when("a visitor signs up with")
def step_signs_up(context):
    attach_text("HTTP exchanges", 'POST /api/users\n\n{"name": "Grace", "password": "grace-secret-pw1"}')


@when("{person} signs in")
def step_signs_in(context, person):
    attach_text("HTTP exchanges", EXCHANGE)


@then("{person} has an account")
def step_has_account(context, person):
    pass


COURIER_CALLS = {"count": 0}


@given("the courier answers only on the second try")
def step_courier_second_try(context):
    COURIER_CALLS["count"] += 1
    assert COURIER_CALLS["count"] > 1, "the courier's confirmation: expected an answer, found none (first try)"


@then("the delivery is confirmed")
def step_delivery_confirmed(context):
    pass


@then("the parcel has a tracking number")
def step_tracking_number(context):
    raise AssertionError("the parcel's tracking number: expected one, found none")
