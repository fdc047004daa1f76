"""Which users a query returns."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from acme_sales.business.types import Email


@dataclass(frozen=True, slots=True, kw_only=True)
class UserFilter:
    """Every condition given must hold; a filter with none matches every user."""

    id: UUID | None = None
    name: str | None = None  # part of the name, in any case: "gop" matches "Admin Gopher"
    email: Email | None = None  # the whole address
    start_created_date: datetime | None = None  # created at or after
    end_created_date: datetime | None = None  # created at or before

    def __post_init__(self) -> None:
        for moment in (self.start_created_date, self.end_created_date):
            # A naive time would be read in whatever zone the server runs in.
            if moment is not None and moment.utcoffset() is None:
                raise ValueError("created-date bounds must carry a time zone")
