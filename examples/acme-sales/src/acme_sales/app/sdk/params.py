"""Parsers for raw query-string values, with messages fit to show the client."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar
from uuid import UUID

A = TypeVar("A")
T = TypeVar("T")

_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})


def optional(parse: Callable[[str], T]) -> Callable[[str | None], T | None]:
    """`parse`, except that an absent or empty value means "not given"."""

    def parse_optional(raw: str | None) -> T | None:
        return None if raw is None or raw == "" else parse(raw)

    return parse_optional


def uuid(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a UUID") from None


def timestamp(raw: str) -> datetime:
    """An ISO 8601 date or date-time; without an offset it is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(
            f"{raw!r} is not an ISO 8601 date-time such as 2025-01-31T09:30:00Z"
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:  # year 1 east of UTC, or 9999 west of it, is outside the years a datetime holds
        parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{raw!r} is out of range: in UTC, outside years 1 to 9999") from None
    return parsed


def nullable(parse: Callable[[A], T]) -> Callable[[A | None], T | None]:
    """`parse` for a JSON field that may be null: null stays None."""

    def parse_nullable(raw: A | None) -> T | None:
        return None if raw is None else parse(raw)

    return parse_nullable


def integer(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a whole number") from None


def boolean(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not true or false")


def day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not an ISO 8601 date such as 2025-01-31") from None
