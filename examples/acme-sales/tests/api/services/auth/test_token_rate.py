"""Token requests are limited per client address and per account named; nothing else the auth
service serves is."""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import asyncpg
import pytest
from litestar import Request
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp, HTTPScope

from acme_sales.api.services.auth import app as auth_app
from acme_sales.api.services.auth import config
from acme_sales.api.services.auth.config import AuthConfig, TokenConfig
from acme_sales.app.domain.authapp import limits
from acme_sales.foundation import logger, sqldb
from acme_sales.foundation.config import ConfigError
from tests.support.services import KID
from tests.support.users import PASSWORD, new_user, user_bus

LIMIT = 3
TOKEN = f"/v1/auth/token/{KID}"
CREDENTIALS = ("nobody@example.com", "some password")


@pytest.fixture
async def limited(
    db_config: sqldb.DBConfig, keys_folder: Path
) -> AsyncIterator[AsyncTestClient[ASGIApp]]:
    """An auth app of this test's own (a fresh limiter), allowing LIMIT token requests a minute:
    a minute, so no window ends while the test runs."""
    cfg = AuthConfig(
        db=db_config,
        auth=TokenConfig(
            keys_folder=str(keys_folder), token_rate=f"{LIMIT}/minute", account_token_rate="off"
        ),
    )
    async with AsyncTestClient(app=auth_app.build_app(cfg, log=logger.get_logger())) as client:
        yield client


@pytest.fixture
async def per_account(
    db_config: sqldb.DBConfig, keys_folder: Path
) -> AsyncIterator[AsyncTestClient[ASGIApp]]:
    """An auth app allowing LIMIT token requests a minute per account, and any per address."""
    cfg = AuthConfig(
        db=db_config,
        auth=TokenConfig(
            keys_folder=str(keys_folder), token_rate="off", account_token_rate=f"{LIMIT}/minute"
        ),
    )
    async with AsyncTestClient(app=auth_app.build_app(cfg, log=logger.get_logger())) as client:
        yield client


async def test_beyond_the_limit_token_requests_are_429_with_retry_after(
    limited: AsyncTestClient[ASGIApp],
) -> None:
    for _ in range(LIMIT):
        allowed = await limited.get(TOKEN, auth=CREDENTIALS)
        assert allowed.status_code == 401  # counted, whatever the answer

    refused = await limited.get(TOKEN, auth=CREDENTIALS)

    assert refused.status_code == 429
    assert refused.json() == {"code": "too_many_requests", "message": "too many requests"}
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-limit"] == str(LIMIT)
    assert refused.headers["ratelimit-remaining"] == "0"
    # Any kid, any credentials or none: the limit is the address's.
    assert (await limited.get("/v1/auth/token/other")).status_code == 429


async def test_other_routes_are_never_limited(limited: AsyncTestClient[ASGIApp]) -> None:
    for _ in range(LIMIT + 1):
        await limited.get(TOKEN, auth=CREDENTIALS)
    assert (await limited.get(TOKEN, auth=CREDENTIALS)).status_code == 429

    for _ in range(3 * LIMIT):
        assert (await limited.get("/v1/auth/jwks")).status_code == 200
        assert (await limited.get("/v1/auth/authenticate")).status_code == 401
        authorize = await limited.post("/v1/auth/authorize", json={})
        assert authorize.status_code == 400
        assert (await limited.get("/v1/liveness")).status_code == 200
        assert (await limited.get("/v1/readiness")).status_code == 200


