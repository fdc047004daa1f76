import pytest

from acme_sales.business.types import ParseError, Password
from acme_sales.business.types.password import BYTES_RULE, LENGTH_RULE


@pytest.mark.parametrize(
    "raw",
    [
        "8 chars!",
        "x" * 72,
        "pässwörd",  # 8 characters, 10 bytes
        "é" * 36,  # 2 bytes each: exactly 72
        "€" * 24,  # 3 bytes each: exactly 72
        "🔑" * 18,  # 4 bytes each: exactly 72
        "correct horse battery staple",
    ],
)
def test_parse_accepts_8_to_72_characters_within_72_bytes(raw: str) -> None:
    assert Password.parse(raw).value == raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", LENGTH_RULE),
        ("7 chars", LENGTH_RULE),
        ("x" * 73, LENGTH_RULE),
        ("€€€", LENGTH_RULE),  # 9 bytes, but 3 characters
        ("ééééééé", LENGTH_RULE),  # 14 bytes, but 7 characters
        ("é" * 37, BYTES_RULE),  # 37 characters, 74 bytes
        ("€" * 25, BYTES_RULE),  # 25 characters, 75 bytes: bcrypt would drop the last 3
        ("🔑" * 19, BYTES_RULE),  # 19 characters, 76 bytes
        ("x" * 71 + "é", BYTES_RULE),  # 72 characters, 73 bytes
        ("password\0tail", "must not contain a NUL character"),
        ("password\ud800", "must be valid Unicode text"),
    ],
)
def test_parse_refuses_with_the_reason(raw: str, message: str) -> None:
    with pytest.raises(ParseError) as refused:
        Password.parse(raw)

    assert str(refused.value) == message


def test_the_rules_say_how_they_count() -> None:
    assert LENGTH_RULE == "must be 8 to 72 characters long"
    assert BYTES_RULE.startswith("must be at most 72 bytes as UTF-8")


def test_parse_confirmed_accepts_a_matching_confirmation() -> None:
    assert Password.parse_confirmed("sesame-open", "sesame-open").value == "sesame-open"


def test_parse_confirmed_refuses_a_different_confirmation() -> None:
    with pytest.raises(ParseError) as refused:
        Password.parse_confirmed("sesame-open", "sesame-opem")

    assert str(refused.value) == "passwords do not match"


def test_parse_confirmed_reports_the_rule_before_the_mismatch() -> None:
    with pytest.raises(ParseError) as refused:
        Password.parse_confirmed("short", "")

    assert str(refused.value) == LENGTH_RULE


def test_the_value_stays_out_of_str_and_repr() -> None:
    password = Password.parse("sesame-open")

    assert "sesame" not in str(password)
    assert "sesame" not in repr(password)
    assert f"{password}" == "********"
