"""A count of items."""

from dataclasses import InitVar, dataclass
from typing import Final

from acme_sales.business.types.errors import ParseError
from acme_sales.business.types.parsed import PARSED, require_parsed

MIN: Final = 0
MAX: Final = 1_000_000

_RULE: Final = f"must be a whole number from {MIN} to {MAX:,}"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A whole number from 0 (none in stock is a quantity) to 1,000,000."""

    value: int
    _parsed: InitVar[object] = None

    def __post_init__(self, _parsed: object) -> None:
        require_parsed(self, _parsed)

    @classmethod
    def parse(cls, raw: int) -> "Quantity":
        # True is an int in Python, but a quantity of True is a mistake upstream.
        if isinstance(raw, bool) or not isinstance(raw, int) or not MIN <= raw <= MAX:
            raise ParseError(_RULE)
        return cls(raw, PARSED)

    def __str__(self) -> str:
        return str(self.value)
