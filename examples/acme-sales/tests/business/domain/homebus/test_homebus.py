"""The home business rules against a real database.

Generated from the `domains` answer.
"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import uuid
from datetime import UTC, datetime

import asyncpg
import msgspec
import pytest

from acme_sales.app.domain.homeapp import models
from acme_sales.business.domain import auditbus, homebus, userbus
from acme_sales.business.domain.auditbus.stores.auditdb import AuditDB
from acme_sales.business.domain.homebus import audit

# Store modules, not their classes: pytest would collect a class called Test... (domain `tests`).
from acme_sales.business.domain.homebus.stores import homedb
from acme_sales.business.domain.userbus import UpdateUser, User, UserBus
from acme_sales.business.sdk.delegate import Delegate
from acme_sales.business.sdk.order import Direction, OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.business.types import Role
from tests.support.users import new_user, user_bus

# The same valid JSON the API tests send, decoded as the app layer decodes a request.
APP_NEW = msgspec.json.decode(
    msgspec.json.encode(
        {
            "type": "CONDO",
            "address1": "Alpha street",
            "address2": "Alpha street",
            "zipCode": "Alpha street",
            "city": "Alpha street",
            "state": "Alpha street",
            "country": "Alpha street",
        }
    ),
    type=models.NewHome,
)
# A change of one field, to its last sample value.
APP_UPDATE = msgspec.json.decode(
    msgspec.json.encode({"type": "SINGLE FAMILY"}),
    type=models.UpdateHome,
)


@pytest.fixture
def users(db_pool: asyncpg.Pool[asyncpg.Record]) -> UserBus:
    return user_bus(db_pool)


@pytest.fixture
def audits(db_pool: asyncpg.Pool[asyncpg.Record]) -> auditbus.AuditBus:
    return auditbus.AuditBus(AuditDB(db_pool))


@pytest.fixture
def bus(
    db_pool: asyncpg.Pool[asyncpg.Record], users: UserBus, audits: auditbus.AuditBus
) -> homebus.HomeBus:
    return homebus.HomeBus(homedb.HomeDB(db_pool), users, audit=audits)


@pytest.fixture
async def owner(users: UserBus) -> User:
    return await users.create(new_user(0, Role.USER), actor_id=None)


def new_for(owner_id: uuid.UUID) -> homebus.NewHome:
    return models.to_bus_new_home(APP_NEW, owner_id=owner_id)


async def test_create_then_query_by_id(bus: homebus.HomeBus, owner: User) -> None:
    created = await bus.create(new_for(owner.id), actor_id=owner.id)
    assert created.user_id == owner.id
    assert created.date_created == created.date_updated
    assert await bus.query_by_id(created.id) == created


async def test_the_owner_must_exist(
    bus: homebus.HomeBus,
) -> None:
    with pytest.raises(homebus.UnknownOwnerError):
        await bus.create(new_for(uuid.uuid4()), actor_id=None)


async def test_an_owner_deleted_since_the_bus_looked_is_an_unknown_owner(
    db_pool: asyncpg.Pool[asyncpg.Record], owner: User
) -> None:
    """The bus checks the owner, then the store inserts: a user deleted in between is the foreign
    key's to refuse, and the store says so as the bus does (a 409, not a database error)."""
    new = new_for(owner.id)
    now = datetime.now(UTC)
    item = homebus.Home(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        type=new.type,
        address1=new.address1,
        address2=new.address2,
        zip_code=new.zip_code,
        city=new.city,
        state=new.state,
        country=new.country,
        date_created=now,
        date_updated=now,
    )
    with pytest.raises(homebus.UnknownOwnerError):
        await homedb.HomeDB(db_pool).create(item)


async def test_the_owner_must_be_enabled(bus: homebus.HomeBus, users: UserBus, owner: User) -> None:
    await users.update(owner, UpdateUser(enabled=False), actor_id=None)
    with pytest.raises(homebus.DisabledOwnerError):
        await bus.create(new_for(owner.id), actor_id=owner.id)


async def test_an_empty_update_changes_only_the_update_time(
    bus: homebus.HomeBus, owner: User
) -> None:
    created = await bus.create(new_for(owner.id), actor_id=owner.id)
    updated = await bus.update(created, homebus.UpdateHome(), actor_id=None)
    assert updated.date_updated >= created.date_updated
    assert await bus.query_by_id(created.id) == updated


async def test_delete_then_not_found(bus: homebus.HomeBus, owner: User) -> None:
    created = await bus.create(new_for(owner.id), actor_id=owner.id)
    await bus.delete(created, actor_id=None)
    with pytest.raises(homebus.HomeNotFoundError):
        await bus.query_by_id(created.id)
    with pytest.raises(homebus.HomeNotFoundError):
        await bus.delete(created, actor_id=None)


