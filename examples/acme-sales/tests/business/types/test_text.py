import pytest

from acme_sales.business.types import ParseError, Text

RULE = "must be 1 to 1000 characters, not only spaces"


@pytest.mark.parametrize(
    "raw", ["x", "12 Main Street", "  kept as given  ", "Zoë's café, 2nd floor", "€" * 1000]
)
def test_parse_accepts_and_keeps_the_value(raw: str) -> None:
    text = Text.parse(raw)

    assert text.value == raw
    assert str(text) == raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", RULE),
        ("   ", RULE),
        ("\n\t", RULE),
        ("x" * 1001, RULE),
        ("before\0after", "must not contain a NUL character"),
        ("lone \ud800 surrogate", "must be valid Unicode text"),
    ],
)
def test_parse_refuses_with_the_reason(raw: str, message: str) -> None:
    with pytest.raises(ParseError) as refused:
        Text.parse(raw)

    assert str(refused.value) == message


def test_only_parse_builds_one() -> None:
    with pytest.raises(TypeError, match=r"Text\.parse"):
        Text("x")
