"""The home as the business sees it, and the requests to create and change one."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from acme_sales.business.sdk.unchanged import UNCHANGED, Unchanged
from acme_sales.business.types import (
    Name,
    Text,
)
from acme_sales.business.types.choice import parse_choice


class HomeTypeChoice(StrEnum):
    SINGLE_FAMILY = "SINGLE FAMILY"
    CONDO = "CONDO"

    @classmethod
    def parse(cls, raw: str) -> "HomeTypeChoice":
        return parse_choice(cls, raw)


@dataclass(frozen=True, slots=True, kw_only=True)
class Home:
    id: UUID
    user_id: UUID  # the owner
    type: HomeTypeChoice
    address1: Text
    address2: Text | None
    zip_code: Text
    city: Text
    state: Text
    country: Text
    date_created: datetime  # UTC
    date_updated: datetime  # UTC


@dataclass(frozen=True, slots=True, kw_only=True)
class NewHome:
    user_id: UUID  # the owner: the authenticated caller, never the request body
    type: HomeTypeChoice
    address1: Text
    address2: Text | None = None
    zip_code: Text
    city: Text
    state: Text
    country: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateHome:
    """The changes to make: UNCHANGED (left out) keeps a value; None clears an optional one."""

    type: HomeTypeChoice | Unchanged = UNCHANGED
    address1: Text | Unchanged = UNCHANGED
    address2: Text | Unchanged | None = UNCHANGED
    zip_code: Text | Unchanged = UNCHANGED
    city: Text | Unchanged = UNCHANGED
    state: Text | Unchanged = UNCHANGED
    country: Text | Unchanged = UNCHANGED


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeView:
    """A home with its owner's name: the read model over view_homes."""

    home: Home
    user_name: Name
