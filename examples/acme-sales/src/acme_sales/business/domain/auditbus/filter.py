"""Which audit rows a query returns."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from acme_sales.business.domain.auditbus.model import Action


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditFilter:
    """Every condition given must hold; a filter with none matches every row."""

    obj_id: UUID | None = None
    obj_domain: str | None = None
    obj_name: str | None = None  # part of the name, in any case
    actor_id: UUID | None = None
    action: Action | None = None
    since: datetime | None = None  # at or after
    until: datetime | None = None  # at or before

    def __post_init__(self) -> None:
        for moment in (self.since, self.until):
            # A naive time would be read in whatever zone the server runs in.
            if moment is not None and moment.utcoffset() is None:
                raise ValueError("since and until must carry a time zone")
