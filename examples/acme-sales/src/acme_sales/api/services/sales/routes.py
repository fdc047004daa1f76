"""Which app domains the sales service mounts."""

from collections.abc import Sequence

from litestar.types import ControllerRouterHandler

from acme_sales.app.domain.checkapp import routes as checkapp
from acme_sales.app.domain.userapp import routes as userapp
from acme_sales.app.sdk.authclient import AuthClient
from acme_sales.business.domain.userbus import UserBus
from acme_sales.foundation.logger import Logger
from acme_sales.foundation.sqldb.database import Database


def mount(
    *, build: str, db: Database, auth: AuthClient, users: UserBus, log: Logger
) -> Sequence[ControllerRouterHandler]:
    return [
        checkapp.routes(build=build, check_ready=db.status_check, log=log),
        userapp.routes(users=users, auth=auth),
    ]
