"""Both services in one process: the sales app reaching the real auth app through its client.

Like the reference's API tests: real HTTP handling through every middleware and guard, real
Postgres, real RSA keys and Rego policies; only the wire between the two services is in memory
(the sales app's auth client talks to the auth app's test client).
"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from acme_sales.api.services.auth import app as auth_app
from acme_sales.api.services.auth.config import AuthConfig, TokenConfig
from acme_sales.api.services.sales import app as sales_app
from acme_sales.api.services.sales.config import SalesConfig
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.app.sdk.authclient import HTTPAuthClient
from acme_sales.business.domain.userbus import User, UserBus
from acme_sales.foundation import logger, sqldb
from acme_sales.foundation.keystore import KeyStore
from tests.support import keys
from tests.support.users import user_bus

KID = "api-test-key"


@dataclasses.dataclass(frozen=True)
class Services:
    sales: AsyncTestClient[ASGIApp]
    auth: AsyncTestClient[ASGIApp]
    users: UserBus  # for seeding, on its own pool
    tokens: TokenService  # the auth service's keys and issuer, to mint tokens directly
    issuer: str

    def bearer(self, user: User) -> dict[str, str]:
        """An Authorization header with a fresh token for `user`, as the auth service would mint."""
        token = self.tokens.generate(KID, user.id, [str(role) for role in user.roles])
        return {"Authorization": f"Bearer {token}"}


def write_signing_key(folder: Path) -> Path:
    """The auth service's key folder for tests: one real RSA key, kid KID."""
    keys.write_key(folder, KID, keys.rsa_key("api"))
    return folder


@dataclasses.dataclass(frozen=True)
class Apps:
    """Both apps, built once and served again for each test (building them, routes, keys and
    policies, was most of what an API test cost).

    Nothing of one test reaches the next: each serving starts both apps afresh (their lifespans
    open new pools) and stops them, and they find their database by name, a name each test gives
    its own fresh database for its duration (see tests/api/services/conftest.py).
    """

    sales: ASGIApp
    auth: ASGIApp
    auth_client: HTTPAuthClient  # the sales app's way to the auth app: pointed at it per serving
    tokens: TokenService
    issuer: str

    @asynccontextmanager
    async def serving(self, seed_pool: asyncpg.Pool[asyncpg.Record]) -> AsyncIterator[Services]:
        """Both apps started (pools opened), each behind a test client of its own, until the
        block ends; then stopped (pools closed)."""
        async with AsyncTestClient(app=self.auth) as auth_client:
            self.auth_client.http = auth_client
            async with AsyncTestClient(app=self.sales) as sales_client:
                yield Services(
                    sales=sales_client,
                    auth=auth_client,
                    users=user_bus(seed_pool),
                    tokens=self.tokens,
                    issuer=self.issuer,
                )


def build(db_config: sqldb.DBConfig, keys_folder: Path) -> Apps:
    """Both apps on the database `db_config` names, the auth app with the keys in `keys_folder`."""
    log = logger.get_logger()
    auth_cfg = AuthConfig(db=db_config, auth=TokenConfig(keys_folder=str(keys_folder)))
    # Until served, the sales app's auth client points nowhere: `serving` points it at the auth app.
    auth_client = HTTPAuthClient(httpx.AsyncClient(), log=log)
    return Apps(
        sales=sales_app.build_app(SalesConfig(db=db_config), log=log, auth=auth_client),
        auth=auth_app.build_app(auth_cfg, log=log),
        auth_client=auth_client,
        tokens=TokenService(
            KeyStore.load_folder(keys_folder), issuer=auth_cfg.auth.issuer, ttl=auth_cfg.auth.ttl
        ),
        issuer=auth_cfg.auth.issuer,
    )


@asynccontextmanager
async def running(
    db_config: sqldb.DBConfig, seed_pool: asyncpg.Pool[asyncpg.Record], keys_folder: Path
) -> AsyncIterator[Services]:
    """Both apps built for this block alone (for a test that must see them built), and served."""
    async with build(db_config, keys_folder).serving(seed_pool) as services:
        yield services
