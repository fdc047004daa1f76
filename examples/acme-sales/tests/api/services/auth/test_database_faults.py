"""When the database goes away or is slow: 503 or 504 at once, with the true cause, logged as a
change of state rather than a line per request, and back to normal by itself. Through the auth
service's token route, which reads the users table. (A pool with no connection to spare:
tests/foundation/sqldb/test_database.py.)"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import dataclasses
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from acme_sales.api.services.auth import app as auth_app
from acme_sales.api.services.auth.config import AuthConfig, TokenConfig
from acme_sales.business.domain.userbus import User
from acme_sales.foundation import logger, sqldb
from tests.support.logs import CapturedLogs
from tests.support.services import KID
from tests.support.tcp_proxy import TCPProxy
from tests.support.users import PASSWORD, new_user, user_bus

TOKEN = f"/v1/auth/token/{KID}"
RECOVERY_DEADLINE = 10.0  # seconds; recovery takes a request or two, not a restart


@pytest.fixture
async def user(db_pool: asyncpg.Pool[asyncpg.Record]) -> User:
    return await user_bus(db_pool).create(new_user(0), actor_id=None)


@asynccontextmanager
async def serving(
    db: sqldb.DBConfig, keys_folder: Path, **db_settings: Any
) -> AsyncIterator[AsyncTestClient[ASGIApp]]:
    cfg = AuthConfig(
        db=dataclasses.replace(db, **db_settings),
        auth=TokenConfig(keys_folder=str(keys_folder), token_rate="off", account_token_rate="off"),
    )
    async with AsyncTestClient(app=auth_app.build_app(cfg, log=logger.get_logger())) as client:
        yield client


async def sign_in(client: AsyncTestClient[ASGIApp], user: User) -> httpx.Response:
    return await client.get(TOKEN, auth=(str(user.email), PASSWORD))


async def test_while_the_database_is_away_requests_are_503_and_it_recovers_by_itself(
    db_config: sqldb.DBConfig, proxy: TCPProxy, keys_folder: Path, user: User
) -> None:
    logs = CapturedLogs(service="auth")
    behind_proxy = {"host": "127.0.0.1", "port": proxy.port}
    async with serving(db_config, keys_folder, **behind_proxy) as client:
        assert (await sign_in(client, user)).status_code == 200

        proxy.cut()
        away = [await sign_in(client, user) for _ in range(3)]
        proxy.restore()
        give_up_at = time.monotonic() + RECOVERY_DEADLINE
        while (back := await sign_in(client, user)).status_code != 200:
            assert back.status_code == 503, back.text
            assert time.monotonic() < give_up_at, "not recovered"

    assert [answer.status_code for answer in away] == [503, 503, 503]
    assert away[0].json() == {
        "code": "unavailable",
        "message": "database unavailable, try again shortly",
    }
    assert away[0].headers["retry-after"] == "1"
    # One line when it went and one when it came back, not one per request.
    assert len(logs.events("database unavailable")) == 1
    assert len(logs.events("database available again")) == 1
    assert not [line for line in logs.lines() if line.get("level") in ("error", "critical")]
    assert not logs.events("request failed")


async def test_a_statement_held_up_past_the_statement_timeout_is_504(
    db_config: sqldb.DBConfig,
    db_pool: asyncpg.Pool[asyncpg.Record],
    keys_folder: Path,
    user: User,
) -> None:
    timeout = timedelta(milliseconds=300)
    async with serving(db_config, keys_folder, statement_timeout=timeout) as client:
        async with db_pool.acquire() as locker, locker.transaction():
            await locker.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
            held_up = await sign_in(client, user)
            liveness = await client.get("/v1/liveness")  # what needs no table still answers
        assert (await sign_in(client, user)).status_code == 200  # the lock gone, all is well

    assert held_up.status_code == 504
    assert held_up.json() == {"code": "deadline_exceeded", "message": "the database took too long"}
    assert liveness.status_code == 200
