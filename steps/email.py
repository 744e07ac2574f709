"""The email provider, as the shop's customers experience it: emails received, or kept for later.

Any feature whose actions send email (posts, comments, receipts) uses these steps.
"""
from behave import given, then, when

from support.emails import check as emails


@given("the email provider is down")
def step_provider_down(context):
    """The email provider cannot be reached at all."""
    context.fakes.email.go_down()


@given("the email provider fails with server errors")
def step_provider_failing(context):
    """The email provider answers every email with a server error."""
    context.fakes.email.fail_with(500)


@given("the email provider answers only after {seconds:d} seconds")
def step_provider_slow(context, seconds):
    """The email provider answers only after this many seconds."""
    context.fakes.email.answer_after(seconds)


@given("the email provider will fail the next {count:d} emails")
def step_email_fails_next(context, count):
    """The email provider will refuse the next emails, this many of them."""
    context.fakes.email.fail_next(count)


@given("the email provider takes {ms:d} milliseconds to accept each email")
def step_email_slow(context, ms):
    """The email provider takes this many milliseconds to accept each email."""
    context.fakes.email.answer_after(ms / 1000)


@given("the email provider is back")
@when("the email provider is back")
def step_provider_back(context):
    """The email provider works normally again."""
    context.fakes.email.recover()


@when("the shop sends the emails it kept")
def step_send_kept(context):
    """The shop tries once more to send the emails it kept for later."""
    context.delivery = context.shop.send_emails()


# Before the plain form, which would otherwise take the whole rest of the sentence as the subject.
@then('{person:Person} receives an email "{subject}" mentioning "{text}"')
def step_receives_mentioning(context, person, subject, text):
    """Checks the person received an email with this subject that mentions this text."""
    emails.expect_email(context.fakes.email, context.cast[person].email, subject, person, mentioning=text)


@then('{person:Person} receives an email "{subject}"')
def step_receives(context, person, subject):
    """Checks the person received an email with this subject."""
    emails.expect_email(context.fakes.email, context.cast[person].email, subject, person)


# Counted only once every delivery in flight has been handled: a duplicate's email would come after the first.
@then('{person:Person} still has exactly one "{subject}" email')
def step_still_exactly_one(context, person, subject):
    """Checks the person has exactly one email with this subject, even once every delivery is over."""
    emails.expect_email(context.fakes.email, context.cast[person].email, subject, person)
    context.order_events.wait_until_handled()
    emails.expect_email_count_now(context.fakes.email, context.cast[person].email, subject, person, 1)


@then("{person:Person} receives no email")
def step_receives_none(context, person):
    """Checks the person received no email."""
    emails.expect_no_email(context.fakes.email, context.cast[person].email, person)


@then("nobody receives an email")
def step_nobody_emailed(context):
    """Checks nobody received an email."""
    emails.expect_nobody_emailed(context.fakes.email)


@then('the "{subject}" email to {person:Person} is kept to be sent later')
def step_kept(context, subject, person):
    """Checks the shop keeps the email with this subject to the person, to send it later."""
    emails.expect_kept_for_later(context.inspector, context.cast[person].email, subject, person)
