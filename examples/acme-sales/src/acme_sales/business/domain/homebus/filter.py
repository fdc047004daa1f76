"""Which homes a query returns: every condition given must hold."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from acme_sales.business.domain.homebus.model import (
    HomeTypeChoice,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeFilter:
    id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None  # the owner
    type: HomeTypeChoice | None = None
    address1: str | None = None  # part of it, in any case
    address2: str | None = None  # part of it, in any case
    zip_code: str | None = None  # part of it, in any case
    city: str | None = None  # part of it, in any case
    state: str | None = None  # part of it, in any case
    country: str | None = None  # part of it, in any case
    start_created_date: datetime | None = None  # created at or after
    end_created_date: datetime | None = None  # created at or before
