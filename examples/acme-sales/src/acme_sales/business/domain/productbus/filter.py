"""Which products a query returns: every condition given must hold."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from acme_sales.business import types


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductFilter:
    id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None  # the owner
    name: str | None = None  # part of it, in any case
    cost: types.Money | None = None
    quantity: types.Quantity | None = None
    start_created_date: datetime | None = None  # created at or after
    end_created_date: datetime | None = None  # created at or before
