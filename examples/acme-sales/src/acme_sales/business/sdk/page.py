"""Which slice of a query's results to return."""

import re
from dataclasses import dataclass
from typing import Final

from acme_sales.business.types.errors import ParseError

DEFAULT_NUMBER: Final = 1
DEFAULT_ROWS: Final = 10
MAX_ROWS: Final = 100
# Far beyond any page a person pages to; the bound keeps OFFSET inside a Postgres bigint.
MAX_NUMBER: Final = 1_000_000

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True, slots=True)
class Page:
    """Page `number` (from 1) of `rows` rows each."""

    number: int = DEFAULT_NUMBER
    rows: int = DEFAULT_ROWS

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ParseError("page must be 1 or more")
        if self.number > MAX_NUMBER:
            raise ParseError(f"page must be at most {MAX_NUMBER}")
        if not 1 <= self.rows <= MAX_ROWS:
            raise ParseError(f"rows must be between 1 and {MAX_ROWS}")

    @classmethod
    def parse(cls, page: str | None, rows: str | None) -> "Page":
        """The page asked for by query parameters; absent or empty ones take the defaults."""
        return cls(
            number=_whole_number("page", page, DEFAULT_NUMBER),
            rows=_whole_number("rows", rows, DEFAULT_ROWS),
        )

    @property
    def offset(self) -> int:
        """How many rows come before this page."""
        return (self.number - 1) * self.rows


def _whole_number(what: str, raw: str | None, default: int) -> int:
    if not raw:
        return default
    # int() alone would also take " 7", "+7" and "1_000".
    if _WHOLE_NUMBER.fullmatch(raw) is None:
        raise ParseError(f"{what} must be a whole number")
    return int(raw)
