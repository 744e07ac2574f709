"""Hostile input: whatever a client sends, a clear refusal that changes nothing (features/robustness.feature)."""
from behave import given, then, when

from support.robustness import api_description as description
from support.robustness import arrange as hostile
from support.robustness import check as expect


@given("{person:Person}'s account has been deleted since {pronoun:Pronoun} signed in")
def step_account_deleted(context, person, pronoun=None):
    """The person's account has been deleted after they signed in; they still hold their pass."""
    context.cast.token_of(person)
    hostile.delete_account(context.inspector.url, context.cast[person].id)


@when("{person:Person} asks for page {page:d} of {listing}")
def step_huge_page(context, person, page, listing):
    """The person asks for this page number of a listing (perhaps absurdly far)."""
    context.reply = hostile.ask_for_page(context.api, context.cast.token_of(person), listing, page)


@when("{person:Person} sends {where} with a NUL character in it")
def step_nul_text(context, person, where):
    """The person sends text containing a NUL character in this place."""
    context.stored_before = hostile.stored_counts(context.inspector)
    context.reply = hostile.send_text(context.api, context.cast.token_of(person), where, f"Ket{hostile.NUL}tle")


@when("a visitor sends {where} with a NUL character in it")
def step_visitor_nul_text(context, where):
    """Someone who has not signed in sends text containing a NUL character in this place."""
    context.stored_before = hostile.stored_counts(context.inspector)
    context.reply = hostile.send_text(context.api, None, where, f"Ket{hostile.NUL}tle")


@when("a visitor signs up with a password of {length:d} characters")
def step_long_password_sign_up(context, length):
    """A visitor tries to sign up with a password this many characters long."""
    context.stored_before = hostile.stored_counts(context.inspector)
    context.reply = hostile.sign_up_with_password_of(context.api, length)


@when("{person:Person} signs in with a password of {length:d} characters")
def step_long_password_sign_in(context, person, length):
    """The person tries to sign in with a password this many characters long."""
    who = context.cast[person]
    context.reply = context.api.sign_in(who.email, ("a1" * length)[:length], address=who.address)


@when("a visitor signs up with half of a surrogate pair in the name")
def step_lone_surrogate(context):
    """A visitor tries to sign up with a name containing half of a surrogate pair (broken text)."""
    context.stored_before = hostile.stored_counts(context.inspector)
    context.reply = hostile.sign_up_with_lone_surrogate(context.api)


@when("a visitor sends {request} nested {depth:d} levels deep")
def step_visitor_nested(context, request, depth):
    """Someone who has not signed in sends this request with data nested this many levels deep."""
    context.reply = hostile.send_nested(context.api, None, request, depth)


@when("{person:Person} sends {request} nested {depth:d} levels deep")
def step_nested(context, person, request, depth):
    """The person sends this request with data nested this many levels deep."""
    context.reply = hostile.send_nested(context.api, context.cast.token_of(person), request, depth)


@when("a visitor signs up with {megabytes:d} megabytes of padding")
def step_padded_sign_up(context, megabytes):
    """A visitor tries to sign up with a request padded to this many megabytes."""
    context.stored_before = hostile.stored_counts(context.inspector)
    context.reply = hostile.sign_up_padded(context.api, megabytes)


@when("{person:Person} reads the posts after a page marker dated {moment}")
def step_crafted_marker(context, person, moment):
    """The person reads posts after a handmade page marker carrying this moment."""
    context.reply = hostile.read_posts_after_marker(context.api, context.cast.token_of(person), moment)


@when("{person:Person} sends {request} with an empty {field}")
def step_empty_field(context, person, request, field):
    """The person sends this request with this field left empty."""
    context.sent = description.send_with_empty(context.api, context.cast.token_of(person), request, field)


@when("a visitor sends {request} with an empty {field}")
def step_visitor_empty_field(context, request, field):
    """Someone who has not signed in sends this request with this field left empty."""
    context.sent = description.send_with_empty(context.api, None, request, field)


@when('a visitor signs up with the internationalised email "{email}"')
def step_idn_sign_up(context, email):
    """A visitor signs up with this internationalised email address."""
    context.sent = description.sign_up(context.api, email)


@then('the request is refused because "{message}"')
def step_refused_because(context, message):
    """Checks the request was refused as bad input, with this message."""
    expect.expect_refused_as_bad_input(context.reply, message)


@then("nothing new is stored")
def step_nothing_new(context):
    """Checks the shop stored nothing new."""
    expect.expect_nothing_new_stored(context.stored_before, hostile.stored_counts(context.inspector))


@then("the request is refused as too large")
def step_too_large(context):
    """Checks the request was refused as too large."""
    expect.expect_too_large(context.reply)


@then("the answer names the methods {methods}")
def step_allowed_methods(context, methods):
    """Checks the answer names exactly these methods as the ones allowed."""
    named = [m.strip() for m in methods.replace(" and ", ",").split(",")]
    expect.expect_allowed_methods(context.api.exchanges[-1], named)


@then("the shop refuses it as invalid")
def step_refused_invalid(context):
    """Checks the shop refused what was sent as invalid."""
    description.expect_refused_as_invalid(context.sent)


@then("the API description the shop publishes says it is invalid too")
def step_described_invalid(context):
    """Checks the API description the shop publishes also calls what was sent invalid."""
    description.expect_described_as_invalid(description.ApiDescription.served_by(context.api), context.sent)


@then("the API description the shop publishes allows that sign-up and the shop's answer")
def step_described_valid(context):
    """Checks the API description the shop publishes allows the sign-up that was sent and the shop's answer."""
    description.expect_described_as_valid(description.ApiDescription.served_by(context.api), context.sent)
