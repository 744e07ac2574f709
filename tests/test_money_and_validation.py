"""Money is exact, and orders and products are validated before anything touches the database."""
from decimal import Decimal

import pytest

from shop.errors import InvalidInput
from shop.money import as_text, parse_amount
from shop.orders import validate_items
from shop.products import validate_product


@pytest.mark.parametrize(("given", "amount"), [("25", "25.00"), ("25.5", "25.50"), (" 0.99 ", "0.99"), (7, "7.00")])
def test_amounts_are_read_exactly(given, amount):
    assert parse_amount(given) == Decimal(amount)
    assert as_text(parse_amount(given)) == amount


@pytest.mark.parametrize("given", [19.9, "19.999", "-1.00", "1e3", "", None, True, "2000000.00", "12,50"])
def test_anything_but_an_exact_amount_is_refused(given):
    with pytest.raises(ValueError):
        parse_amount(given)


def test_an_order_lists_every_problem_with_its_items_at_once():
    with pytest.raises(InvalidInput) as refused:
        validate_items([{"sku": "MUG-1", "quantity": 0}, {"sku": "MUG-1", "quantity": 2}, {"quantity": 1}])
    assert refused.value.errors == {
        "items[0].quantity": "Quantity must be a whole number from 1 to 10000",
        "items[1].sku": "MUG-1 is ordered more than once; order it once with the whole quantity",
        "items[2].sku": "Say which product, by SKU",
    }


@pytest.mark.parametrize("items", [None, [], "MUG-1", {"sku": "MUG-1"}])
def test_an_order_without_items_is_refused(items):
    with pytest.raises(InvalidInput) as refused:
        validate_items(items)
    assert refused.value.errors == {"items": "An order needs at least one item"}


@pytest.mark.parametrize("quantity", [1.5, "2", True, -1, 10_001])
def test_a_quantity_is_a_whole_number_in_range(quantity):
    with pytest.raises(InvalidInput):
        validate_items([{"sku": "MUG-1", "quantity": quantity}])


def test_a_valid_order_keeps_the_customers_line_order():
    assert validate_items([{"sku": "B-1", "quantity": 2}, {"sku": "A-1", "quantity": 1}]) == [("B-1", 2), ("A-1", 1)]


def test_a_product_change_names_what_cannot_be_changed():
    fields, errors = validate_product({"price": "3.10", "sku": "NEW-1"}, partial=True)
    assert fields == {"price": Decimal("3.10")}
    assert errors == {"sku": "Only name, price, stock can be changed"}


def test_a_new_product_needs_every_field():
    _, errors = validate_product({})
    assert set(errors) == {"sku", "name", "price", "stock"}