async def history(audits: auditbus.AuditBus, obj_id: uuid.UUID) -> list[auditbus.Audit]:
    """The audit rows of one home, oldest first."""
    return await audits.query(
        auditbus.AuditFilter(obj_domain=audit.DOMAIN, obj_id=obj_id),
        OrderBy(auditbus.order.TIMESTAMP, Direction.ASC),
        Page(1, 100),
    )


async def test_each_change_is_audited_with_its_actor_and_values(
    bus: homebus.HomeBus,
    audits: auditbus.AuditBus,
    users: UserBus,
    owner: User,
) -> None:
    admin = await users.create(new_user(0, Role.ADMIN), actor_id=None)
    created = await bus.create(new_for(owner.id), actor_id=owner.id)
    update = models.to_bus_update_home(APP_UPDATE)
    updated = await bus.update(created, update, actor_id=admin.id)
    await bus.delete(updated, actor_id=None)

    rows = await history(audits, created.id)
    assert [(row.action, row.actor_id) for row in rows] == [
        (auditbus.Action.CREATED, owner.id),
        (auditbus.Action.UPDATED, admin.id),
        (auditbus.Action.DELETED, None),
    ]
    assert {row.obj_domain for row in rows} == {"home"}
    assert [row.obj_name for row in rows] == [
        audit.audit_name(created),
        audit.audit_name(updated),
        audit.audit_name(updated),
    ]
    # Every field, as JSON keeps it; then only the field changed; a deletion, the last values.
    assert rows[0].data is not None
    assert set(rows[0].data) == {
        "type",
        "address1",
        "address2",
        "zipCode",
        "city",
        "state",
        "country",
    }
    assert rows[0].data == audit.created_data(created)
    assert rows[1].data == {"type": audit.created_data(updated)["type"]}
    assert rows[2].data == audit.created_data(updated)


async def test_a_refused_change_leaves_no_audit_row(
    bus: homebus.HomeBus, audits: auditbus.AuditBus, owner: User
) -> None:
    created = await bus.create(new_for(owner.id), actor_id=owner.id)
    await bus.delete(created, actor_id=owner.id)
    with pytest.raises(homebus.HomeNotFoundError):
        await bus.update(created, models.to_bus_update_home(APP_UPDATE), actor_id=owner.id)
    with pytest.raises(homebus.HomeNotFoundError):
        await bus.delete(created, actor_id=owner.id)
    actions = [row.action for row in await history(audits, created.id)]
    assert actions == [auditbus.Action.CREATED, auditbus.Action.DELETED]


async def test_deleting_the_owner_deletes_their_homes_each_audited(
    db_pool: asyncpg.Pool[asyncpg.Record],
    bus: homebus.HomeBus,
    audits: auditbus.AuditBus,
    users: UserBus,
    owner: User,
) -> None:
    """The database would delete them with the owner, unaudited: the bus deletes them first, in
    the owner's delete transaction (user/deleting), each with a `deleted` row and its last data."""
    events = Delegate()
    events.register(userbus.DOMAIN, userbus.ACTION_DELETING, bus.on_user_deleting)
    admin = await users.create(new_user(0, Role.ADMIN), actor_id=None)
    created = [await bus.create(new_for(owner.id), actor_id=owner.id) for _ in range(2)]
    await user_bus(db_pool, delegate=events).delete(owner, actor_id=admin.id)
    for item in created:
        with pytest.raises(homebus.HomeNotFoundError):
            await bus.query_by_id(item.id)
        rows = await history(audits, item.id)
        assert [(row.action, row.actor_id) for row in rows] == [
            (auditbus.Action.CREATED, owner.id),
            (auditbus.Action.DELETED, admin.id),
        ]
        assert rows[1].data == audit.created_data(item)
    owner_rows = await audits.query(
        auditbus.AuditFilter(obj_domain=userbus.DOMAIN, obj_id=owner.id),
        OrderBy(auditbus.order.TIMESTAMP, Direction.ASC),
        Page(1, 100),
    )
    assert owner_rows[-1].action == auditbus.Action.DELETED
    assert owner_rows[-1].data is not None
    assert owner_rows[-1].data["email"] == str(owner.email)


async def test_the_view_names_the_owner(bus: homebus.HomeBus, owner: User) -> None:
    created = await bus.create(new_for(owner.id), actor_id=owner.id)
    [view] = await bus.query_views(homebus.HomeFilter(), OrderBy("id", Direction.ASC), Page(1, 10))
    assert view.home == created
    assert view.user_name == owner.name


async def test_work_in_a_rolled_back_transaction_leaves_nothing(
    bus: homebus.HomeBus,
    owner: User,
    db_pool: asyncpg.Pool[asyncpg.Record],
    audits: auditbus.AuditBus,
) -> None:
    async with db_pool.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()
        created = await bus.with_querier(conn).create(new_for(owner.id), actor_id=owner.id)
        await transaction.rollback()
    with pytest.raises(homebus.HomeNotFoundError):
        await bus.query_by_id(created.id)
    assert await history(audits, created.id) == []  # the audit row went with it
