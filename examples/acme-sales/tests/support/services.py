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


@asynccontextmanager
async def running(
    db_config: sqldb.DBConfig, seed_pool: asyncpg.Pool[asyncpg.Record], keys_folder: Path
) -> AsyncIterator[Services]:
    log = logger.get_logger()
    auth_cfg = AuthConfig(db=db_config, auth=TokenConfig(keys_folder=str(keys_folder)))
    async with AsyncTestClient(app=auth_app.build_app(auth_cfg, log=log)) as auth_client:
        sales = sales_app.build_app(
            SalesConfig(db=db_config), log=log, auth=HTTPAuthClient(auth_client, log=log)
        )
        async with AsyncTestClient(app=sales) as sales_client:
            yield Services(
                sales=sales_client,
                auth=auth_client,
                users=user_bus(seed_pool),
                tokens=TokenService(
                    KeyStore.load_folder(keys_folder),
                    issuer=auth_cfg.auth.issuer,
                    ttl=auth_cfg.auth.ttl,
                ),
                issuer=auth_cfg.auth.issuer,
            )
