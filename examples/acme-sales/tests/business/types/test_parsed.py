"""Every strong type is built only through parse, and cannot change afterwards."""

import dataclasses

import pytest

from acme_sales.business.types import Email, Name, Password

PARSED = [Name.parse("Ann"), Email.parse("ann@example.com"), Password.parse("sesame-open")]


@pytest.mark.parametrize("kind", [Name, Email, Password])
def test_construction_without_parse_is_refused(kind: type[Name | Email | Password]) -> None:
    with pytest.raises(TypeError, match=rf"build a {kind.__name__} with {kind.__name__}\.parse"):
        kind("anything")


@pytest.mark.parametrize("value", PARSED, ids=lambda value: type(value).__name__)
def test_replace_cannot_smuggle_in_an_unchecked_value(value: Name | Email | Password) -> None:
    with pytest.raises(TypeError, match="parse"):
        dataclasses.replace(value, value="")


@pytest.mark.parametrize("value", PARSED, ids=lambda value: type(value).__name__)
def test_values_are_frozen_and_slotted(value: Name | Email | Password) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.value = "changed"  # type: ignore[misc]
    assert not hasattr(value, "__dict__")
