import pytest

from acme_sales.business.types import ParseError, Quantity

RULE = "must be a whole number from 0 to 1,000,000"


@pytest.mark.parametrize("raw", [0, 1, 42, 1_000_000])
def test_parse_accepts_0_to_a_million(raw: int) -> None:
    quantity = Quantity.parse(raw)

    assert quantity.value == raw
    assert str(quantity) == str(raw)


@pytest.mark.parametrize("raw", [-1, 1_000_001, 2**31, True, False, 1.0, "3"])
def test_parse_refuses_with_the_rule(raw: object) -> None:
    with pytest.raises(ParseError) as refused:
        Quantity.parse(raw)  # type: ignore[arg-type]

    assert str(refused.value) == RULE


def test_quantities_with_the_same_value_are_equal() -> None:
    assert Quantity.parse(3) == Quantity.parse(3)
    assert Quantity.parse(3) != Quantity.parse(4)


def test_only_parse_builds_one() -> None:
    with pytest.raises(TypeError, match=r"Quantity\.parse"):
        Quantity(3)
