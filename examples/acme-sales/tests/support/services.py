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
from typing import Literal

import asyncpg
import httpx
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from acme_sales.api.services.auth import app as auth_app
from acme_sales.api.services.auth.config import AuthConfig, TokenConfig
from acme_sales.api.services.sales import app as sales_app
from acme_sales.api.services.sales.config import AuthClientConfig, SalesConfig
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.business.domain.userbus import User, UserBus
from acme_sales.foundation import logger, sqldb
from acme_sales.foundation.keystore import KeyStore
from tests.support import keys
from tests.support.users import user_bus

KID = "api-test-key"

AuthMode = Literal["local", "remote"]


@dataclasses.dataclass(frozen=True)
class Services:
    sales: AsyncTestClient[ASGIApp]
    auth: AsyncTestClient[ASGIApp]
    users: UserBus  # for seeding, on its own pool
    tokens: TokenService  # the auth service's keys and issuer, to mint tokens directly
    issuer: str

    def bearer(self, user: User) -> dict[str, str]:
        """An Authorization header with a fresh token for `user`, as the auth service would mint."""
        token = self.tokens.generate(
            KID,
            user.id,
            [str(role) for role in user.roles],
            credentials=user.credentials_version,
        )
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
    relay: Relay  # the sales app's way to the auth app: pointed at it per serving
    tokens: TokenService
    issuer: str

    @asynccontextmanager
    async def serving(self, seed_pool: asyncpg.Pool[asyncpg.Record]) -> AsyncIterator[Services]:
        """Both apps started (pools opened), each behind a test client of its own, until the
        block ends; then stopped (pools closed)."""
        async with (
            AsyncTestClient(app=self.auth) as auth_client,
            self.relay.to(auth_client),
            AsyncTestClient(app=self.sales) as sales_client,
        ):
            yield Services(
                sales=sales_client,
                auth=auth_client,
                users=user_bus(seed_pool),
                tokens=self.tokens,
                issuer=self.issuer,
            )


class Relay(httpx.AsyncBaseTransport):
    """Sends each request through another client, the one `to` names for a while.

    The auth app runs where its test client runs it (its lifespan and pool are there); the sales
    app, built once, reaches it through this, pointed at each serving's test client in turn.
    """

    def __init__(self) -> None:
        self._client: httpx.AsyncClient | None = None

    @asynccontextmanager
    async def to(self, client: httpx.AsyncClient) -> AsyncIterator[None]:
        self._client = client
        try:
            yield
        finally:
            self._client = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._client is None:
            raise httpx.ConnectError("the auth app is not being served", request=request)
        return await self._client.send(request, stream=True)


def build(db_config: sqldb.DBConfig, keys_folder: Path, *, mode: AuthMode = "local") -> Apps:
    """Both apps on the database `db_config` names, the auth app with the keys in `keys_folder`,
    the sales app deciding auth as `mode` says."""
    log = logger.get_logger()
    # The suite signs in as the same few predictable users (user.aa@...) hundreds of times a
    # minute, each test on a fresh database but all on this one app: the per-account limit
    # would refuse it. That limit has tests of its own, on apps of their own.
    auth_cfg = AuthConfig(
        db=db_config,
        auth=TokenConfig(keys_folder=str(keys_folder), account_token_rate="off"),
    )
    auth = auth_app.build_app(auth_cfg, log=log)
    # The sales app reaches the auth app in memory, through the test client `serving` opens on it.
    relay = Relay()
    auth_http = httpx.AsyncClient(transport=relay, base_url="http://auth")
    sales_cfg = SalesConfig(db=db_config, auth=AuthClientConfig(mode=mode))
    return Apps(
        sales=sales_app.build_app(sales_cfg, log=log, auth_http=auth_http),
        auth=auth,
        relay=relay,
        tokens=TokenService(
            KeyStore.load_folder(keys_folder), issuer=auth_cfg.auth.issuer, ttl=auth_cfg.auth.ttl
        ),
        issuer=auth_cfg.auth.issuer,
    )


@asynccontextmanager
async def running(
    db_config: sqldb.DBConfig,
    seed_pool: asyncpg.Pool[asyncpg.Record],
    keys_folder: Path,
    *,
    mode: AuthMode = "local",
) -> AsyncIterator[Services]:
    """Both apps built for this block alone (for a test that must see them built, or change
    their keys), and served."""
    async with build(db_config, keys_folder, mode=mode).serving(seed_pool) as services:
        yield services
