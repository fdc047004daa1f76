"""A change to a user takes effect on every worker at once, not when their token expires.

Both services run as real processes, the sales service with two workers deciding auth in process
(local mode), its user cache's own expiry set far beyond the test: only the Postgres notification
sent with each change can make a worker refuse. Each change is made as an admin tool would, in the
database, outside the workers; every check then asks on fresh connections, which the kernel
spreads over both workers.
"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest

from acme_sales.business.domain.userbus import UpdateUser, User, UserBus
from acme_sales.business.types import Password, Role
from acme_sales.foundation import sqldb
from tests.api.services.test_tracing import bearer
from tests.support import running
from tests.support.users import new_user, user_bus

WORKERS = 2
ASKS = 12  # fresh connections per check: both workers answer some
DEADLINE = 10.0  # seconds; the cache itself would keep a stale user for an hour


@pytest.fixture
def sales(
    db_config: sqldb.DBConfig, keys_folder: Path, tmp_path: Path
) -> Iterator[running.Process]:
    with running.both(
        db_config,
        keys_folder,
        tmp_path,
        sales_env={"SALES_AUTH_USER_CACHE_TTL": "1h"},
        sales_workers=WORKERS,
    ) as (sales, _):
        yield sales


@pytest.fixture
def users(db_pool: asyncpg.Pool[asyncpg.Record]) -> UserBus:
    return user_bus(db_pool)


@dataclass(frozen=True)
class Admin:
    user: User
    headers: dict[str, str]  # a token of theirs, issued before any change


@pytest.fixture
async def admin(users: UserBus, keys_folder: Path) -> Admin:
    user = await users.create(new_user(0, Role.ADMIN), actor_id=None)
    # Another admin, so that the one under test may be demoted, disabled or deleted: the last
    # enabled admin may not be.
    await users.create(new_user(1, Role.ADMIN), actor_id=None)
    return Admin(user, bearer(user, keys_folder))


def statuses(sales: running.Process, headers: dict[str, str]) -> set[int]:
    """What ASKS requests for the admins' list answer, each on a connection of its own."""
    return {
        httpx.get(f"{sales.api_url}/v1/users", headers=headers, timeout=10).status_code
        for _ in range(ASKS)
    }


def until_every_answer_is(status: int, sales: running.Process, headers: dict[str, str]) -> float:
    """Seconds until a whole check answers `status` alone; fails after DEADLINE."""
    started = time.monotonic()
    while (seen := statuses(sales, headers)) != {status}:
        assert time.monotonic() - started < DEADLINE, f"still answering {seen}"
    return time.monotonic() - started


Change = Callable[[UserBus, User], Awaitable[object]]
CHANGES: dict[str, tuple[Change, int]] = {
    "demoted": (
        lambda users, admin: users.update(admin, UpdateUser(roles=(Role.USER,)), actor_id=None),
        403,
    ),
    "disabled": (
        lambda users, admin: users.update(admin, UpdateUser(enabled=False), actor_id=None),
        401,
    ),
    "password changed": (
        lambda users, admin: users.update(
            admin, UpdateUser(password=Password.parse("a-new-passw0rd")), actor_id=None
        ),
        401,
    ),
    "deleted": (lambda users, admin: users.delete(admin, actor_id=None), 401),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
async def test_a_change_to_a_user_takes_effect_on_every_worker(
    sales: running.Process,
    users: UserBus,
    admin: Admin,
    change: str,
    request: pytest.FixtureRequest,
) -> None:
    assert statuses(sales, admin.headers) == {200}  # every worker has the admin cached now
    make, refused = CHANGES[change]

    await make(users, admin.user)

    seconds = until_every_answer_is(refused, sales, admin.headers)
    # Kept with the result (not record_property, which fails under the default junit_family):
    # pytest -o junit_family=xunit1 --junitxml=report.xml writes it into the report.
    request.node.user_properties.append(("seconds", round(seconds, 3)))


async def test_changes_are_heard_again_after_the_listener_connection_drops(
    sales: running.Process,
    users: UserBus,
    admin: Admin,
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    assert statuses(sales, admin.headers) == {200}
    dropped = await db_pool.fetchval(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE application_name = 'listen users_changed' AND datname = current_database()"
    )
    assert dropped == WORKERS + 1  # the sales workers' and the auth service's

    # Reconnected, each worker starts afresh and hears the next change.
    await users.update(admin.user, UpdateUser(roles=(Role.USER,)), actor_id=None)

    until_every_answer_is(403, sales, admin.headers)
    assert "listener connection lost, reconnecting" in sales.log()
