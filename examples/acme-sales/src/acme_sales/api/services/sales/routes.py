"""Which app domains the sales service mounts."""

from collections.abc import Sequence

from litestar.types import ControllerRouterHandler

from acme_sales.api.services.sales.buses import Buses
from acme_sales.app.domain.auditapp import routes as auditapp
from acme_sales.app.domain.checkapp import routes as checkapp
from acme_sales.app.domain.homeapp import routes as homeapp
from acme_sales.app.domain.productapp import routes as productapp
from acme_sales.app.domain.tranapp import routes as tranapp
from acme_sales.app.domain.userapp import routes as userapp
from acme_sales.app.sdk.authclient import AuthClient
from acme_sales.foundation.logger import Logger
from acme_sales.foundation.sqldb.database import Database


def mount(
    *,
    build: str,
    db: Database,
    check_ready: checkapp.ReadinessCheck,
    auth: AuthClient,
    buses: Buses,
    log: Logger,
) -> Sequence[ControllerRouterHandler]:
    return [
        checkapp.routes(build=build, check_ready=check_ready, log=log),
        userapp.routes(users=buses.users, auth=auth),
        auditapp.routes(audits=buses.audits, auth=auth),
        productapp.routes(bus=buses.products, auth=auth),
        homeapp.routes(bus=buses.homes, auth=auth),
        tranapp.routes(
            db=db,
            users=buses.users,
            bus=buses.products,
            auth=auth,
        ),
    ]
