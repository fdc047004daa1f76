"""The home business rules against a real database.

Generated from the `domains` answer.
"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import uuid

import asyncpg
import msgspec
import pytest

from acme_sales.app.domain.homeapp import models
from acme_sales.business.domain import homebus
from acme_sales.business.domain.homebus.stores.homedb import HomeDB
from acme_sales.business.domain.userbus import UpdateUser, User, UserBus
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


@pytest.fixture
def users(db_pool: asyncpg.Pool[asyncpg.Record]) -> UserBus:
    return user_bus(db_pool)


@pytest.fixture
def homes(db_pool: asyncpg.Pool[asyncpg.Record], users: UserBus) -> homebus.HomeBus:
    return homebus.HomeBus(HomeDB(db_pool), users)


@pytest.fixture
async def owner(users: UserBus) -> User:
    return await users.create(new_user(0, Role.USER), actor_id=None)


def new_for(owner_id: uuid.UUID) -> homebus.NewHome:
    return models.to_bus_new_home(APP_NEW, owner_id=owner_id)


async def test_create_then_query_by_id(homes: homebus.HomeBus, owner: User) -> None:
    created = await homes.create(new_for(owner.id))
    assert created.user_id == owner.id
    assert created.date_created == created.date_updated
    assert await homes.query_by_id(created.id) == created


async def test_the_owner_must_exist(
    homes: homebus.HomeBus,
) -> None:
    with pytest.raises(homebus.OwnerNotFoundError):
        await homes.create(new_for(uuid.uuid4()))


async def test_the_owner_must_be_enabled(
    homes: homebus.HomeBus, users: UserBus, owner: User
) -> None:
    await users.update(owner, UpdateUser(enabled=False), actor_id=None)
    with pytest.raises(homebus.OwnerDisabledError):
        await homes.create(new_for(owner.id))


async def test_an_empty_update_changes_only_the_update_time(
    homes: homebus.HomeBus, owner: User
) -> None:
    created = await homes.create(new_for(owner.id))
    updated = await homes.update(created, homebus.UpdateHome())
    assert updated.date_updated >= created.date_updated
    assert await homes.query_by_id(created.id) == updated


async def test_delete_then_not_found(homes: homebus.HomeBus, owner: User) -> None:
    created = await homes.create(new_for(owner.id))
    await homes.delete(created)
    with pytest.raises(homebus.HomeNotFoundError):
        await homes.query_by_id(created.id)
    with pytest.raises(homebus.HomeNotFoundError):
        await homes.delete(created)


async def test_deleting_the_owner_deletes_their_homes(
    homes: homebus.HomeBus, users: UserBus, owner: User
) -> None:
    created = await homes.create(new_for(owner.id))
    await users.delete(owner, actor_id=None)
    with pytest.raises(homebus.HomeNotFoundError):
        await homes.query_by_id(created.id)


async def test_the_view_names_the_owner(homes: homebus.HomeBus, owner: User) -> None:
    created = await homes.create(new_for(owner.id))
    [view] = await homes.query_views(
        homebus.HomeFilter(), OrderBy("id", Direction.ASC), Page(1, 10)
    )
    assert view.home == created
    assert view.user_name == owner.name


async def test_work_in_a_rolled_back_transaction_leaves_nothing(
    homes: homebus.HomeBus,
    owner: User,
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    async with db_pool.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()
        created = await homes.with_querier(conn).create(new_for(owner.id))
        await transaction.rollback()
    with pytest.raises(homebus.HomeNotFoundError):
        await homes.query_by_id(created.id)
