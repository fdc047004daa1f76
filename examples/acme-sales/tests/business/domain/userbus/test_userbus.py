"""Creating, changing, deleting and looking up single users."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import bcrypt
import pytest

from acme_sales.business.domain.userbus import (
    DuplicateEmailError,
    UpdateUser,
    UserBus,
    UserNotFoundError,
)
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.business.types import Email, Name, Password, Role
from tests.support.clock import TickingClock
from tests.support.users import FAST_BCRYPT_COST, PASSWORD, new_user


async def test_create_stores_an_enabled_user_with_a_bcrypt_hash(
    bus: UserBus, clock: TickingClock
) -> None:
    nu = new_user(0, Role.ADMIN, department="Support")
    created_at = clock.next

    user = await bus.create(nu, actor_id=None)

    assert user.id.version == 4
    assert (user.name, user.email, user.roles, user.department) == (
        nu.name,
        nu.email,
        (Role.ADMIN,),
        Name.parse("Support"),
    )
    assert user.enabled
    assert user.date_created == user.date_updated == created_at
    assert user.password_hash != PASSWORD.encode()
    assert user.password_hash.startswith(f"$2b${FAST_BCRYPT_COST:02d}$".encode())
    assert bcrypt.checkpw(PASSWORD.encode(), user.password_hash)
    assert await bus.query_by_id(user.id) == user


async def test_create_stamps_the_current_time_in_utc(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    bus = UserBus(UserDB(db_pool), bcrypt_cost=FAST_BCRYPT_COST)
    before = datetime.now(UTC)

    user = await bus.create(new_user(0), actor_id=None)

    assert before <= user.date_created <= datetime.now(UTC)
    assert user.date_created.utcoffset() == timedelta(0)
    stored = await bus.query_by_id(user.id)
    assert stored.date_created == user.date_created
    assert stored.date_created.utcoffset() == timedelta(0)


async def test_create_hashes_at_cost_12_by_default(db_pool: asyncpg.Pool[asyncpg.Record]) -> None:
    user = await UserBus(UserDB(db_pool)).create(new_user(0), actor_id=None)

    assert user.password_hash.startswith(b"$2b$12$")


async def test_hashing_runs_off_the_event_loop_thread(
    bus: UserBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashing_threads: list[int] = []
    hashpw = bcrypt.hashpw

    def recording_hashpw(password: bytes, salt: bytes) -> bytes:
        hashing_threads.append(threading.get_ident())
        return hashpw(password, salt)

    monkeypatch.setattr(bcrypt, "hashpw", recording_hashpw)

    await bus.create(new_user(0), actor_id=None)

    assert hashing_threads
    assert threading.get_ident() not in hashing_threads


@pytest.mark.parametrize("email", ["user.aa@example.com", "user.aa@EXAMPLE.COM"])
async def test_create_refuses_an_email_already_taken(bus: UserBus, email: str) -> None:
    await bus.create(new_user(0), actor_id=None)
    twin = dataclasses.replace(new_user(1), email=Email.parse(email))

    with pytest.raises(DuplicateEmailError, match=r"^email is not unique$"):
        await bus.create(twin, actor_id=None)


async def test_update_refuses_an_email_another_user_has(bus: UserBus) -> None:
    first, second = (
        await bus.create(new_user(0), actor_id=None),
        await bus.create(new_user(1), actor_id=None),
    )

    with pytest.raises(DuplicateEmailError, match=r"^email is not unique$"):
        await bus.update(second, UpdateUser(email=first.email), actor_id=None)

    assert await bus.query_by_id(second.id) == second


# Each change alone, and what it should do to the user; every other field must stay as it was.
ONE_FIELD_CHANGES: list[tuple[str, UpdateUser, dict[str, Any]]] = [
    ("nothing", UpdateUser(), {}),
    ("name", UpdateUser(name=Name.parse("Renamed")), {"name": Name.parse("Renamed")}),
    (
        "email",
        UpdateUser(email=Email.parse("moved@example.com")),
        {"email": Email.parse("moved@example.com")},
    ),
    (
        "roles",
        UpdateUser(roles=(Role.ADMIN, Role.USER)),
        {"roles": (Role.ADMIN, Role.USER)},
    ),
    ("no roles", UpdateUser(roles=()), {"roles": ()}),
    (
        "department set",
        UpdateUser(department=Name.parse("Sales")),
        {"department": Name.parse("Sales")},
    ),
    ("department cleared", UpdateUser(department=None), {"department": None}),
    ("disabled", UpdateUser(enabled=False), {"enabled": False}),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [(change, expected) for _, change, expected in ONE_FIELD_CHANGES],
    ids=[name for name, _, _ in ONE_FIELD_CHANGES],
)
async def test_update_changes_only_the_fields_given(
    bus: UserBus, change: UpdateUser, expected: dict[str, Any]
) -> None:
    before = await bus.create(new_user(0, department="Support"), actor_id=None)

    after = await bus.update(before, change, actor_id=None)

    assert after == dataclasses.replace(before, **expected, date_updated=after.date_updated)
    assert after.date_updated > before.date_updated
    assert await bus.query_by_id(before.id) == after


async def test_update_tells_a_left_out_department_from_a_cleared_one(bus: UserBus) -> None:
    user = await bus.create(new_user(0, department="Support"), actor_id=None)

    kept = await bus.update(user, UpdateUser(name=Name.parse("Renamed")), actor_id=None)
    cleared = await bus.update(kept, UpdateUser(department=None), actor_id=None)

    assert kept.department == Name.parse("Support")
    assert cleared.department is None
    assert (await bus.query_by_id(user.id)).department is None


async def test_update_can_enable_a_disabled_user(bus: UserBus) -> None:
    created = await bus.create(new_user(0), actor_id=None)
    disabled = await bus.update(created, UpdateUser(enabled=False), actor_id=None)

    enabled = await bus.update(disabled, UpdateUser(enabled=True), actor_id=None)

    assert enabled.enabled
    assert (await bus.query_by_id(disabled.id)).enabled


async def test_update_password_replaces_the_hash(bus: UserBus) -> None:
    before = await bus.create(new_user(0), actor_id=None)

    after = await bus.update(
        before, UpdateUser(password=Password.parse("a-new-secret")), actor_id=None
    )

    assert bcrypt.checkpw(b"a-new-secret", after.password_hash)
    assert not bcrypt.checkpw(PASSWORD.encode(), after.password_hash)
    assert after == dataclasses.replace(
        before, password_hash=after.password_hash, date_updated=after.date_updated
    )
    assert await bus.query_by_id(before.id) == after


async def test_update_of_a_deleted_user_is_not_found(bus: UserBus) -> None:
    user = await bus.create(new_user(0), actor_id=None)
    await bus.delete(user, actor_id=None)

    with pytest.raises(UserNotFoundError, match=r"^user not found$"):
        await bus.update(user, UpdateUser(name=Name.parse("Ghost")), actor_id=None)


async def test_delete_removes_the_user(bus: UserBus) -> None:
    user, other = (
        await bus.create(new_user(0), actor_id=None),
        await bus.create(new_user(1), actor_id=None),
    )

    await bus.delete(user, actor_id=None)

    with pytest.raises(UserNotFoundError):
        await bus.query_by_id(user.id)
    assert await bus.query_by_id(other.id) == other


async def test_delete_of_a_deleted_user_is_not_found(bus: UserBus) -> None:
    user = await bus.create(new_user(0), actor_id=None)
    await bus.delete(user, actor_id=None)

    with pytest.raises(UserNotFoundError):
        await bus.delete(user, actor_id=None)


async def test_query_by_id_finds_the_user(bus: UserBus) -> None:
    users = [await bus.create(new_user(index), actor_id=None) for index in range(3)]

    assert await bus.query_by_id(users[1].id) == users[1]


async def test_query_by_id_of_an_unknown_id_is_not_found(bus: UserBus) -> None:
    await bus.create(new_user(0), actor_id=None)

    with pytest.raises(UserNotFoundError, match=r"^user not found$"):
        await bus.query_by_id(uuid.uuid4())


@pytest.mark.parametrize(
    "email", ["user.ab@example.com", "user.ab@Example.Com", "User.AB@example.com"]
)
async def test_query_by_email_finds_the_user_whatever_the_case(bus: UserBus, email: str) -> None:
    users = [await bus.create(new_user(index), actor_id=None) for index in range(3)]

    assert await bus.query_by_email(Email.parse(email)) == users[1]


@pytest.mark.parametrize("email", ["nobody@example.com", "user.ac@example.com"])
async def test_query_by_email_of_an_unknown_email_is_not_found(bus: UserBus, email: str) -> None:
    await bus.create(new_user(1), actor_id=None)

    with pytest.raises(UserNotFoundError, match=r"^user not found$"):
        await bus.query_by_email(Email.parse(email))
