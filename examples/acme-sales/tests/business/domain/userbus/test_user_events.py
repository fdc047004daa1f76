"""user/deleted: raised through the delegate after the delete, inside its transaction."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import pytest

from acme_sales.business.domain.auditbus import Action, AuditBus, NewAudit
from acme_sales.business.domain.auditbus.stores.auditdb import AuditDB
from acme_sales.business.domain.userbus import (
    ACTION_DELETED,
    DOMAIN,
    UpdateUser,
    User,
    UserBus,
    UserDeleted,
)
from acme_sales.business.sdk.delegate import Delegate, Event
from acme_sales.foundation import sqldb
from tests.support.users import new_user, user_bus


class Subscriber:
    """What another domain would register: records what it saw when the event came."""

    def __init__(self, pool: asyncpg.Pool[asyncpg.Record], *, fail: bool = False) -> None:
        self.pool = pool
        self.fail = fail
        self.seen: list[tuple[UserDeleted, bool, bool]] = []

    async def on_user_deleted(self, event: Event) -> None:
        deleted = event.params_as(UserDeleted)
        self.seen.append(
            (
                deleted,
                await _exists(event.db, deleted.user_id),  # inside the delete's transaction
                await _exists(self.pool, deleted.user_id),  # outside it, before the commit
            )
        )
        # A subscriber's own write, through the event's querier: it commits with the delete.
        await AuditBus(AuditDB(event.db)).create(
            _note(deleted.user_id, "subscriber saw the delete")
        )
        if self.fail:
            raise RuntimeError("subscriber refused")


def _note(obj_id: UUID, message: str) -> NewAudit:
    return NewAudit(
        obj_id=obj_id,
        obj_domain="subscriber",
        obj_name="note",
        actor_id=None,
        action=Action.CREATED,
        message=message,
    )


async def _exists(db: sqldb.Querier, user_id: UUID) -> bool:
    row = await db.fetchrow("SELECT 1 FROM users WHERE user_id = $1", user_id)
    return row is not None


async def subscriber_notes(pool: asyncpg.Pool[asyncpg.Record]) -> int:
    count: int = await pool.fetchval("SELECT count(*) FROM audit WHERE obj_domain = 'subscriber'")
    return count


@pytest.fixture
def delegate() -> Delegate:
    return Delegate()


@pytest.fixture
def bus(db_pool: asyncpg.Pool[asyncpg.Record], delegate: Delegate) -> UserBus:
    return user_bus(db_pool, delegate=delegate)


@pytest.fixture
async def user(bus: UserBus) -> User:
    return await bus.create(new_user(0), actor_id=None)


async def test_delete_raises_user_deleted_after_the_row_is_gone_inside_its_transaction(
    bus: UserBus, delegate: Delegate, user: User, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    subscriber = Subscriber(db_pool)
    delegate.register(DOMAIN, ACTION_DELETED, subscriber.on_user_deleted)

    await bus.delete(user, actor_id=None)

    assert (DOMAIN, ACTION_DELETED) == ("user", "deleted")
    # Gone for the transaction, still there for everyone else until it commits.
    assert subscriber.seen == [(UserDeleted(user.id), False, True)]
    assert await subscriber_notes(db_pool) == 1


async def test_a_failing_subscriber_rolls_the_delete_and_its_audit_back(
    bus: UserBus, delegate: Delegate, user: User, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    delegate.register(DOMAIN, ACTION_DELETED, Subscriber(db_pool, fail=True).on_user_deleted)

    with pytest.raises(RuntimeError, match="subscriber refused"):
        await bus.delete(user, actor_id=None)

    assert await bus.query_by_id(user.id) == user
    actions = await db_pool.fetch("SELECT action FROM audit WHERE obj_id = $1", user.id)
    assert [row["action"] for row in actions] == ["created"]
    assert await subscriber_notes(db_pool) == 0


async def test_copies_on_a_transaction_share_the_delegate_without_registering_again(
    bus: UserBus, delegate: Delegate, user: User, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    subscriber = Subscriber(db_pool)
    delegate.register(DOMAIN, ACTION_DELETED, subscriber.on_user_deleted)

    async with sqldb.transaction(db_pool) as conn:
        for _ in range(3):
            bus.with_querier(conn)
        await bus.with_querier(conn).delete(user, actor_id=None)

    assert len(delegate.handlers(DOMAIN, ACTION_DELETED)) == 1
    assert len(subscriber.seen) == 1


async def test_creating_and_updating_raise_no_event(
    bus: UserBus, delegate: Delegate, user: User, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    subscriber = Subscriber(db_pool)
    delegate.register(DOMAIN, ACTION_DELETED, subscriber.on_user_deleted)

    await bus.create(new_user(1), actor_id=None)
    await bus.update(user, UpdateUser(enabled=False), actor_id=None)

    assert subscriber.seen == []
