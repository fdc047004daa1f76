from decimal import Decimal

import pytest

from acme_sales.business.types import Money, ParseError

RULE = "must be from 0.00 to 999,999,999.99, with at most 2 decimal places"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0", "0.00"),
        ("0.00", "0.00"),
        ("-0", "0.00"),
        ("19.99", "19.99"),
        ("19.9", "19.90"),
        ("19.900", "19.90"),  # trailing zeros lose no cent: not "more places"
        ("999999999.99", "999999999.99"),
        (0, "0.00"),
        (250, "250.00"),
        (Decimal("0.10"), "0.10"),
        (Decimal("1E+2"), "100.00"),
    ],
)
def test_parse_keeps_the_exact_amount_with_two_places(raw: str | int | Decimal, value: str) -> None:
    money = Money.parse(raw)

    assert money.value == Decimal(value)
    assert money.value.as_tuple().exponent == -2
    assert str(money) == value


@pytest.mark.parametrize(
    "raw",
    [
        "1.999",  # refused, not rounded
        "0.001",
        Decimal("0.005"),
        "-0.01",
        -1,
        "1000000000",
        "999999999.991",
        10**12,
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
    ],
)
def test_parse_refuses_amounts_out_of_range_or_finer_than_a_cent(raw: str | int | Decimal) -> None:
    with pytest.raises(ParseError) as refused:
        Money.parse(raw)

    assert str(refused.value) == RULE


@pytest.mark.parametrize(
    "raw", ["", "abc", "1,50", "1.", ".5", " 1.50", "1.50 ", "1e3", "NaN", "1_000"]
)
def test_parse_refuses_text_that_is_not_a_plain_number(raw: str) -> None:
    with pytest.raises(ParseError) as refused:
        Money.parse(raw)

    assert str(refused.value) == "must be a number such as 19.99"


@pytest.mark.parametrize(("raw", "kind"), [(19.99, "float"), (0.0, "float"), (True, "bool")])
def test_parse_refuses_floats_and_bools_by_type(raw: object, kind: str) -> None:
    with pytest.raises(ParseError) as refused:
        Money.parse(raw)  # type: ignore[arg-type]

    assert str(refused.value) == (
        f'must be a decimal string such as "19.99", a Decimal or a whole number, not a {kind}'
    )


def test_amounts_equal_to_the_cent_are_equal() -> None:
    assert Money.parse("1.5") == Money.parse(Decimal("1.50")) == Money.parse("1.500")
    assert len({Money.parse("1.5"), Money.parse("1.50")}) == 1
    assert Money.parse("1.5") != Money.parse("1.51")


def test_only_parse_builds_one() -> None:
    with pytest.raises(TypeError, match=r"Money\.parse"):
        Money(Decimal("1.00"))
