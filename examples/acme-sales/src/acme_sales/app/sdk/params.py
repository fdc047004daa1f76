"""Parsers for raw query-string values, with messages fit to show the client."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID

T = TypeVar("T")


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
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
