"""The sales service with auth that costs nothing, as the auth benchmark's ceiling.

`sales_app` is a granian factory: the real app (routes, guards, middleware, logging, metrics,
database) whose auth client lets every caller through without looking: `authenticate` returns
a fixed caller and `authorize` returns at once. Never deploy it. Each worker is a fresh process:
the replacement is made before the app is built.
"""

from uuid import UUID

import httpx
from litestar.types import ASGIApp

from acme_sales.api.services.sales import app, auth
from acme_sales.api.services.sales.config import AuthClientConfig
from acme_sales.app.sdk.auth.auth import AuthInfo
from acme_sales.app.sdk.auth.claims import Claims, Rule
from acme_sales.business.domain.userbus import UserBus
from acme_sales.foundation.logger import Logger
from acme_sales.foundation.sqldb import DBConfig

CALLER_ID = UUID(int=1)
CALLER = AuthInfo(
    user_id=CALLER_ID,
    claims=Claims(sub=str(CALLER_ID), iss="bench", iat=0, exp=2**31 - 1, roles=["ADMIN", "USER"]),
)


class LetEveryoneThrough:
    """An AuthClient that does no work."""

    async def authenticate(self, authorization: str) -> AuthInfo:
        return CALLER

    async def authorize(self, info: AuthInfo, user_id: UUID, rule: Rule) -> None:
        return


def _no_auth(
    cfg: AuthClientConfig, *, http: httpx.AsyncClient, users: UserBus, db: DBConfig, log: Logger
) -> auth.Authentication:
    return auth.Authentication(LetEveryoneThrough())


def sales_app() -> ASGIApp:
    auth.build = _no_auth
    return app.create_app()
