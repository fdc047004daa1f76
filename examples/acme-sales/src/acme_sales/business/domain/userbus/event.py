"""The events the user domain raises through the delegate (business.sdk.delegate)."""

from dataclasses import dataclass
from typing import Final
from uuid import UUID

from acme_sales.business.sdk.delegate import Event
from acme_sales.foundation import sqldb

DOMAIN: Final = "user"  # also the obj_domain of the user's audit rows
ACTION_DELETED: Final = "deleted"


@dataclass(frozen=True, slots=True)
class UserDeleted:
    """The params of user/deleted: raised after the row is gone, inside the delete's transaction."""

    user_id: UUID


def deleted_event(user_id: UUID, db: sqldb.Querier) -> Event:
    return Event(domain=DOMAIN, action=ACTION_DELETED, params=UserDeleted(user_id), db=db)
