"""A signing key added to the auth service's folder while both services run is used by the auth
service and accepted by the sales service, with no restart of either."""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from acme_sales.business.types import Role
from acme_sales.foundation import sqldb
from acme_sales.foundation.keystore import generate_key
from tests.support import services
from tests.support.services import Services
from tests.support.users import PASSWORD, new_user

# Each service looks again at most every 5 s (the rescan interval, the JWKS refresh interval).
DEADLINE = 30.0


@pytest.fixture(params=["local", "remote"])
async def api(
    request: pytest.FixtureRequest,
    db_config: sqldb.DBConfig,
    db_pool: asyncpg.Pool[asyncpg.Record],
    tmp_path: Path,
) -> AsyncIterator[Services]:
    """Both apps with a key folder of their own, which the test adds a key to."""
    keys_folder = services.write_signing_key(tmp_path)
    async with services.running(db_config, db_pool, keys_folder, mode=request.param) as api:
        yield api


async def test_a_new_key_is_used_and_accepted_without_a_restart(
    api: Services, tmp_path: Path
) -> None:
    user = await api.users.create(new_user(0, Role.ADMIN), actor_id=None)
    kid = generate_key(tmp_path)  # as `admin genkey` does
    started = time.monotonic()

    # The auth service signs with it once it has looked at its folder again.
    while (
        issued := await api.auth.get(f"/v1/auth/token/{kid}", auth=(str(user.email), PASSWORD))
    ).status_code != 200:
        assert issued.status_code == 404, issued.text  # unknown key id, for now
        assert time.monotonic() - started < DEADLINE, "the auth service never found the key"
        await asyncio.sleep(0.2)
    headers = {"Authorization": f"Bearer {issued.json()['token']}"}

    # The sales service accepts it once it has its keys again.
    while (answer := await api.sales.get("/v1/users", headers=headers)).status_code != 200:
        assert answer.status_code == 401, answer.text  # unknown key id, for now
        assert time.monotonic() - started < DEADLINE, "the sales service never took the key"
        await asyncio.sleep(0.2)
