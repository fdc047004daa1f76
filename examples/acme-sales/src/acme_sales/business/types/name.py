"""A person's or a department's name."""

import re
from dataclasses import InitVar, dataclass
from typing import Final

from acme_sales.business.types.errors import ParseError
from acme_sales.business.types.parsed import PARSED, require_parsed

MIN_LENGTH: Final = 3
MAX_LENGTH: Final = 20

# The first letter, then MIN_LENGTH - 1 to MAX_LENGTH - 1 more characters.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9' -]{2,19}")


@dataclass(frozen=True, slots=True)
class Name:
    """3 to 20 characters (letters, digits, spaces, ' and -), starting with a letter."""

    value: str
    _parsed: InitVar[object] = None

    def __post_init__(self, _parsed: object) -> None:
        require_parsed(self, _parsed)

    @classmethod
    def parse(cls, raw: str) -> "Name":
        if _NAME.fullmatch(raw) is None:
            raise ParseError(
                f"must be {MIN_LENGTH} to {MAX_LENGTH} characters (letters, digits, spaces, "
                "' and -), starting with a letter"
            )
        return cls(raw, PARSED)

    def __str__(self) -> str:
        return self.value
