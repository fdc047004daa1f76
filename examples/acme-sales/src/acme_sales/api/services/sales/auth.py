"""How the sales service authenticates and authorizes, by its `auth.mode` setting.

- local (the default): tokens verified here with the auth service's public keys, users' current
  state from a per-worker cache kept fresh by Postgres notifications, policies evaluated in
  process. The auth service is asked only for its keys, and again when a token names a new one.
- remote: the reference's design, two calls to the auth service per request.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from acme_sales.api.services.sales.config import AuthClientConfig
from acme_sales.app.sdk.auth.auth import Auth
from acme_sales.app.sdk.auth.policy import PolicyEngine
from acme_sales.app.sdk.auth.users import UserStates
from acme_sales.app.sdk.auth.verifier import TokenVerifier
from acme_sales.app.sdk.authclient import (
    AuthClient,
    HTTPAuthClient,
    JWKSKeys,
    LocalAuthClient,
)
from acme_sales.business.domain.userbus import UserBus, changes
from acme_sales.foundation.logger import Logger
from acme_sales.foundation.sqldb import DBConfig
from acme_sales.foundation.sqldb.listen import Listener

Hook = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Authentication:
    client: AuthClient
    on_startup: tuple[Hook, ...] = ()  # what the app runs when it starts, and stops
    on_shutdown: tuple[Hook, ...] = ()


def build(
    cfg: AuthClientConfig, *, http: httpx.AsyncClient, users: UserBus, db: DBConfig, log: Logger
) -> Authentication:
    """The auth client `cfg.mode` names; `http` reaches the auth service."""
    if cfg.mode == "remote":
        return Authentication(HTTPAuthClient(http, log=log))
    states = UserStates(users, ttl=cfg.user_cache_ttl.total_seconds())
    listener = Listener(
        db, changes.CHANNEL, on_notify=states.changed, on_connect=states.drop_all, log=log
    )
    auth = Auth(
        tokens=TokenVerifier(JWKSKeys(http, log=log), issuer=cfg.issuer),
        policy=PolicyEngine.load(),
        users=states,
    )
    return Authentication(
        LocalAuthClient(auth), on_startup=(listener.start,), on_shutdown=(listener.stop,)
    )