async def test_beyond_the_account_limit_even_the_right_password_is_429(
    per_account: AsyncTestClient[ASGIApp], db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    users = user_bus(db_pool)
    victim = str((await users.create(new_user(0), actor_id=None)).email)
    other = str((await users.create(new_user(1), actor_id=None)).email)
    for _ in range(LIMIT):
        guess = await per_account.get(TOKEN, auth=(victim, "a wrong guess"))
        assert guess.status_code == 401

    refused = await per_account.get(TOKEN, auth=(victim, PASSWORD))

    assert refused.status_code == 429
    assert refused.json() == {"code": "too_many_requests", "message": "too many requests"}
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # The same account in other letters' case shares the count; another account has its own.
    assert (await per_account.get(TOKEN, auth=(victim.upper(), PASSWORD))).status_code == 429
    assert (await per_account.get(TOKEN, auth=(other, PASSWORD))).status_code == 200


async def test_an_account_that_does_not_exist_is_limited_alike(
    per_account: AsyncTestClient[ASGIApp],
) -> None:
    # So a 429 tells an attacker nothing a 401 does not: the key is the email asked for.
    for _ in range(LIMIT):
        assert (await per_account.get(TOKEN, auth=CREDENTIALS)).status_code == 401
    assert (await per_account.get(TOKEN, auth=CREDENTIALS)).status_code == 429


async def test_requests_naming_no_account_are_left_to_the_address_limit(
    per_account: AsyncTestClient[ASGIApp],
) -> None:
    for _ in range(3 * LIMIT):
        assert (await per_account.get(TOKEN)).status_code == 401
        bad = await per_account.get(TOKEN, headers={"authorization": "Basic !not-base64!"})
        assert bad.status_code == 401
        assert (await per_account.get(TOKEN, auth=("", "no email"))).status_code == 401


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Basic QW5uQEV4YW1wbGUuY29tOnB3", "ann@example.com"),  # Ann@Example.com:pw
        ("basic YW5uQGV4YW1wbGUuY29tOg==", "ann@example.com"),  # ann@example.com: (no password)
        ("Basic OnB3", ""),  # :pw
        ("Bearer QW5uQEV4YW1wbGUuY29tOnB3", ""),
        ("Basic ###", ""),
        ("", ""),
    ],
)
def test_the_account_key_is_the_basic_email_case_folded(header: str, key: str) -> None:
    scope = {"type": "http", "headers": [(b"authorization", header.encode())]}
    request = Request[Any, Any, Any](scope=cast("HTTPScope", scope))
    assert limits.account_key(request) == key


async def test_off_turns_the_limits_off(db_config: sqldb.DBConfig, keys_folder: Path) -> None:
    cfg = AuthConfig(
        db=db_config,
        auth=TokenConfig(keys_folder=str(keys_folder), token_rate="off", account_token_rate="off"),
    )
    async with AsyncTestClient(app=auth_app.build_app(cfg, log=logger.get_logger())) as client:
        for _ in range(30):
            assert (await client.get(TOKEN)).status_code == 401
            assert (await client.get(TOKEN, auth=CREDENTIALS)).status_code == 401


def test_the_default_rates_are_above_what_people_and_the_suite_ask() -> None:
    # The API tests share one auth app per worker at the default address rate: they must never
    # meet it. (They turn the account limit off: they sign in as the same few users all along.)
    assert config.parse_rate(TokenConfig().token_rate) == ("second", 20)
    assert config.parse_rate(TokenConfig().account_token_rate) == ("minute", 10)


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("20/second", ("second", 20)),
        ("5/minute", ("minute", 5)),
        (" 100 / Hour ", ("hour", 100)),
        ("1000/day", ("day", 1000)),
        ("off", None),
    ],
)
def test_rates_parse(raw: str, parsed: tuple[str, int] | None) -> None:
    assert config.parse_rate(raw) == parsed


@pytest.mark.parametrize("raw", ["", "20", "0/second", "-1/second", "20/week", "twenty/second"])
@pytest.mark.parametrize("name", ["AUTH_AUTH_TOKEN_RATE", "AUTH_AUTH_ACCOUNT_TOKEN_RATE"])
def test_a_bad_rate_is_refused_when_the_config_loads(name: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=rf"{name}=.*must be N/second"):
        config.load(argv=(), environ={name: raw})
