"""Step parameter types, so steps receive domain values instead of parsing strings by hand."""
from __future__ import annotations

import re
from decimal import Decimal

import parse
from behave import register_type

from support.reports import readable_errors
from support.reports.readable_errors import TableRow


@parse.with_pattern(r"\d+(?:st|nd|rd|th)")
def parse_ordinal(text: str) -> int:
    return int(re.match(r"\d+", text).group())


@parse.with_pattern(r"[A-Z][a-z]+")
def parse_person(text: str) -> str:
    return text


def names(text: str) -> list[str]:
    """People named in a sentence: "Alice, Bob and Carol" -> ["Alice", "Bob", "Carol"]."""
    return [name.strip() for name in re.split(r",|\band\b", text) if name.strip()]


@parse.with_pattern(r"she|he")
def parse_pronoun(text: str) -> str:
    """he or she: one sentence serves either, so steps have no he/she duplicates."""
    return text


@parse.with_pattern(r"her|his")
def parse_possessive(text: str) -> str:
    """his or her, as in "Alice pays for her order"."""
    return text


@parse.with_pattern(r"customer|administrator")
def parse_role(text: str) -> str:
    return {"customer": "customer", "administrator": "admin"}[text]


@parse.with_pattern(r"database server|cache server|message broker")
def parse_server(text: str) -> str:
    return text


@parse.with_pattern(r'[^"\s]+')
def parse_path(text: str) -> str:
    return text


@parse.with_pattern(r"\d+\.\d{2}")
def parse_money(text: str) -> Decimal:
    """An amount as the shop shows it, "45.00": exact, never a float."""
    return Decimal(text)


@parse.with_pattern(r"-?\d+")
def parse_quantity(text: str) -> int:
    """How many of something; zero and negative quantities parse too, so scenarios can show them refused."""
    return int(text)


# Table cells hold the same values as step text, so they are read by the same functions.
TABLE_CELLS = {"price": parse_money, "total": parse_money, "stock": parse_quantity, "quantity": parse_quantity}


def table_rows(table) -> list[dict]:
    """A Gherkin table's rows as dicts, with money and quantity columns read as Decimal and int."""
    return [TableRow({heading: _cell(heading, row[heading]) for heading in table.headings}, table.headings)
            for row in table]


def _cell(heading: str, text: str):
    read = TABLE_CELLS.get(heading)
    if read is None:
        return text.strip()
    if not re.fullmatch(read.pattern, text.strip()):
        raise ValueError(f"the {heading} column holds {text!r}, which is not a {read.__name__.removeprefix('parse_')}")
    return read(text.strip())


def register_all() -> None:
    readable_errors.install()
    register_type(Ordinal=parse_ordinal, Person=parse_person, Role=parse_role, Path=parse_path)
    register_type(Money=parse_money, Quantity=parse_quantity, Server=parse_server)
    register_type(Pronoun=parse_pronoun, Possessive=parse_possessive)
