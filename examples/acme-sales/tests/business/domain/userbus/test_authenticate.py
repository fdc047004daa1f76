"""Signing in: one answer, after the same work, for every way it can fail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg
import bcrypt
import pytest

from acme_sales.business.domain.userbus import (
    AuthenticationFailedError,
    UpdateUser,
    User,
    UserBus,
)
from acme_sales.business.sdk import migrate
from acme_sales.business.types import Email, Role
from tests.support.users import PASSWORD, new_user


@pytest.fixture
async def user(bus: UserBus) -> User:
    return await bus.create(new_user(0, Role.ADMIN), actor_id=None)


async def test_the_right_password_returns_the_user(bus: UserBus, user: User) -> None:
    assert await bus.authenticate(user.email, PASSWORD) == user


async def unknown_email(bus: UserBus, user: User) -> None:
    await bus.authenticate(Email.parse("nobody@example.com"), PASSWORD)


async def wrong_password(bus: UserBus, user: User) -> None:
    await bus.authenticate(user.email, PASSWORD + "!")


async def empty_password(bus: UserBus, user: User) -> None:
    await bus.authenticate(user.email, "")


async def password_beyond_bcrypt_limit(bus: UserBus, user: User) -> None:
    # Its first 72 bytes would match if it were cut, as bcrypt used to do silently.
    await bus.authenticate(user.email, PASSWORD + "x" * 72)


async def disabled_user(bus: UserBus, user: User) -> None:
    await bus.update(user, UpdateUser(enabled=False), actor_id=None)
    await bus.authenticate(user.email, PASSWORD)


FAILURES: list[Callable[[UserBus, User], Awaitable[None]]] = [
    unknown_email,
    wrong_password,
    empty_password,
    password_beyond_bcrypt_limit,
    disabled_user,
]


@pytest.mark.parametrize("attempt", FAILURES, ids=lambda attempt: attempt.__name__)
async def test_every_failure_gives_the_same_error(
    bus: UserBus, user: User, attempt: Callable[[UserBus, User], Awaitable[None]]
) -> None:
    with pytest.raises(AuthenticationFailedError) as failed:
        await attempt(bus, user)

    assert str(failed.value) == "authentication failed"
    # Nor does a traceback tell: no "user not found" chained behind it.
    assert failed.value.__cause__ is None
    assert failed.value.__context__ is None or failed.value.__suppress_context__


@pytest.mark.parametrize("attempt", FAILURES, ids=lambda attempt: attempt.__name__)
async def test_every_failure_costs_one_bcrypt_check(
    bus: UserBus,
    user: User,
    attempt: Callable[[UserBus, User], Awaitable[None]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Equal work is what keeps the time taken from telling which emails have accounts.
    checks: list[bytes] = []
    checkpw = bcrypt.checkpw

    def counting_checkpw(password: bytes, hashed_password: bytes) -> bool:
        checks.append(hashed_password)
        return checkpw(password, hashed_password)

    monkeypatch.setattr(bcrypt, "checkpw", counting_checkpw)

    with pytest.raises(AuthenticationFailedError):
        await attempt(bus, user)

    assert len(checks) == 1
    assert checks[0].startswith(user.password_hash[:7])  # same algorithm and cost


async def test_the_seeded_users_sign_in_with_the_documented_password(
    bus: UserBus, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    async with db_pool.acquire() as conn:
        await migrate.seed(conn)

    admin = await bus.authenticate(Email.parse("admin@example.com"), "gophers")
    user = await bus.authenticate(Email.parse("user@example.com"), "gophers")

    assert (str(admin.name), admin.roles) == ("Admin Gopher", (Role.ADMIN,))
    assert (str(user.name), user.roles) == ("User Gopher", (Role.USER,))
