"""Who takes part in a scenario."""
from behave import given


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
