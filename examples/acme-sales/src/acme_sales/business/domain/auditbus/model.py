"""An audit row: one change to one business object."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

# The change, as JSON: what json.dumps takes and json.loads gives back.
JSONObject = dict[str, Any]


class Action(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True, kw_only=True)
class Audit:
    id: UUID
    obj_id: UUID  # the object changed
    obj_domain: str  # its domain, as in delegate events: "user", "product", ...
    obj_name: str  # what a person calls it (a user's name), as it was at the change
    actor_id: UUID | None  # who changed it; None for a system action (admin tool, ...)
    action: Action
    data: JSONObject | None  # the change itself; never a password or a hash
    message: str
    timestamp: datetime  # UTC


@dataclass(frozen=True, slots=True, kw_only=True)
class NewAudit:
    obj_id: UUID
    obj_domain: str
    obj_name: str
    actor_id: UUID | None
    action: Action
    data: JSONObject | None = None
    message: str
