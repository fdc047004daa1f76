"""Parsing a value that must be one of an enum's values (the generated domains' enum fields)."""

from enum import StrEnum
from typing import TypeVar

from acme_sales.business.types.errors import ParseError

E = TypeVar("E", bound=StrEnum)


def parse_choice(kind: type[E], raw: str) -> E:
    try:
        return kind(raw)
    except ValueError:
        raise ParseError(f"must be one of: {', '.join(kind)}") from None
