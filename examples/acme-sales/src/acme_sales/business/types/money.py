"""An amount of money, exact to the cent."""

import re
from dataclasses import InitVar, dataclass
from decimal import Decimal
from typing import Final

from acme_sales.business.types.errors import ParseError
from acme_sales.business.types.parsed import PARSED, require_parsed

PLACES: Final = 2
MIN: Final = Decimal("0.00")
# The most a NUMERIC(14, 2) column holds with room to spare; far above any one price or total.
MAX: Final = Decimal("999999999.99")

_CENT: Final = Decimal(1).scaleb(-PLACES)
_RULE: Final = f"must be from {MIN} to {MAX:,}, with at most {PLACES} decimal places"
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class Money:
    """0.00 to 999,999,999.99; `value` is a Decimal with exactly two decimal places.

    A value with more places is refused, never rounded: 1.999 is a mistake to report, not an
    amount to guess at. Floats are refused too, because most amounts (0.10, 19.99) have no exact
    float; send a decimal string ("19.99"), a Decimal or a whole number.
    """

    value: Decimal
    _parsed: InitVar[object] = None

    def __post_init__(self, _parsed: object) -> None:
        require_parsed(self, _parsed)

    @classmethod
    def parse(cls, raw: str | int | Decimal) -> "Money":
        amount = _to_decimal(raw)
        if not amount.is_finite() or not MIN <= amount <= MAX:
            raise ParseError(_RULE)
        exact = amount.quantize(_CENT)
        if exact != amount:
            raise ParseError(_RULE)
        # copy_abs: -0.00 is the same amount as 0.00, and should print as it.
        return cls(exact.copy_abs(), PARSED)

    def __str__(self) -> str:
        return f"{self.value:f}"


def _to_decimal(raw: object) -> Decimal:
    # bool is an int, and float would already have lost the cents: both are refused by type.
    if isinstance(raw, bool | float) or not isinstance(raw, str | int | Decimal):
        raise ParseError(
            f'must be a decimal string such as "19.99", a Decimal or a whole number, '
            f"not a {type(raw).__name__}"
        )
    if isinstance(raw, str):
        if _NUMBER.fullmatch(raw) is None:
            raise ParseError("must be a number such as 19.99")
        return Decimal(raw)
    return Decimal(raw)
