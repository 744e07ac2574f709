"""Signing in, and the passes that prove who someone is."""
from datetime import timedelta

from behave import given, then, when

from support import builders
from support.people import check as expect
from support.people.arrange import guess_passwords
from support.people.passes import forged_pass


@when("{person:Person} signs in with {possessive:Possessive} password")
def step_sign_in(context, person, possessive=None):
    """The person signs in with their email and password."""
    context.reply = context.channel.sign_in(person, context.cast[person].email, context.cast[person].details.password)


@when("{person:Person} signs in with {possessive:Possessive} email in capitals")
def step_sign_in_capitals(context, person, possessive=None):
    """The person signs in with their email written in capital letters."""
    who = context.cast[person]
    context.reply = context.api.sign_in(who.email.upper(), who.details.password, address=who.address)


@when('{person:Person} signs in with the password "{password}"')
def step_sign_in_with_password(context, person, password):
    """The person tries to sign in with this password."""
    context.reply = context.channel.sign_in(person, context.cast[person].email, password)


@when("{person:Person} signs in with a wrong password {times:d} times")
def step_sign_in_wrongly(context, person, times):
    """The person tries to sign in with a wrong password this many times."""
    who = context.cast[person]
    for attempt in range(times):
        context.reply = context.api.sign_in(who.email, f"wrong-password-{attempt}", address=who.address)


@when('someone signs in as "{email}"')
def step_stranger_signs_in(context, email):
    """Someone tries to sign in with this email address, guessing a password."""
    context.reply = context.api.sign_in(email, "a-guess-at-a-password-1")


@given("{person:Person} holds a pass that is {kind}")
def step_holds_pass(context, person, kind):
    """The person holds a pass that is not right in this way (expired, forged, ...), and uses it."""
    genuine = context.cast.token_of(person)
    context.cast.hold_pass(person, forged_pass(kind, genuine, context.settings.jwt_secret))


@then("{person:Person} is signed in as a {role:Role} for {hours:d} hour")
@then("{person:Person} is signed in as an {role:Role} for {hours:d} hour")
def step_signed_in(context, person, role, hours):
    """Checks the person is signed in with this role, with a pass valid for this many hours."""
    context.channel.expect_signed_in(context.reply, person, role, timedelta(hours=hours))


@then("the shop records when {person:Person} last signed in")
def step_sign_in_recorded(context, person):
    """Checks the shop recorded, just now, when the person last signed in."""
    row = context.inspector.user_by_email(context.cast[person].email)
    expect.expect_recent(row["last_signed_in_at"], f"{person}'s last sign-in")


@then("the shop has not recorded a sign-in for {person:Person}")
def step_no_sign_in_recorded(context, person):
    """Checks the shop has recorded no sign-in for the person."""
    expect.expect_never_signed_in(context.inspector, context.cast[person].email)


@then('the sign-in is refused with "{message}"')
def step_sign_in_refused(context, message):
    """Checks the sign-in was refused with this message."""
    context.channel.expect_sign_in_refused(context.reply, message)


@then("{person:Person} is told to try again later")
def step_locked_out(context, person):
    """Checks the person was told to try signing in again later (too many failed attempts)."""
    expect.expect_error(context.reply, 429, "Too many failed sign-in attempts; try again later")


@then("the shop counts {count:d} failed sign-ins for {person:Person}'s email")
def step_failures_counted(context, count, person):
    """Checks the shop counts this many failed sign-ins for the person's email."""
    expect.expect_failed_sign_ins(context.cache, context.cast[person].email, context.cast[person].address, count)


@then("the shop counts no failed sign-ins for {person:Person}'s email")
def step_no_failures_counted(context, person):
    """Checks the shop counts no failed sign-in for the person's email."""
    expect.expect_failed_sign_ins(context.cache, context.cast[person].email, context.cast[person].address, None)


@then("the failed sign-ins for {person:Person}'s email are forgotten within {minutes:d} minutes")
def step_failures_expire(context, person, minutes):
    """Checks the shop forgets the failed sign-ins for the person's email within this many minutes."""
    who = context.cast[person]
    expect.expect_failures_forgotten_within(context.cache, who.email, who.address, timedelta(minutes=minutes))


@then("{pronoun:Pronoun} is asked to sign in again")
def step_asked_to_sign_in(context, pronoun=None):
    """Checks the person was refused and asked to sign in again."""
    expect.expect_error(context.reply, 401, "Unauthorized")


@when("{person:Person} tries to sign in as {owner:Person} with a wrong password {times:d} times")
def step_guess_someone_elses_password(context, person, owner, times):
    """The person tries to sign in as the owner, guessing wrong passwords this many times."""
    context.reply = guess_passwords(context.api, [context.cast[owner].email] * times, context.cast[person].address)


@when("{person:Person} tries to sign in as {owner:Person} with {owner_again:Person}'s password")
def step_sign_in_as_someone_else(context, person, owner, owner_again):
    """The person signs in as the owner, from the person's own address, with the owner's password."""
    target = context.cast[owner]
    context.reply = context.api.sign_in(target.email, target.details.password, address=context.cast[person].address)


@when("{person:Person} tries to sign in with a wrong password as {count:d} different people")
def step_guess_many_accounts(context, person, count):
    """The person tries a wrong password against this many different accounts."""
    emails = [builders.email_for(f"target {n}") for n in range(count)]
    context.reply = guess_passwords(context.api, emails, context.cast[person].address)


@then("the shop counts {count:d} failed sign-ins from {person:Person}'s address")
def step_failures_from_address(context, count, person):
    """Checks the shop counts this many failed sign-ins from the person's address."""
    expect.expect_failed_sign_ins_from(context.cache, context.cast[person].address, count)
