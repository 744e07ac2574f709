"""Realistic data for scenarios: people with plausible names, unique emails and strong passwords.

Faker is seeded once per run (setting `seed`, printed at the start) so a run's data can be replayed.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from faker import Faker

# Only the providers the builders below use: Faker's default is all of them in every locale, 0.15 s at every
# run's start. The same seed gives the same data either way (tests/test_builders.py).
_PROVIDERS = [f"faker.providers.{name}" for name in ("person", "internet", "misc", "lorem", "color", "company")]
_faker = Faker(["en_GB", "en_US", "de_DE", "es_ES", "it_IT"], providers=_PROVIDERS)


def seed(value: int) -> None:
    Faker.seed(value)
    _faker.unique.clear()


@dataclass
class PersonDetails:
    name: str
    email: str
    password: str
    role: str = "customer"

    def sign_up_fields(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email, "password": self.password}


def strong_password() -> str:
    # Faker guarantees one of each requested class, so the shop's rule (letter and digit) always holds.
    return _faker.password(length=14, special_chars=True, digits=True, upper_case=True, lower_case=True)


def email_for(name: str) -> str:
    local = ".".join(part for part in "".join(c if c.isalnum() else " " for c in name).lower().split())
    local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode() or "user"
    return f"{local}.{_faker.unique.random_int(1000, 999999)}@{_faker.safe_domain_name()}"


def person(first_name: str | None = None, *, role: str = "customer", full_name: str | None = None) -> PersonDetails:
    """A person; a scenario's 'Alice' becomes e.g. 'Alice Whitfield' with a unique address."""
    name = full_name or f"{first_name or _faker.first_name()} {_faker.last_name()}"
    return PersonDetails(name=name, email=email_for(name), password=strong_password(), role=role)


def client_address() -> str:
    """Where someone's requests come from, as the shop's proxy reports it (X-Forwarded-For)."""
    return _faker.unique.ipv4_public()


def people(count: int, role: str = "customer") -> list[PersonDetails]:
    return [person(role=role) for _ in range(count)]


def unknown_id() -> str:
    """An id no user has: random, so no scenario can accidentally create it."""
    return str(_faker.uuid4())


def sku_for(product_name: str) -> str:
    """A plausible, unique stock-keeping unit for a scenario's product: 'Kettle' becomes e.g. 'KETTLE-48213'."""
    stem = "".join(c for c in unicodedata.normalize("NFKD", product_name).upper() if c.isascii() and c.isalnum())
    return f"{stem[:12] or 'ITEM'}-{_faker.unique.random_int(10000, 99999)}"


_PRODUCT_NOUNS = ("Kettle", "Teapot", "Mug", "Toaster", "Jug", "Bowl", "Colander", "Whisk", "Ladle", "Grater")


def search_words(count: int) -> list[str]:
    """Distinct words someone might type into a search box."""
    return [f"{_faker.word()}{_faker.unique.random_int(1, 999999)}" for _ in range(count)]


def product_name() -> str:
    """A plausible product for scenarios that do not care which: e.g. 'Olive Colander'."""
    return f"{_faker.color_name()} {_faker.random_element(_PRODUCT_NOUNS)}"


def post_titles(count: int) -> list[str]:
    """Distinct, plausible post titles, e.g. 'Seamless client-driven paradigm (3)'."""
    return [f"{_faker.catch_phrase()} ({_faker.unique.random_int(1, 999999)})" for _ in range(count)]


def paragraph() -> str:
    return _faker.paragraph(nb_sentences=3)


def sentence() -> str:
    return _faker.sentence(nb_words=8)
