import pytest

from acme_sales.business.types import Email, ParseError

NOT_AN_ADDRESS = "must be an email address such as name@example.com"
LONGEST_DOMAIN = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 47]) + ".com"  # 243 characters


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("ann@example.com", "ann@example.com"),
        ("a@b.co", "a@b.co"),
        ("Ann.Lee+tag@Example.COM", "Ann.Lee+tag@example.com"),  # only the domain is folded
        ("o'brien@mail.example.org", "o'brien@mail.example.org"),
        ("x_y-z@sub-domain.example.io", "x_y-z@sub-domain.example.io"),
        ("user@xn--bcher-kva.example", "user@xn--bcher-kva.example"),  # an IDN, as punycode
        ("l" * 10 + "@" + LONGEST_DOMAIN, "l" * 10 + "@" + LONGEST_DOMAIN),  # 254 characters
    ],
)
def test_parse_accepts_and_lowercases_the_domain(raw: str, stored: str) -> None:
    email = Email.parse(raw)

    assert str(email) == stored
    assert email.value == stored


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ann",
        "ann@",
        "@example.com",
        "ann@example",
        "ann@@example.com",
        "ann@bob@example.com",
        "ann lee@example.com",
        ".ann@example.com",
        "ann.@example.com",
        "ann..lee@example.com",
        "ann@-example.com",
        "ann@example-.com",
        "ann@example..com",
        "ann@.example.com",
        "ann@example.com.",
        "ann@exa_mple.com",
        "ann@192.168.0.1",
        "ann@[192.168.0.1]",
        '"ann lee"@example.com',
        "Ann <ann@example.com>",
        " ann@example.com",
        "ann@example.com ",
        "zoë@example.com",
        "ann@bücher.example",
        "l" * 65 + "@example.com",
        "ann@" + "a" * 64 + ".com",
    ],
)
def test_parse_refuses_what_is_not_a_plain_address(raw: str) -> None:
    with pytest.raises(ParseError) as refused:
        Email.parse(raw)

    assert str(refused.value) == NOT_AN_ADDRESS


def test_parse_refuses_more_than_254_characters() -> None:
    with pytest.raises(ParseError) as refused:
        Email.parse("l" * 11 + "@" + LONGEST_DOMAIN)

    assert str(refused.value) == "must be at most 254 characters"


def test_addresses_differing_only_in_domain_case_are_equal() -> None:
    assert Email.parse("ann@EXAMPLE.com") == Email.parse("ann@example.com")
    assert Email.parse("Ann@example.com") != Email.parse("ann@example.com")
