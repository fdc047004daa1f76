"""Someone must be left to manage users: the last enabled admin cannot be demoted, disabled or
deleted, and two admins removing each other at once cannot both succeed."""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import asyncio
from collections.abc import Awaitable, Callable

import asyncpg
import pytest

from acme_sales.business.domain.userbus import (
    LastAdminError,
    UpdateUser,
    User,
    UserBus,
)
from acme_sales.business.types import Role
from tests.support.users import new_user, user_bus

Removal = Callable[[UserBus, User], Awaitable[object]]
REMOVALS: dict[str, Removal] = {
    "demoted": lambda bus, admin: bus.update(admin, UpdateUser(roles=(Role.USER,)), actor_id=None),
    "disabled": lambda bus, admin: bus.update(admin, UpdateUser(enabled=False), actor_id=None),
    "deleted": lambda bus, admin: bus.delete(admin, actor_id=None),
}


@pytest.fixture
def bus(db_pool: asyncpg.Pool[asyncpg.Record]) -> UserBus:
    return user_bus(db_pool)


async def enabled_admins(db_pool: asyncpg.Pool[asyncpg.Record]) -> int:
    return int(
        await db_pool.fetchval("SELECT count(*) FROM users WHERE enabled AND 'ADMIN' = ANY(roles)")
    )


@pytest.mark.parametrize("removal", REMOVALS)
async def test_the_last_enabled_admin_cannot_be_removed(
    bus: UserBus, db_pool: asyncpg.Pool[asyncpg.Record], removal: str
) -> None:
    admin = await bus.create(new_user(0, Role.ADMIN), actor_id=None)
    disabled = await bus.create(new_user(1, Role.ADMIN), actor_id=None)
    await bus.update(disabled, UpdateUser(enabled=False), actor_id=None)  # does not count

    with pytest.raises(LastAdminError):
        await REMOVALS[removal](bus, admin)

    assert await bus.query_by_id(admin.id) == admin  # nothing changed
    assert await enabled_admins(db_pool) == 1


@pytest.mark.parametrize("removal", REMOVALS)
async def test_an_admin_can_be_removed_while_another_is_left(
    bus: UserBus, db_pool: asyncpg.Pool[asyncpg.Record], removal: str
) -> None:
    admin = await bus.create(new_user(0, Role.ADMIN), actor_id=None)
    await bus.create(new_user(1, Role.ADMIN), actor_id=None)

    await REMOVALS[removal](bus, admin)

    assert await enabled_admins(db_pool) == 1


async def test_a_change_that_keeps_an_admin_an_admin_is_not_refused(bus: UserBus) -> None:
    admin = await bus.create(new_user(0, Role.ADMIN), actor_id=None)
    updated = await bus.update(admin, UpdateUser(roles=(Role.ADMIN, Role.USER)), actor_id=None)
    assert updated.roles == (Role.ADMIN, Role.USER)


@pytest.mark.parametrize("removal", REMOVALS)
async def test_two_admins_removing_each_other_at_once_leave_one(
    bus: UserBus, db_pool: asyncpg.Pool[asyncpg.Record], removal: str
) -> None:
    first = await bus.create(new_user(0, Role.ADMIN), actor_id=None)
    second = await bus.create(new_user(1, Role.ADMIN), actor_id=None)

    # Each on a connection of its own (the pool's), so the two transactions really overlap.
    outcomes = await asyncio.gather(
        REMOVALS[removal](bus, first), REMOVALS[removal](bus, second), return_exceptions=True
    )

    refusals = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert [type(refusal) for refusal in refusals] == [LastAdminError]
    assert await enabled_admins(db_pool) == 1
