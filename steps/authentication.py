"""Signing in, and the passes that prove who someone is."""
from datetime import timedelta

from behave import given, then, when

from support.people import check as expect
from support.people.passes import forged_pass


@when("{person:Person} signs in with her password")
@when("{person:Person} signs in with his password")
def step_sign_in(context, person):
    context.reply = context.api.sign_in(context.cast[person].email, context.cast[person].details.password)


@when("{person:Person} signs in with her email in capitals")
@when("{person:Person} signs in with his email in capitals")
def step_sign_in_capitals(context, person):
    context.reply = context.api.sign_in(context.cast[person].email.upper(), context.cast[person].details.password)


@when('{person:Person} signs in with the password "{password}"')
def step_sign_in_with_password(context, person, password):
    context.reply = context.api.sign_in(context.cast[person].email, password)


@when("{person:Person} signs in with a wrong password {times:d} times")
def step_sign_in_wrongly(context, person, times):
    for attempt in range(times):
        context.reply = context.api.sign_in(context.cast[person].email, f"wrong-password-{attempt}")


@when('someone signs in as "{email}"')
def step_stranger_signs_in(context, email):
    context.reply = context.api.sign_in(email, "a-guess-at-a-password-1")


@given("{person:Person} holds a pass that is {kind}")
def step_holds_pass(context, person, kind):
    genuine = context.cast.token_of(person)
    context.cast.hold_pass(person, forged_pass(kind, genuine, context.settings.jwt_secret))


@then("{person:Person} is signed in as a {role:Role} for {hours:d} hour")
@then("{person:Person} is signed in as an {role:Role} for {hours:d} hour")
def step_signed_in(context, person, role, hours):
    expect.expect_signed_in(context.reply, user_id=context.cast[person].id, role=role, lifetime=timedelta(hours=hours))


@then("the shop records when {person:Person} last signed in")
def step_sign_in_recorded(context, person):
    row = context.inspector.user_by_email(context.cast[person].email)
    expect.expect_recent(row["last_signed_in_at"], f"{person}'s last sign-in")


@then("the shop has not recorded a sign-in for {person:Person}")
def step_no_sign_in_recorded(context, person):
    expect.expect_never_signed_in(context.inspector, context.cast[person].email)


@then('the sign-in is refused with "{message}"')
def step_sign_in_refused(context, message):
    expect.expect_error(context.reply, 401, message)


@then("{person:Person} is told to try again later")
def step_locked_out(context, person):
    expect.expect_error(context.reply, 429, "Too many failed sign-in attempts; try again later")


@then("the shop counts {count:d} failed sign-ins for {person:Person}'s email")
def step_failures_counted(context, count, person):
    expect.expect_failed_sign_ins(context.cache, context.cast[person].email, count)


@then("the shop counts no failed sign-ins for {person:Person}'s email")
def step_no_failures_counted(context, person):
    expect.expect_failed_sign_ins(context.cache, context.cast[person].email, None)


@then("the failed sign-ins for {person:Person}'s email are forgotten within {minutes:d} minutes")
def step_failures_expire(context, person, minutes):
    expect.expect_failures_forgotten_within(context.cache, context.cast[person].email, timedelta(minutes=minutes))


@then("she is asked to sign in again")
@then("he is asked to sign in again")
def step_asked_to_sign_in(context):
    expect.expect_error(context.reply, 401, "Unauthorized")
