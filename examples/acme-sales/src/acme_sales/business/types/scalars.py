"""Parsers for plain values that need no type of their own: bounded ints, dates, UTC times.

They raise ParseError with the rule, like the strong types' `parse`.
"""

from datetime import UTC, date, datetime
from uuid import UUID

from acme_sales.business.types.errors import ParseError

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def int32(value: int) -> int:
    """An integer that fits a Postgres INTEGER column."""
    if isinstance(value, bool) or not INT32_MIN <= value <= INT32_MAX:
        raise ParseError(f"must be a whole number between {INT32_MIN} and {INT32_MAX}")
    return value


def boolean(value: bool) -> bool:
    return value


def calendar_date(value: date) -> date:
    return value


def utc_datetime(value: datetime) -> datetime:
    """A moment in time: it must carry a UTC offset, and is kept in UTC."""
    if value.utcoffset() is None:
        raise ParseError("must include a UTC offset, such as 2025-01-31T09:30:00Z")
    return value.astimezone(UTC)


def reference(value: UUID) -> UUID:
    """The id of a row of another domain: its shape is all there is to parse (the domain's bus
    checks that the row exists)."""
    return value
