"""The sales service as an ASGI app: what every worker process serves.

The layers of a request, outermost first: the in-flight bound (see foundation/shedding.py) ->
trace span, request logging and metrics (see app/sdk/mid/observe.py) -> the request deadline ->
Litestar's routing and exception handlers -> route guards
(authenticate and authorize) -> the handler in an app domain -> the
business layer -> Postgres.
"""

import os

import httpx
from litestar.types import ASGIApp
from opentelemetry.sdk.trace import TracerProvider

from acme_sales import __version__
from acme_sales.api.services import worker
from acme_sales.api.services.sales import auth, buses, config, routes
from acme_sales.app.domain.checkapp import routes as checkapp
from acme_sales.app.sdk import apidoc
from acme_sales.app.sdk.mid.errors import exception_handlers
from acme_sales.app.sdk.mid.observe import observed
from acme_sales.foundation import logger, metrics, otel, web
from acme_sales.foundation.drain import DrainFlag
from acme_sales.foundation.logger import Logger
from acme_sales.foundation.readiness import ReadinessProbe
from acme_sales.foundation.shedding import Bounded, Deadline
from acme_sales.foundation.sqldb.database import Database


def create_app() -> ASGIApp:
    """Granian's factory, run in each worker: the config comes from the supervisor's environment."""
    cfg = config.load(argv=(), environ=os.environ)
    logger.configure(service=config.SERVICE, level=cfg.log.level, fmt=cfg.log.format)
    log = logger.get_logger()
    process = worker.start(service=config.SERVICE, prefix=config.PREFIX, trace=cfg.trace)
    # The auth service's address and a deadline on every call; one pool of connections.
    auth_http = httpx.AsyncClient(base_url=cfg.auth.host, timeout=cfg.auth.timeout.total_seconds())
    return build_app(
        cfg,
        log=log,
        auth_http=auth_http,
        tracer_provider=process.tracer_provider,
        on_shutdown=(auth_http.aclose, *process.on_shutdown),
    )


def build_app(
    cfg: config.SalesConfig,
    *,
    log: Logger,
    auth_http: httpx.AsyncClient,
    tracer_provider: TracerProvider | None = None,
    on_shutdown: tuple[worker.ShutdownHook, ...] = (),
) -> ASGIApp:
    """Wire the service: open Postgres at startup, close it at shutdown, mount the routes.

    `auth_http` reaches the auth service: over the network in production, in process in the
    tests. Without a `tracer_provider`, trace context is kept but nothing is recorded.
    """
    db = Database(cfg.db)
    probe = ReadinessProbe(cfg.db, DrainFlag(metrics.multiprocess_dir()))
    business = buses.build(db)
    authentication = auth.build(cfg.auth, http=auth_http, users=business.users, db=cfg.db, log=log)
    app = web.new_app(
        title="Acme Sales sales API",
        version=__version__,
        route_handlers=routes.mount(
            build=cfg.build,
            db=db,
            check_ready=probe.check,
            auth=authentication.client,
            buses=business,
            log=log,
        ),
        exception_handlers=exception_handlers(log),
        on_startup=[db.open, probe.open, *authentication.on_startup],
        on_shutdown=[*authentication.on_shutdown, probe.close, db.close, *on_shutdown],
        cors_allowed_origins=cfg.web.cors_allowed_origins,
        security_schemes=apidoc.SECURITY_SCHEMES,
    )
    return Bounded(
        observed(
            Deadline(app, deadline=cfg.web.request_deadline),
            log=log,
            tracer_provider=tracer_provider or otel.untraced(config.SERVICE, __version__),
            quiet_paths=checkapp.PATHS,
        ),
        max_in_flight=cfg.web.max_in_flight,
        exempt_paths=checkapp.PATHS,
        log=log,
    )
