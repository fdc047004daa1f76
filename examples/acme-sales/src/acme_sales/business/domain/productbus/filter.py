"""Which products a query returns: every condition given must hold."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from acme_sales.business.types import (
    Money,
    Quantity,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductFilter:
    id: UUID | None = None
    user_id: UUID | None = None  # the owner
    name: str | None = None  # part of it, in any case
    cost: Money | None = None
    quantity: Quantity | None = None
    start_created_date: datetime | None = None  # created at or after
    end_created_date: datetime | None = None  # created at or before
