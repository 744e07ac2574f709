"""Steps for @api-contract scenarios, where the wire format itself is the point."""
from behave import then, when

from support.json_match import assert_json_matches
from support.people import check as expect


@when('a visitor sends {method:w} "{path:Path}" with')
def step_visitor_sends_body(context, method, path):
    context.headcount = context.inspector.count("users")
    context.reply = context.api.send(method, path, raw=context.text, content_type="application/json")


@when('a visitor sends {method:w} "{path:Path}" as "{content_type}" with')
def step_visitor_sends_typed_body(context, method, path, content_type):
    context.headcount = context.inspector.count("users")
    context.reply = context.api.send(method, path, raw=context.text, content_type=content_type)


@when('a visitor sends {method:w} "{path:Path}"')
def step_visitor_sends(context, method, path):
    context.reply = context.api.send(method, path)


@when('{person:Person} sends {method:w} "{path:Path}"')
def step_person_sends(context, person, method, path):
    context.reply = context.api.send(method, path, token=context.cast.token_of(person))


@then("the response status is {status:d}")
def step_status(context, status):
    expect.expect_status(context.reply, status, "the last request")


@then("the response matches")
def step_response_matches(context):
    assert_json_matches(context.reply.body, context.text)


@then("every listed user matches")
def step_every_user_matches(context):
    for user in context.reply.body["data"]:
        assert_json_matches(user, context.text)


@then('the stored user "{email}" has the id the response gave')
def step_stored_id(context, email):
    expect.expect_stored_user(context.inspector, email, id=context.reply.body["id"])
