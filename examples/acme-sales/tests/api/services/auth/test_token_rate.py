"""Token requests are limited per client address; nothing else the auth service serves is."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from acme_sales.api.services.auth import app as auth_app
from acme_sales.api.services.auth import config
from acme_sales.api.services.auth.config import AuthConfig, TokenConfig
from acme_sales.foundation import logger, sqldb
from acme_sales.foundation.config import ConfigError
from tests.support.services import KID

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
        db=db_config, auth=TokenConfig(keys_folder=str(keys_folder), token_rate=f"{LIMIT}/minute")
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


async def test_off_turns_the_limit_off(db_config: sqldb.DBConfig, keys_folder: Path) -> None:
    cfg = AuthConfig(db=db_config, auth=TokenConfig(keys_folder=str(keys_folder), token_rate="off"))
    async with AsyncTestClient(app=auth_app.build_app(cfg, log=logger.get_logger())) as client:
        for _ in range(30):
            assert (await client.get(TOKEN)).status_code == 401


def test_the_default_rate_is_per_second_and_above_what_the_suite_asks() -> None:
    # The API tests share one auth app per worker at the default rate: they must never meet it.
    assert config.parse_rate(TokenConfig().token_rate) == ("second", 20)


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
def test_a_bad_rate_is_refused_when_the_config_loads(raw: str) -> None:
    with pytest.raises(ConfigError, match=r"AUTH_AUTH_TOKEN_RATE=.*must be N/second"):
        config.load(argv=(), environ={"AUTH_AUTH_TOKEN_RATE": raw})
