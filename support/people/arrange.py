"""The scenario's people, by first name: who they are, their stored id, and their pass once signed in.

People a scenario *starts with* ("Given Alice is a customer") are stored through the shop's own
service layer, which is quick; everything a scenario *does* goes over HTTP through `ShopApi`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from shop.auth import Caller
from shop.users import Users
from support import builders
from support.wires.api_client import Reply, ShopApi

# The shop's own authority, used only to arrange a scenario's starting state.
_ARRANGER = Caller(uuid.UUID(int=0), "admin")


@dataclass
class Person:
    first_name: str
    details: builders.PersonDetails
    id: str | None = None
    token: str | None = None
    without_pass: bool = False
    # The address the person's sign-ins come from; each person has their own.
    address: str = field(default_factory=builders.client_address)

    @property
    def email(self) -> str:
        return self.details.email

    @property
    def role(self) -> str:
        return self.details.role


class Cast:
    def __init__(self, users: Users, api: ShopApi):
        self._users = users
        self._api = api
        self._people: dict[str, Person] = {}

    def __getitem__(self, first_name: str) -> Person:
        if first_name not in self._people:
            known = ", ".join(self._people) or "nobody yet"
            raise KeyError(f"{first_name} has not been introduced in this scenario (known: {known})")
        return self._people[first_name]

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
        person.id = str(store_user(self._users, person.details))
        return person

    def enrol_named(self, full_name: str) -> None:
        """Someone in the background of the scenario, known only by their full name."""
        store_user(self._users, builders.person(full_name=full_name))

    def enrol_crowd(self, count: int) -> None:
        for details in builders.people(count):
            store_user(self._users, details)

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
            reply = self._api.sign_in(person.email, person.details.password, address=person.address)
            if reply.status != 200:
                raise AssertionError(f"{first_name} could not sign in to arrange the scenario: {reply.describe()}")
            person.token = reply.body["token"]
        return person.token


def store_user(users: Users, details: builders.PersonDetails) -> uuid.UUID:
    fields = {**details.sign_up_fields(), "role": details.role}
    return users.register(fields, _ARRANGER).id



def guess_passwords(api: ShopApi, emails: list[str], address: str) -> Reply:
    """Someone at one client address trying a wrong password on each email in turn; the last answer."""
    reply = None
    for attempt, email in enumerate(emails):
        reply = api.sign_in(email, f"a-wrong-guess-{attempt}", address=address)
    return reply
