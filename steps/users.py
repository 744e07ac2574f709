"""Signing up, listing, searching and reading users."""
from behave import then, when

from support import builders
from support.people import check as expect


@when("{person:Person} signs up")
def step_sign_up(context, person):
    """The person signs up with their name, email and password."""
    context.headcount = context.inspector.count("users")
    context.reply = context.api.sign_up(context.cast[person].details.sign_up_fields())


@when("{person:Person} signs up as an administrator")
def step_sign_up_as_admin(context, person):
    """The person tries to sign up, asking to be an administrator."""
    context.headcount = context.inspector.count("users")
    context.reply = context.api.sign_up({**context.cast[person].details.sign_up_fields(), "role": "admin"})


@when("a visitor signs up with")
def step_sign_up_with_table(context):
    """A visitor tries to sign up with exactly the fields in the table."""
    context.headcount = context.inspector.count("users")
    context.reply = context.api.sign_up(dict(context.table[0].items()))


@when('a visitor signs up with the {field:w} "{value}"')
def step_sign_up_with_field(context, field, value):
    """A visitor tries to sign up with this value for one field, the others being valid."""
    context.headcount = context.inspector.count("users")
    context.reply = context.api.sign_up({**builders.person().sign_up_fields(), field: value})


@when("{person:Person} lists the users")
def step_list(context, person):
    """The person asks for the list of users."""
    context.reply = context.api.list_users(context.cast.token_of(person))


@when("{person:Person} lists the users, {limit:d} per page, page {page:d}")
def step_list_page(context, person, limit, page):
    """The person asks for one page of the list of users, with this many per page."""
    context.reply = context.api.list_users(context.cast.token_of(person), page=page, limit=limit)


@when('{person:Person} searches the users for "{text}"')
def step_search(context, person, text):
    """The person searches the users for this text."""
    context.reply = context.api.list_users(context.cast.token_of(person), search=text)


@when("{person:Person} looks at {possessive:Possessive} own details")
def step_own_details(context, person, possessive=None):
    """The person asks to see their own account details."""
    context.reply = context.api.get_user(context.cast.token_of(person), context.cast[person].id)


@when("{person:Person} looks at {other:Person}'s details")
def step_someone_elses_details(context, person, other):
    """The person asks to see someone else's account details."""
    context.reply = context.api.get_user(context.cast.token_of(person), context.cast[other].id)


@when("{person:Person} looks up a user who does not exist")
def step_unknown_user(context, person):
    """The person asks for a user the shop does not know."""
    context.reply = context.api.get_user(context.cast.token_of(person), builders.unknown_id())


@then("{pronoun:Pronoun} sees {count:d} users on page {page:d} of {pages:d}, out of {total:d} in total")
def step_sees_page(context, count, page, pages, total, pronoun=None):
    """Checks the page shows this many users and says its page number, the number of pages and the total."""
    expect.expect_page(context.reply, count=count, page=page, pages=pages, total=total)


@then("the page shows the {first:Ordinal} to the {last:Ordinal} user to sign up")
def step_page_range(context, first, last):
    """Checks the page holds exactly the users who signed up in these positions (first to last)."""
    expect.expect_page_holds_sign_up_range(context.reply, context.inspector, first, last)


@then("{pronoun:Pronoun} finds exactly these users")
def step_finds_these(context, pronoun=None):
    """Checks the search found exactly the users named in the table."""
    expect.expect_names(context.reply, [row["name"] for row in context.table])


@then('{pronoun:Pronoun} finds exactly "{name}"')
def step_finds_one(context, name, pronoun=None):
    """Checks the search found exactly this one user."""
    expect.expect_names(context.reply, [name])


@then("{pronoun:Pronoun} finds nobody")
def step_finds_nobody(context, pronoun=None):
    """Checks the search found no user."""
    expect.expect_names(context.reply, [])


@then("{count:d} users are still stored")
def step_users_stored(context, count):
    """Checks the shop still stores exactly this many users."""
    expect.expect_user_count(context.inspector, count)


@then("no new user is stored")
def step_no_new_user(context):
    """Checks the shop stored no new user."""
    expect.expect_user_count(context.inspector, context.headcount)


@then("{person:Person}'s account is created as a {role:Role}")
def step_account_created(context, person, role):
    """Checks the person's account was created with this role."""
    context.cast[person].id = expect.expect_created_account(context.reply, context.cast[person].email, role)


@then("{person:Person}'s account is stored with {possessive:Possessive} name and email")
def step_account_stored(context, person, possessive=None):
    """Checks the shop stores the person's account with their name and email."""
    details = context.cast[person].details
    expect.expect_stored_user(context.inspector, details.email, name=details.name, id=context.cast[person].id)


@then("{person:Person}'s password is stored only as a bcrypt hash")
def step_password_hashed(context, person):
    """Checks the person's password is stored only as a bcrypt hash, never as written."""
    row = expect.expect_stored_user(context.inspector, context.cast[person].email)
    expect.expect_bcrypt_hash_of(row, context.cast[person].details.password)


@then("the reply does not show {person:Person}'s password")
def step_reply_hides_password(context, person):
    """Checks the answer does not show the person's password."""
    expect.expect_no_secret_in(context.reply, context.cast[person].details.password)


@then("the sign-up is refused with these problems")
def step_refused_with_problems(context):
    """Checks the sign-up was refused naming each field and its problem, as in the table."""
    expect.expect_validation_errors(context.reply, {row["field"]: row["problem"] for row in context.table})


@then("the sign-up is refused because {reason}")
@then("{pronoun:Pronoun} is refused because {reason}")
def step_refused_because(context, reason, pronoun=None):
    """Checks the sign-up or request was refused for this reason."""
    expect.expect_refusal(context.reply, reason)


@then('only one account is stored for "{email}"')
def step_one_account(context, email):
    """Checks the shop stores only one account for this email address."""
    expect.expect_accounts_for(context.inspector, email, 1)


@then("{person:Person} sees {possessive:Possessive} name and email")
def step_sees_own_details(context, person, possessive=None):
    """Checks the person is shown their own name and email."""
    expect.expect_profile_of(context.reply, context.cast[person].details)


@then("{pronoun:Pronoun} is told the user was not found")
def step_not_found(context, pronoun=None):
    """Checks the person was told the user was not found."""
    expect.expect_error(context.reply, 404, "User not found")
