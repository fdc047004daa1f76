import pytest

from acme_sales.business.types import Name, ParseError

RULE = "must be 3 to 20 characters (letters, digits, spaces, ' and -), starting with a letter"


@pytest.mark.parametrize(
    "raw",
    [
        "Ann",
        "Admin Gopher",
        "Mary-Jane O'Neil",
        "R2D2",
        "A" * 20,
        "Ann ",  # the reference rule lets spaces go anywhere after the first letter
    ],
)
def test_parse_accepts_and_keeps_the_value(raw: str) -> None:
    name = Name.parse(raw)

    assert str(name) == raw
    assert name.value == raw


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "Al",
        "A" * 21,
        "1Ann",
        " Ann",
        "-Ann",
        "'Ann",
        "Ann!",
        "Ann_Lee",
        "Zoë",
        "Ann\n",
        "Ann\tLee",
    ],
)
def test_parse_refuses_with_the_rule(raw: str) -> None:
    with pytest.raises(ParseError) as refused:
        Name.parse(raw)

    assert str(refused.value) == RULE


def test_names_with_the_same_value_are_equal() -> None:
    assert Name.parse("Ann") == Name.parse("Ann")
    assert len({Name.parse("Ann"), Name.parse("Ann")}) == 1
    assert Name.parse("Ann") != Name.parse("ann")
