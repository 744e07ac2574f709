"""The scenario's people, by first name: actors who remember who they are, their stored id, their pass
once signed in, and the orders they placed.

People a scenario *starts with* ("Given Alice is a customer") are created through the shop's public API
with the operator's authority (support/door.py), the way an administrator adds an account; everything
a scenario *does* goes over HTTP in the person's own name.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from support import builders
from support.people.operator import Operator
from support.wires.api_client import Reply, ShopApi


@dataclass
class Person:
    first_name: str
    details: builders.PersonDetails
    id: str | None = None
    token: str | None = None
    without_pass: bool = False
    # The address the person's sign-ins come from; each person has their own.
    address: str = field(default_factory=builders.client_address)
    # The orders the person placed in this scenario, oldest first.
    orders: list[str] = field(default_factory=list)

    @property
    def email(self) -> str:
        return self.details.email

    @property
    def role(self) -> str:
        return self.details.role

    @property
    def last_order(self) -> str:
        if not self.orders:
            raise KeyError(f"{self.first_name} has not placed an order in this scenario")
        return self.orders[-1]


class Cast:
    def __init__(self, api: ShopApi, operator: Operator):
        self._api = api
        self._operator = operator
        self._people: dict[str, Person] = {}

    def __getitem__(self, first_name: str) -> Person:
        if first_name not in self._people:
            known = ", ".join(self._people) or "nobody yet"
            raise KeyError(f"{first_name} has not been introduced in this scenario (known: {known})")
        return self._people[first_name]

    def everyone(self) -> list[Person]:
        return list(self._people.values())

    def __contains__(self, first_name: str) -> bool:
        return first_name in self._people

    def introduce(self, first_name: str, role: str = "customer", email: str | None = None) -> Person:
        """Someone who has not signed up yet: realistic details, nothing stored."""
        details = builders.person(first_name, role=role)
        if email:
            details.email = email
        person = Person(first_name, details)
        self._people[first_name] = person
        return person

    def enrol(self, first_name: str, role: str = "customer", email: str | None = None) -> Person:
        """Someone who already has an account when the scenario starts."""
        person = self.introduce(first_name, role, email)
        person.id = store_user(self._api, self._operator, person.details)
        return person

    def enrol_named(self, full_name: str) -> None:
        """Someone in the background of the scenario, known only by their full name."""
        store_user(self._api, self._operator, builders.person(full_name=full_name))

    def enrol_crowd(self, count: int) -> None:
        for details in builders.people(count):
            store_user(self._api, self._operator, details)

    def enrol_buyers(self, count: int) -> list[Person]:
        """`count` customers in the background of the scenario (known by full name), signed in and ready."""
        buyers = []
        for details in builders.people(count):
            buyer = Person(details.name, details, id=store_user(self._api, self._operator, details))
            buyer.token = sign_in(self._api, buyer)
            buyers.append(buyer)
        return buyers

    def hold_pass(self, first_name: str, token: str | None) -> None:
        """Give the person a particular pass (None: no pass at all) instead of one from signing in."""
        person = self[first_name]
        person.token, person.without_pass = token, token is None

    def token_of(self, first_name: str) -> str | None:
        """The person's pass, signing them in over HTTP the first time it is needed."""
        person = self[first_name]
        if person.without_pass:
            return None
        if person.token is None:
            person.token = sign_in(self._api, person)
        return person.token


def store_user(api: ShopApi, operator: Operator, details: builders.PersonDetails) -> str:
    """An account as an administrator adds it; its id."""
    fields = {**details.sign_up_fields(), "role": details.role}
    return operator.act(lambda token: api.sign_up(fields, token=token), f"add {details.name}'s account", 201).body["id"]


def sign_in(api: ShopApi, person: Person) -> str:
    reply = api.sign_in(person.email, person.details.password, address=person.address)
    if reply.status != 200:
        raise AssertionError(f"{person.first_name} could not sign in to arrange the scenario: {reply.describe()}")
    return reply.body["token"]


def guess_passwords(api: ShopApi, emails: list[str], address: str) -> Reply:
    """Someone at one client address trying a wrong password on each email in turn; the last answer."""
    reply = None
    for attempt, email in enumerate(emails):
        reply = api.sign_in(email, f"a-wrong-guess-{attempt}", address=address)
    return reply
