import pytest

from acme_sales.business.sdk.unchanged import UNCHANGED, resolve


def test_resolve_keeps_the_current_value_for_unchanged() -> None:
    assert resolve(UNCHANGED, "current") == "current"


@pytest.mark.parametrize("change", ["new", None, False, 0, ""])
def test_resolve_takes_any_other_value_even_a_falsy_one(change: object) -> None:
    assert resolve(change, "current") == change


def test_unchanged_refuses_to_be_used_as_a_truth_value() -> None:
    with pytest.raises(TypeError, match="is UNCHANGED"):
        bool(UNCHANGED)


def test_unchanged_shows_its_name() -> None:
    assert repr(UNCHANGED) == "UNCHANGED"
