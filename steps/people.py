"""Who takes part in a scenario."""
from behave import given, when

from support.people import back_office


@given("{person:Person} is an administrator")
def step_administrator(context, person):
    context.cast.enrol(person, role="admin")


@given("{person:Person} is a customer")
def step_customer(context, person):
    context.cast.enrol(person)


@given("{person:Person} has signed up with the email \"{email}\"")
def step_signed_up_with_email(context, person, email):
    context.cast.enrol(person, email=email)


@given("{person:Person} has not signed up yet")
def step_not_signed_up(context, person):
    context.cast.introduce(person)


@given("{count:d} other customers have signed up")
def step_other_customers(context, count):
    context.cast.enrol_crowd(count)


@given("these customers have signed up")
def step_these_customers(context):
    for row in context.table:
        context.cast.enrol_named(row["name"])


@given("{person:Person} has signed in")
def step_has_signed_in(context, person):
    context.cast.token_of(person)


@when("{person:Person} is no longer an administrator")
def step_demoted(context, person):
    back_office.change_role(context.inspector.url, context.cast[person].id, "customer")


@when("{person:Person}'s account is deleted")
def step_account_deleted(context, person):
    back_office.delete_account(context.inspector.url, context.cast[person].id)
