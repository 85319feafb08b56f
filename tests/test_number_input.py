"""Numbers as people type (or scan) them: only the digits 0-9 make a quantity, and no more than a
billion of anything; money is a finite amount the schema can store. Anything else is a clear refusal,
never a traceback from the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockdesk.db.records import Money
from stockdesk.domain import validate
from stockdesk.domain.errors import InvalidInput
from tests.builders import snapshot
from tests.purchasing_world import supplier
from tests.test_cli import Cli

TOO_MANY = "99999999999999999999"


@pytest.mark.parametrize(
    ("typed", "match"),
    [
        ("²", "must be a whole number of units; '²' is not"),
        ("٣", "must be a whole number of units; '٣' is not"),
        ("1000000001", "Quantity 1000000001 is more than 1,000,000,000; check the number"),
        (TOO_MANY, "Quantity 999999999999999\u2026 is more than 1,000,000,000"),
        ("9" * 5000, "is more than 1,000,000,000"),
        (10**20, "is more than 1,000,000,000"),
        ("-" + TOO_MANY, "must be greater than zero; got -99999999999999\u2026"),
    ],
)
def test_a_quantity_is_digits_0_to_9_and_at_most_a_billion(typed, match):
    with pytest.raises(InvalidInput, match=match):
        validate.quantity(typed)


def test_the_largest_quantity_is_accepted():
    assert validate.quantity(" 1000000000 ") == validate.MOST_UNITS == 1_000_000_000


@given(st.one_of(st.text(), st.integers()))
def test_any_quantity_is_a_count_in_range_or_a_clear_refusal(typed):
    try:
        value = validate.quantity(typed)
    except InvalidInput:
        return
    assert 0 < value <= validate.MOST_UNITS


@pytest.mark.parametrize(
    ("typed", "match"),
    [
        ("1e9999", "Price 1e9999 is too large; the most an amount can be is 9,999,999,999.9999"),
        ("10000000000", "is too large"),
        ("9999999999.99995", "is too large"),  # it would round up past the limit
        ("NaN", "Price must be a number such as 12.50; 'NaN' is not"),
        ("-Infinity", "must be a number such as 12.50; '-Infinity' is not"),
        ("١٢", "must be a number such as 12.50"),
        ("12,50", "must be a number such as 12.50; '12,50' is not"),
        ("-1", "Price cannot be negative; got -1"),
    ],
)
def test_money_is_a_finite_amount_the_schema_can_store(typed, match):
    with pytest.raises(InvalidInput, match=match):
        validate.money(typed, what="Price")


def test_the_largest_amount_fits_the_schema():
    assert (Money.precision, Money.scale) == (validate.MONEY_DIGITS, validate.MONEY_PLACES)
    assert validate.money("9999999999.9999", what="Price") == validate.MOST_MONEY
    assert str(validate.money("-0", what="Price")) == "0.0000"


@given(st.one_of(st.text(), st.decimals(), st.floats()))
def test_any_amount_is_storable_or_a_clear_refusal(typed):
    try:
        amount = validate.money(typed, what="Price")
    except InvalidInput:
        return
    assert Decimal(0) <= amount <= validate.MOST_MONEY and amount.as_tuple().exponent == -validate.MONEY_PLACES


@pytest.fixture
def cli(world, db_url: str) -> Cli:
    supplier(world)
    return Cli(db_url)


@pytest.mark.parametrize(
    ("command", "match"),
    [
        ("so create Ada --line TEE-M ²", "Quantity must be a whole number of units; '²' is not"),
        (f"so create Ada --line TEE-M {TOO_MANY}", "is more than 1,000,000,000"),
        ("so create Ada --line TEE-M 1 NaN", "Unit price of TEE-M must be a number such as 12.50; 'NaN' is not"),
        (f"po create ACME --to WH1-A-01 --line TEE-M {TOO_MANY}", "Quantity of TEE-M 999999999999999"),
        ("po create ACME --to WH1-A-01 --line TEE-M 1 1e9999", "Unit cost of TEE-M 1e9999 is too large"),
        ("po create ACME --to WH1-A-01 --line TEE-M 1 NaN", "Unit cost of TEE-M must be a number such as 12.50"),
        (f"supplier add ZED Zed --over-pct {TOO_MANY}", "Over-receipt tolerance (%) 999999999999999"),
        ("supplier add ZED Zed --over-pct ²", "Over-receipt tolerance (%) must be a whole number of units; '²'"),
        (f"putaway capacity WH1-A-01 {TOO_MANY}", "Capacity 999999999999999\u2026 is more than 1,000,000,000"),
        ("putaway capacity WH1-A-01 ²", "Capacity must be a whole number of units; '²' is not"),
        ("product add X-1 --name X --price 1e9999", "Price 1e9999 is too large"),
        ("product add X-1 --name X --price NaN", "Price must be a number such as 12.50; 'NaN' is not"),
    ],
)
def test_the_cli_refuses_bad_numbers_with_a_message(cli, world, command, match):
    before = snapshot(world)

    cli.refused(*command.split(), match=match)

    assert snapshot(world) == before
