"""The auth service as an ASGI app: what every worker process serves."""

import os
from pathlib import Path

from litestar.types import ASGIApp
from opentelemetry.sdk.trace import TracerProvider

from acme_sales import __version__
from acme_sales.api.services import worker
from acme_sales.api.services.auth import config
from acme_sales.app.domain.authapp import routes as authapp
from acme_sales.app.domain.checkapp import routes as checkapp
from acme_sales.app.sdk import apidoc
from acme_sales.app.sdk.auth.auth import Auth
from acme_sales.app.sdk.auth.policy import PolicyEngine
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.app.sdk.auth.users import UserStates
from acme_sales.app.sdk.auth.verifier import KeyStoreKeys, TokenVerifier
from acme_sales.app.sdk.mid.errors import exception_handlers
from acme_sales.app.sdk.mid.observe import observed
from acme_sales.business.domain.userbus import UserBus, changes
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.foundation import logger, metrics, otel, web
from acme_sales.foundation.drain import DrainFlag
from acme_sales.foundation.keyfolder import KeyFolder
from acme_sales.foundation.logger import Logger
from acme_sales.foundation.readiness import ReadinessProbe
from acme_sales.foundation.shedding import Bounded, Deadline
from acme_sales.foundation.sqldb.database import Database
from acme_sales.foundation.sqldb.listen import Listener


def create_app() -> ASGIApp:
    """Granian's factory, run in each worker: the config comes from the supervisor's environment."""
    cfg = config.load(argv=(), environ=os.environ)
    logger.configure(service=config.SERVICE, level=cfg.log.level, fmt=cfg.log.format)
    process = worker.start(service=config.SERVICE, prefix=config.PREFIX, trace=cfg.trace)
    return build_app(
        cfg,
        log=logger.get_logger(),
        tracer_provider=process.tracer_provider,
        on_shutdown=process.on_shutdown,
    )


def build_app(
    cfg: config.AuthConfig,
    *,
    log: Logger,
    tracer_provider: TracerProvider | None = None,
    on_shutdown: tuple[worker.ShutdownHook, ...] = (),
) -> ASGIApp:
    """Wire the service. Keys and policies load here, so a bad key or policy stops the start;
    key files added to the folder later are picked up as they are asked for (see KeyFolder).

    Without a `tracer_provider`, trace context is kept but nothing is recorded.
    """
    address_rate = config.parse_rate(cfg.auth.token_rate)  # ValueError on a bad rate
    account_rate = config.parse_rate(cfg.auth.account_token_rate)
    keys = KeyFolder(
        Path(cfg.auth.keys_folder), log=log, rescan_interval=cfg.auth.keys_rescan_interval
    )
    policy = PolicyEngine.load()
    db = Database(cfg.db)
    probe = ReadinessProbe(cfg.db, DrainFlag(metrics.multiprocess_dir()))
    users = UserBus(UserDB(db))
    tokens = TokenService(keys.keys, issuer=cfg.auth.issuer, ttl=cfg.auth.ttl)
    # Users' current state, cached and kept fresh as the sales service's is (see app/sdk/auth).
    states = UserStates(users, ttl=cfg.auth.user_cache_ttl.total_seconds())
    listener = Listener(
        cfg.db, changes.CHANNEL, on_notify=states.changed, on_connect=states.drop_all, log=log
    )
    auth = Auth(
        tokens=TokenVerifier(KeyStoreKeys(keys.keys), issuer=cfg.auth.issuer),
        policy=policy,
        users=states,
    )
    app = web.new_app(
        title="Acme Sales auth API",
        version=__version__,
        route_handlers=[
            checkapp.routes(build=cfg.build, check_ready=probe.check, log=log),
            authapp.routes(
                auth=auth,
                tokens=tokens,
                users=users,
                keys=keys,
                address_rate=address_rate,
                account_rate=account_rate,
            ),
        ],
        exception_handlers=exception_handlers(log),
        on_startup=[db.open, probe.open, listener.start],
        on_shutdown=[listener.stop, probe.close, db.close, *on_shutdown],
        security_schemes=apidoc.AUTH_SECURITY_SCHEMES,
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
