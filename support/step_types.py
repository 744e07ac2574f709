"""Step parameter types, so steps receive domain values instead of parsing strings by hand."""
from __future__ import annotations

import re

import parse
from behave import register_type


@parse.with_pattern(r"\d+(?:st|nd|rd|th)")
def parse_ordinal(text: str) -> int:
    return int(re.match(r"\d+", text).group())


@parse.with_pattern(r"[A-Z][a-z]+")
def parse_person(text: str) -> str:
    return text


@parse.with_pattern(r"customer|administrator")
def parse_role(text: str) -> str:
    return {"customer": "customer", "administrator": "admin"}[text]


@parse.with_pattern(r'[^"\s]+')
def parse_path(text: str) -> str:
    return text


def register_all() -> None:
    register_type(Ordinal=parse_ordinal, Person=parse_person, Role=parse_role, Path=parse_path)
