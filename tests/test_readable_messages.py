"""Messages a product owner can act on: values in words, mistyped steps and table headings answered."""
from decimal import Decimal

import pytest

from support.reports.readable_errors import TableHeadingError, TableRow, closest_sentences, undefined_step_message
from support.words import in_words

SENTENCES = [("given", "{person:Person} is a customer"), ("given", "{person:Person} is an administrator"),
             ("when", "{person:Person} orders"), ("then", "the stock of {product} is {count:d}")]


def test_values_read_as_words_not_python():
    assert in_words({"page": 2, "pages": 3, "total": 25}) == "page 2, pages 3, total 25"
    assert in_words([("Mug", 2, Decimal("10.00"))]) == "(Mug, 2, 10.00)"
    assert (in_words([]), in_words(None), in_words({"Kettle", "Mug"})) == ("none", "nothing", "Kettle, Mug")


def test_an_undefined_step_is_answered_with_the_closest_sentences():
    message = undefined_step_message("Given", "Alice is a custmer", SENTENCES)
    assert message.splitlines()[1] == "  {person:Person} is a customer", message
    assert closest_sentences("the weather is fine today", [p for _, p in SENTENCES]) == []


def test_a_wrong_table_heading_names_the_heading_wanted_and_those_the_table_has():
    row = TableRow({"produkt": "Mug", "quantity": 1}, ["produkt", "quantity"])
    with pytest.raises(TableHeadingError) as raised:
        row["product"]
    assert str(raised.value) == ('this step reads a column headed "product", which the table does not have '
                                 '(is "produkt" meant to be "product"?); the table\'s headings are: produkt | quantity')
