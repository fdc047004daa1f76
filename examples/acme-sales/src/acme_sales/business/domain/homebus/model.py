"""The home as the business sees it, and the requests to create and change one.

Classes of other modules are reached through their modules (`types.Money`), so that no name a
domain gives its classes can shadow one.
"""

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from acme_sales.business import types
from acme_sales.business.sdk import unchanged
from acme_sales.business.types.choice import parse_choice


class HomeTypeChoice(enum.StrEnum):
    SINGLE_FAMILY = "SINGLE FAMILY"
    CONDO = "CONDO"

    @classmethod
    def parse(cls, raw: str) -> "HomeTypeChoice":
        return parse_choice(cls, raw)


@dataclass(frozen=True, slots=True, kw_only=True)
class Home:
    id: uuid.UUID
    user_id: uuid.UUID  # the owner
    type: HomeTypeChoice
    address1: types.Text
    address2: types.Text | None
    zip_code: types.Text
    city: types.Text
    state: types.Text
    country: types.Text
    date_created: datetime  # UTC
    date_updated: datetime  # UTC


@dataclass(frozen=True, slots=True, kw_only=True)
class NewHome:
    user_id: uuid.UUID  # the owner: the authenticated caller, never the request body
    type: HomeTypeChoice
    address1: types.Text
    address2: types.Text | None = None
    zip_code: types.Text
    city: types.Text
    state: types.Text
    country: types.Text


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateHome:
    """The changes to make: UNCHANGED (left out) keeps a value; None clears an optional one."""

    type: HomeTypeChoice | unchanged.Unchanged = unchanged.UNCHANGED
    address1: types.Text | unchanged.Unchanged = unchanged.UNCHANGED
    address2: types.Text | unchanged.Unchanged | None = unchanged.UNCHANGED
    zip_code: types.Text | unchanged.Unchanged = unchanged.UNCHANGED
    city: types.Text | unchanged.Unchanged = unchanged.UNCHANGED
    state: types.Text | unchanged.Unchanged = unchanged.UNCHANGED
    country: types.Text | unchanged.Unchanged = unchanged.UNCHANGED


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeView:
    """A home with its owner's name: the read model over view_homes."""

    user_name: types.Name  # first: a domain called `types` names the field below
    home: Home
