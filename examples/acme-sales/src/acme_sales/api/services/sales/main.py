"""The sales service's entry point: config -> logging -> debug listener -> API workers.

This process is the supervisor. It reads and logs the configuration, exports it to the
environment, and hands the API to granian, whose worker processes each build the app from that
environment (see app.py). On SIGTERM or SIGINT granian stops accepting connections, lets
in-flight requests finish for up to the shutdown timeout, runs each worker's shutdown (closing its
Postgres pool) and returns; then the debug listener stops and the process exits 0.
"""

import dataclasses
import math
import multiprocessing
import os
import sys
from collections.abc import Sequence

import msgspec
from granian import Granian
from granian.constants import Interfaces

from acme_sales import __version__
from acme_sales.api.services.sales import config
from acme_sales.app.domain.checkapp import routes as checkapp
from acme_sales.app.sdk import errs
from acme_sales.foundation import host, logger
from acme_sales.foundation.config import ConfigError, masked, to_environ
from acme_sales.foundation.debug import DebugResponse, DebugServer
from acme_sales.foundation.logger import Logger
from acme_sales.foundation.sqldb.database import Database

APP_FACTORY = "acme_sales.api.services.sales.app:create_app"

# granian's own lines go to the root logger, which logger.configure formats like ours.
GRANIAN_LOGGING = {
    "loggers": {
        "_granian": {"handlers": [], "propagate": True},
        "granian.access": {"handlers": [], "propagate": False},
    }
}


def main(argv: Sequence[str] | None = None, *, app_factory: str = APP_FACTORY) -> int:
    """Run the service; `app_factory` names the ASGI app factory the workers serve."""
    try:
        cfg = config.load(sys.argv[1:] if argv is None else argv, os.environ)
    except ConfigError as err:
        print(f"{config.SERVICE}: {err}", file=sys.stderr)
        return 2
    logger.configure(service=config.SERVICE, level=cfg.log.level, fmt=cfg.log.format)
    log = logger.get_logger()
    serve(cfg, log=log, app_factory=app_factory)
    return 0


def serve(cfg: config.SalesConfig, *, log: Logger, app_factory: str) -> None:
    """Run the API and the debug listener until a signal stops them."""
    cpu = host.cpu_info()
    workers = cfg.web.workers or cpu.usable
    log.info(
        "startup",
        version=__version__,
        build=cfg.build,
        workers=workers,
        cpu_machine=cpu.machine,
        cpu_limit=cpu.limit,
    )
    log.info("config", config=masked(cfg))

    # Workers are fresh interpreters ("spawn": this process already runs threads) that load the
    # config from the environment; exporting it here makes flags reach them too.
    os.environ.update(to_environ(cfg, prefix=config.PREFIX))
    multiprocessing.set_start_method("spawn", force=True)

    debug = debug_server(cfg, log=log)
    server = Granian(
        app_factory,
        factory=True,
        interface=Interfaces.ASGI,
        address=cfg.web.api_host,
        port=cfg.web.api_port,
        workers=workers,
        workers_kill_timeout=math.ceil(cfg.web.shutdown_timeout.total_seconds()),
        log_dictconfig=GRANIAN_LOGGING,
    )
    server.on_startup(debug.start)
    server.on_shutdown(debug.stop)
    log.info("api listening", host=cfg.web.api_host, port=cfg.web.api_port)
    log.info("debug listening", host=cfg.web.debug_host, port=debug.port)
    server.serve()
    log.info("shutdown complete")


def debug_server(cfg: config.SalesConfig, *, log: Logger) -> DebugServer:
    """The debug listener: the same checks as the API, with its own small Postgres pool."""
    db = Database(dataclasses.replace(cfg.db, pool_min_size=0, pool_max_size=1))

    async def liveness() -> DebugResponse:
        return DebugResponse(200, msgspec.json.encode(checkapp.liveness(cfg.build)))

    async def readiness() -> DebugResponse:
        try:
            ready = await checkapp.readiness(db.status_check, log)
        except errs.Error as err:
            return DebugResponse(err.code.http_status, msgspec.json.encode(errs.to_response(err)))
        return DebugResponse(200, msgspec.json.encode(ready))

    return DebugServer(
        host=cfg.web.debug_host,
        port=cfg.web.debug_port,
        routes={checkapp.LIVENESS_PATH: liveness, checkapp.READINESS_PATH: readiness},
        on_start=db.open,
        on_stop=db.close,
    )
