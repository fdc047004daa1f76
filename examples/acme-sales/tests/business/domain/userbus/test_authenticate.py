"""Signing in: one answer, after the same work, for every way it can fail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg
import bcrypt
import pytest

from acme_sales.business.domain.userbus import (
    DEFAULT_BCRYPT_COST,
    AuthenticationFailedError,
    UpdateUser,
    User,
    UserBus,
)
from acme_sales.business.domain.userbus.bus import UNMATCHABLE_HASH, hash_cost
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.business.sdk import migrate
from acme_sales.business.types import Email, Role
from tests.support.users import PASSWORD, new_user


@pytest.fixture
async def user(bus: UserBus) -> User:
    return await bus.create(new_user(0, Role.USER), actor_id=None)


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


async def test_an_unknown_email_is_checked_against_the_fixed_hash_at_the_real_cost(
    db_pool: asyncpg.Pool[asyncpg.Record], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The service's own bus, at the default cost: no hash is made on the way, only one check
    # against a hash of the cost every real one has (the check itself is stubbed: it is slow).
    bus = UserBus(UserDB(db_pool))
    checks: list[tuple[bytes, bytes]] = []

    def recording_checkpw(password: bytes, hashed_password: bytes) -> bool:
        checks.append((password, hashed_password))
        return True  # even a "match" must not let an unknown email in

    def no_hashing(password: bytes, salt: bytes) -> bytes:
        raise AssertionError("an unknown email must cost one check, not a hash and a check")

    monkeypatch.setattr(bcrypt, "checkpw", recording_checkpw)
    monkeypatch.setattr(bcrypt, "hashpw", no_hashing)

    with pytest.raises(AuthenticationFailedError):
        await bus.authenticate(Email.parse("nobody@example.com"), "gophers")

    assert checks == [(b"gophers", UNMATCHABLE_HASH)]
    assert hash_cost(UNMATCHABLE_HASH) == DEFAULT_BCRYPT_COST


async def test_new_hashes_and_the_seeded_ones_have_the_same_cost(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    async with db_pool.acquire() as conn:
        await migrate.seed(conn)
    seeded = await db_pool.fetch("SELECT password_hash FROM users ORDER BY email")

    assert [hash_cost(row["password_hash"].encode()) for row in seeded] == [DEFAULT_BCRYPT_COST] * 2
    # A user made by the services' bus (at its default cost) has a hash of that cost.
    made = await UserBus(UserDB(db_pool)).create(new_user(0, Role.USER), actor_id=None)
    assert hash_cost(made.password_hash) == DEFAULT_BCRYPT_COST


@pytest.mark.parametrize(
    ("password_hash", "cost"),
    [
        (b"$2b$12$" + b"a" * 53, 12),
        (b"$2a$10$1ggfMVZV6Js0ybvJufLRUOWHS5f6KneuP0XwwHpJ8L8ipdry9f2/a", 10),
        (b"$2y$04$" + b"." * 53, 4),
    ],
)
def test_hash_cost_reads_the_cost_factor(password_hash: bytes, cost: int) -> None:
    assert hash_cost(password_hash) == cost


@pytest.mark.parametrize("password_hash", [b"", b"plain", b"$2b$12$short", b"$1$12$" + b"a" * 53])
def test_hash_cost_refuses_what_is_not_bcrypt(password_hash: bytes) -> None:
    with pytest.raises(ValueError, match="not a bcrypt hash"):
        hash_cost(password_hash)
