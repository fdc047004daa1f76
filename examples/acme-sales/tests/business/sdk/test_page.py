import pytest

from acme_sales.business.sdk.page import Page
from acme_sales.business.types import ParseError


@pytest.mark.parametrize(
    ("page", "rows", "expected", "offset"),
    [
        (None, None, Page(1, 10), 0),
        ("", "", Page(1, 10), 0),
        ("3", None, Page(3, 10), 20),
        (None, "25", Page(1, 25), 0),
        ("3", "25", Page(3, 25), 50),
        ("1", "1", Page(1, 1), 0),
        ("2", "100", Page(2, 100), 100),
        ("1000000", "100", Page(1_000_000, 100), 99_999_900),
    ],
)
def test_parse_takes_the_page_or_the_defaults(
    page: str | None, rows: str | None, expected: Page, offset: int
) -> None:
    parsed = Page.parse(page, rows)

    assert parsed == expected
    assert parsed.offset == offset


@pytest.mark.parametrize(
    ("page", "rows", "message"),
    [
        ("0", None, "page must be 1 or more"),
        ("-1", None, "page must be 1 or more"),
        ("1000001", None, "page must be at most 1000000"),
        ("abc", None, "page must be a whole number"),
        ("1.5", None, "page must be a whole number"),
        (" 2", None, "page must be a whole number"),
        ("+2", None, "page must be a whole number"),
        ("1_000", None, "page must be a whole number"),
        ("٣", None, "page must be a whole number"),  # an Arabic-Indic 3, which int() accepts
        (None, "0", "rows must be between 1 and 100"),
        (None, "101", "rows must be between 1 and 100"),
        (None, "-5", "rows must be between 1 and 100"),
        (None, "ten", "rows must be a whole number"),
    ],
)
def test_parse_refuses_with_the_reason(page: str | None, rows: str | None, message: str) -> None:
    with pytest.raises(ParseError) as refused:
        Page.parse(page, rows)

    assert str(refused.value) == message


def test_a_page_built_directly_is_checked_too() -> None:
    with pytest.raises(ParseError, match="rows must be between 1 and 100"):
        Page(1, 0)
