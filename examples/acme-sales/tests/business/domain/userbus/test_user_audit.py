"""Every user change writes its audit row in the change's own transaction."""

from __future__ import annotations

import dataclasses
import json
import uuid

import asyncpg
import pytest

from acme_sales.business.domain.auditbus import (
    Action,
    Audit,
    AuditBus,
    AuditFilter,
    AuditStorer,
    order,
)
from acme_sales.business.domain.auditbus.stores.auditdb import AuditDB
from acme_sales.business.domain.userbus import (
    DuplicateEmailError,
    UpdateUser,
    User,
    UserBus,
    UserNotFoundError,
)
from acme_sales.business.domain.userbus.audit import created_data
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.business.sdk.order import OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.business.types import Name, Password, Role
from acme_sales.foundation import sqldb
from tests.support.users import FAST_BCRYPT_COST, PASSWORD, new_user

ADMIN_ID = uuid.uuid4()


@pytest.fixture
def audits(db_pool: asyncpg.Pool[asyncpg.Record]) -> AuditBus:
    return AuditBus(AuditDB(db_pool))


async def trail(audits: AuditBus, user: User | None = None) -> list[Audit]:
    """The audit rows (of `user`, when given), oldest first."""
    query_filter = AuditFilter(obj_id=None if user is None else user.id)
    return await audits.query(query_filter, OrderBy(order.TIMESTAMP), Page(1, 100))


async def users_in_db(pool: asyncpg.Pool[asyncpg.Record]) -> int:
    count: int = await pool.fetchval("SELECT count(*) FROM users")
    return count


async def test_create_is_audited_with_the_actor_and_the_new_values(
    bus: UserBus, audits: AuditBus
) -> None:
    user = await bus.create(new_user(0, Role.ADMIN, department="Support"), actor_id=ADMIN_ID)

    [audit] = await trail(audits)
    assert (audit.obj_id, audit.obj_domain, audit.obj_name) == (user.id, "user", "Admin Aa")
    assert (audit.actor_id, audit.action, audit.message) == (
        ADMIN_ID,
        Action.CREATED,
        "user created",
    )
    assert audit.data == {
        "name": "Admin Aa",
        "email": "admin.aa@example.com",
        "roles": ["ADMIN"],
        "department": "Support",
        "enabled": True,
    }


async def test_update_is_audited_with_only_the_fields_given(bus: UserBus, audits: AuditBus) -> None:
    user = await bus.create(new_user(0), actor_id=None)
    change = UpdateUser(name=Name.parse("Renamed"), department=None, enabled=False)

    updated = await bus.update(user, change, actor_id=ADMIN_ID)

    created, audit = await trail(audits, user)
    assert created.actor_id is None  # a system action
    assert (audit.action, audit.actor_id, audit.message) == (
        Action.UPDATED,
        ADMIN_ID,
        "user updated",
    )
    assert audit.obj_name == str(updated.name) == "Renamed"
    assert audit.data == {"name": "Renamed", "department": None, "enabled": False}


