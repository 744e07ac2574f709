"""Signing up, listing, searching and reading users."""
from behave import then, when

from support import builders
from support.people import check as expect


@when("{person:Person} signs up")
def step_sign_up(context, person):
    context.headcount = context.inspector.count("users")
    context.reply = context.api.sign_up(context.cast[person].details.sign_up_fields())


@when("{person:Person} signs up as an administrator")
def step_sign_up_as_admin(context, person):
    context.headcount = context.inspector.count("users")
    context.reply = context.api.sign_up({**context.cast[person].details.sign_up_fields(), "role": "admin"})


@when("a visitor signs up with")
def step_sign_up_with_table(context):
    context.headcount = context.inspector.count("users")
    context.reply = context.api.sign_up(dict(context.table[0].items()))


@when('a visitor signs up with the {field:w} "{value}"')
def step_sign_up_with_field(context, field, value):
    context.headcount = context.inspector.count("users")
    context.reply = context.api.sign_up({**builders.person().sign_up_fields(), field: value})


@when("{person:Person} lists the users")
def step_list(context, person):
    context.reply = context.api.list_users(context.cast.token_of(person))


@when("{person:Person} lists the users, {limit:d} per page, page {page:d}")
def step_list_page(context, person, limit, page):
    context.reply = context.api.list_users(context.cast.token_of(person), page=page, limit=limit)


@when('{person:Person} searches the users for "{text}"')
def step_search(context, person, text):
    context.reply = context.api.list_users(context.cast.token_of(person), search=text)


@when("{person:Person} looks at her own details")
@when("{person:Person} looks at his own details")
def step_own_details(context, person):
    context.reply = context.api.get_user(context.cast.token_of(person), context.cast[person].id)


@when("{person:Person} looks at {other:Person}'s details")
def step_someone_elses_details(context, person, other):
    context.reply = context.api.get_user(context.cast.token_of(person), context.cast[other].id)


@when("{person:Person} looks up a user who does not exist")
def step_unknown_user(context, person):
    context.reply = context.api.get_user(context.cast.token_of(person), builders.unknown_id())


@then("she sees {count:d} users on page {page:d} of {pages:d}, out of {total:d} in total")
def step_sees_page(context, count, page, pages, total):
    expect.expect_page(context.reply, count=count, page=page, pages=pages, total=total)


@then("the page shows the {first:Ordinal} to the {last:Ordinal} user to sign up")
def step_page_range(context, first, last):
    expect.expect_page_holds_sign_up_range(context.reply, context.inspector, first, last)


@then("she finds exactly these users")
def step_finds_these(context):
    expect.expect_names(context.reply, [row["name"] for row in context.table])


@then('she finds exactly "{name}"')
def step_finds_one(context, name):
    expect.expect_names(context.reply, [name])


@then("she finds nobody")
def step_finds_nobody(context):
    expect.expect_names(context.reply, [])


@then("{count:d} users are still stored")
def step_users_stored(context, count):
    expect.expect_user_count(context.inspector, count)


@then("no new user is stored")
def step_no_new_user(context):
    expect.expect_user_count(context.inspector, context.headcount)


@then("{person:Person}'s account is created as a {role:Role}")
def step_account_created(context, person, role):
    context.cast[person].id = expect.expect_created_account(context.reply, context.cast[person].email, role)


@then("{person:Person}'s account is stored with her name and email")
@then("{person:Person}'s account is stored with his name and email")
def step_account_stored(context, person):
    details = context.cast[person].details
    expect.expect_stored_user(context.inspector, details.email, name=details.name, id=context.cast[person].id)


@then("{person:Person}'s password is stored only as a bcrypt hash")
def step_password_hashed(context, person):
    row = expect.expect_stored_user(context.inspector, context.cast[person].email)
    expect.expect_bcrypt_hash_of(row, context.cast[person].details.password)


@then("the reply does not show {person:Person}'s password")
def step_reply_hides_password(context, person):
    expect.expect_no_secret_in(context.reply, context.cast[person].details.password)


@then("the sign-up is refused with these problems")
def step_refused_with_problems(context):
    expect.expect_validation_errors(context.reply, {row["field"]: row["problem"] for row in context.table})


@then("the sign-up is refused because {reason}")
@then("she is refused because {reason}")
@then("he is refused because {reason}")
def step_refused_because(context, reason):
    expect.expect_refusal(context.reply, reason)


@then('only one account is stored for "{email}"')
def step_one_account(context, email):
    expect.expect_accounts_for(context.inspector, email, 1)


@then("{person:Person} sees her name and email")
@then("{person:Person} sees his name and email")
def step_sees_own_details(context, person):
    expect.expect_profile_of(context.reply, context.cast[person].details)


@then("she is told the user was not found")
@then("he is told the user was not found")
def step_not_found(context):
    expect.expect_error(context.reply, 404, "User not found")
