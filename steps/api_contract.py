"""Steps for @api-contract scenarios, where the wire format itself is the point."""
from behave import then, when

from support.json_match import assert_json_matches
from support.people import check as expect


@when('a visitor sends {method:w} "{path:Path}" with')
def step_visitor_sends_body(context, method, path):
    """Someone who has not signed in sends this request with the JSON body written under the step."""
    context.headcount = context.inspector.count("users")
    context.reply = context.api.send(method, path, raw=context.text, content_type="application/json")


@when('a visitor sends {method:w} "{path:Path}" as "{content_type}" with')
def step_visitor_sends_typed_body(context, method, path, content_type):
    """Someone who has not signed in sends this request with the body under the step, as this content type."""
    context.headcount = context.inspector.count("users")
    context.reply = context.api.send(method, path, raw=context.text, content_type=content_type)


@when('a visitor sends {method:w} "{path:Path}"')
def step_visitor_sends(context, method, path):
    """Someone who has not signed in sends this request, without a body."""
    context.reply = context.api.send(method, path)


@when('{person:Person} sends {method:w} "{path:Path}"')
def step_person_sends(context, person, method, path):
    """The person sends this request with their pass, without a body."""
    context.reply = context.api.send(method, path, token=context.cast.token_of(person))


@then("the response status is {status:d}")
def step_status(context, status):
    """Checks the answer has this HTTP status."""
    expect.expect_status(context.reply, status, "the last request")


@then("the response matches")
def step_response_matches(context):
    """Checks the answer's body matches the JSON written under the step (placeholders allowed)."""
    assert_json_matches(context.reply.body, context.text)


@then("every listed user matches")
def step_every_user_matches(context):
    """Checks every user in the answer's list matches the JSON written under the step."""
    for user in context.reply.body["data"]:
        assert_json_matches(user, context.text)


@then('the stored user "{email}" has the id the response gave')
def step_stored_id(context, email):
    """Checks the user stored with this email has the id the answer gave."""
    expect.expect_stored_user(context.inspector, email, id=context.reply.body["id"])
