"""Which field a query's results are sorted by, and which way.

Fields are the business domain's own names ("name", "created"), never column names: each store
maps them to its columns through a fixed table, so text from a request never reaches SQL.
"""

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from acme_sales.business.types.errors import ParseError


class Direction(StrEnum):
    ASC = "ASC"
    DESC = "DESC"


@dataclass(frozen=True, slots=True)
class OrderBy:
    field: str
    direction: Direction = Direction.ASC


def parse(raw: str | None, allowed: Collection[str], default: OrderBy) -> OrderBy:
    """`"field"`, `"field,ASC"` or `"field,desc"`; absent or empty gives `default`.

    `allowed` is the domain's orderable fields; the direction may be in any case.
    """
    if not raw:
        return default
    field, comma, direction = raw.partition(",")
    field = field.strip()
    if field not in allowed:
        raise ParseError(f"unknown order field {field!r}; use one of: {', '.join(sorted(allowed))}")
    if not comma:
        return OrderBy(field)
    try:
        return OrderBy(field, Direction(direction.strip().upper()))
    except ValueError:
        raise ParseError(f"unknown direction {direction!r}; use ASC or DESC") from None
