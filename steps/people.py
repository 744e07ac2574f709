"""Who takes part in a scenario."""
from behave import given, when

from support.people import back_office


@given("{person:Person} is an administrator")
def step_administrator(context, person):
    """The person has an administrator's account in the shop."""
    context.cast.enrol(person, role="admin")


@given("{person:Person} is a customer")
def step_customer(context, person):
    """The person has a customer's account in the shop."""
    context.cast.enrol(person)


@given("{person:Person} has signed up with the email \"{email}\"")
def step_signed_up_with_email(context, person, email):
    """The person has signed up with this email address."""
    context.cast.enrol(person, email=email)


@given("{person:Person} has not signed up yet")
def step_not_signed_up(context, person):
    """The person has no account in the shop yet."""
    context.cast.introduce(person)


@given("{count:d} other customers have signed up")
def step_other_customers(context, count):
    """This many other customers have accounts in the shop."""
    context.cast.enrol_crowd(count)


@given("these customers have signed up")
def step_these_customers(context):
    """The customers named in the table have accounts in the shop."""
    for row in context.table:
        context.cast.enrol_named(row["name"])


@given("{person:Person} has signed in")
def step_has_signed_in(context, person):
    """The person has signed in and holds a pass."""
    context.cast.token_of(person)


@when("{person:Person} is no longer an administrator")
def step_demoted(context, person):
    """The person loses their administrator's role (they become a customer)."""
    back_office.change_role(context.inspector.url, context.cast[person].id, "customer")


@when("{person:Person}'s account is deleted")
def step_account_deleted(context, person):
    """The person's account is deleted from the shop."""
    back_office.delete_account(context.inspector.url, context.cast[person].id)
