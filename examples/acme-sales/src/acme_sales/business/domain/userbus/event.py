"""The events the user domain raises through the delegate (business.sdk.delegate)."""

from dataclasses import dataclass
from typing import Final
from uuid import UUID

from acme_sales.business.sdk.delegate import Event
from acme_sales.foundation import sqldb

DOMAIN: Final = "user"  # also the obj_domain of the user's audit rows
ACTION_DELETING: Final = "deleting"
ACTION_DELETED: Final = "deleted"


@dataclass(frozen=True, slots=True)
class UserDeleting:
    """The params of user/deleting: raised inside the delete's transaction, with the user's row
    locked, before it goes. The domains whose rows the database would delete with it (the user's
    own rows, and `on_delete: cascade` references to them) delete them here, through their buses,
    so that each has its `deleted` audit row; `actor_id` is who is deleting the user."""

    user_id: UUID
    actor_id: UUID | None


@dataclass(frozen=True, slots=True)
class UserDeleted:
    """The params of user/deleted: raised after the row is gone, inside the delete's transaction."""

    user_id: UUID


def deleting_event(user_id: UUID, actor_id: UUID | None, db: sqldb.Querier) -> Event:
    return Event(
        domain=DOMAIN, action=ACTION_DELETING, params=UserDeleting(user_id, actor_id), db=db
    )


def deleted_event(user_id: UUID, db: sqldb.Querier) -> Event:
    return Event(domain=DOMAIN, action=ACTION_DELETED, params=UserDeleted(user_id), db=db)