async def test_a_new_password_is_audited_as_a_fact_never_as_a_value(
    bus: UserBus, audits: AuditBus, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    user = await bus.create(new_user(0), actor_id=None)
    updated = await bus.update(
        user, UpdateUser(password=Password.parse("a-new-secret")), actor_id=user.id
    )

    assert (await trail(audits, user))[-1].data == {"passwordChanged": True}
    stored = json.dumps([row["data"] for row in await db_pool.fetch("SELECT data FROM audit")])
    for secret in (
        PASSWORD,
        "a-new-secret",
        user.password_hash.decode(),
        updated.password_hash.decode(),
    ):
        assert secret not in stored


async def test_delete_is_audited_with_the_last_data(bus: UserBus, audits: AuditBus) -> None:
    user = await bus.create(new_user(0), actor_id=None)

    await bus.delete(user, actor_id=ADMIN_ID)

    audit = (await trail(audits, user))[-1]
    assert (audit.action, audit.actor_id, audit.data, audit.obj_name) == (
        Action.DELETED,
        ADMIN_ID,
        created_data(user),
        "User Aa",
    )


async def test_a_bus_without_an_audit_writes_none(
    db_pool: asyncpg.Pool[asyncpg.Record], audits: AuditBus
) -> None:
    bus = UserBus(UserDB(db_pool), bcrypt_cost=FAST_BCRYPT_COST)
    user = await bus.create(new_user(0), actor_id=ADMIN_ID)
    await bus.delete(user, actor_id=ADMIN_ID)

    assert await trail(audits) == []


async def test_a_failing_change_leaves_no_audit_row(bus: UserBus, audits: AuditBus) -> None:
    user = await bus.create(new_user(0), actor_id=None)
    twin = dataclasses.replace(new_user(1), email=user.email)
    with pytest.raises(DuplicateEmailError):
        await bus.create(twin, actor_id=ADMIN_ID)
    await bus.delete(user, actor_id=None)
    with pytest.raises(UserNotFoundError):
        await bus.update(user, UpdateUser(enabled=False), actor_id=ADMIN_ID)
    with pytest.raises(UserNotFoundError):
        await bus.delete(user, actor_id=ADMIN_ID)

    assert [audit.action for audit in await trail(audits)] == [Action.CREATED, Action.DELETED]


async def test_a_failing_audit_write_rolls_the_change_back(
    bus: UserBus, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    user = await bus.create(new_user(0), actor_id=None)
    # From here on every audit insert fails inside the database, after the change's statement.
    await db_pool.execute("ALTER TABLE audit ADD CONSTRAINT no_more_audits CHECK (false) NOT VALID")

    with pytest.raises(asyncpg.CheckViolationError):
        await bus.create(new_user(1), actor_id=ADMIN_ID)
    with pytest.raises(asyncpg.CheckViolationError):
        await bus.update(user, UpdateUser(name=Name.parse("Renamed")), actor_id=ADMIN_ID)
    with pytest.raises(asyncpg.CheckViolationError):
        await bus.delete(user, actor_id=ADMIN_ID)

    assert await bus.query_by_id(user.id) == user
    assert await users_in_db(db_pool) == 1


class BrokenAuditStore:
    """An audit store that cannot write: the change must not happen without its audit."""

    def with_querier(self, db: sqldb.Querier) -> AuditStorer:
        return self

    async def create(self, audit: Audit) -> None:
        raise RuntimeError("audit store down")

    async def query(self, query_filter: AuditFilter, order_by: OrderBy, page: Page) -> list[Audit]:
        return []

    async def count(self, query_filter: AuditFilter) -> int:
        return 0


async def test_an_audit_store_that_raises_rolls_the_change_back(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    bus = UserBus(UserDB(db_pool), audit=AuditBus(BrokenAuditStore()), bcrypt_cost=FAST_BCRYPT_COST)

    with pytest.raises(RuntimeError, match="audit store down"):
        await bus.create(new_user(0), actor_id=None)

    assert await users_in_db(db_pool) == 0


async def test_inside_a_callers_transaction_change_and_audit_commit_or_roll_back_with_it(
    bus: UserBus, audits: AuditBus, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    async with db_pool.acquire() as conn:
        outer = conn.transaction()
        await outer.start()
        in_tx = bus.with_querier(conn)
        user = await in_tx.create(new_user(0), actor_id=ADMIN_ID)
        assert await trail(audits) == []  # nothing is visible outside the transaction yet
        assert await in_tx.query_by_id(user.id) == user
        await outer.rollback()

    assert await users_in_db(db_pool) == 0
    assert await trail(audits) == []

    async with sqldb.transaction(db_pool) as conn:
        user = await bus.with_querier(conn).create(new_user(0), actor_id=ADMIN_ID)

    assert await bus.query_by_id(user.id) == user
    assert [audit.obj_id for audit in await trail(audits)] == [user.id]
