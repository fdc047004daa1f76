"""What every service's supervisor process does: log, export the config, serve, stop cleanly.

config -> logging -> startup lines (config with secrets masked) -> environment for the workers
(their config, and a fresh directory where they write their metrics) -> debug listener (checks
with its own small pool, `/metrics` summed over the workers, `/debug/stacks`) -> granian workers
-> on a signal, a drain (a flag file the workers' readiness looks for, see foundation/drain.py)
-> exit 0.
"""

import os
from typing import Protocol

from acme_sales import __version__
from acme_sales.app.domain.checkapp.debug import debug_routes
from acme_sales.foundation import host, logger, metrics, otel, server, stacks
from acme_sales.foundation.config import masked, to_environ
from acme_sales.foundation.debug import DebugServer
from acme_sales.foundation.drain import DrainFlag
from acme_sales.foundation.logger import LogConfig
from acme_sales.foundation.readiness import ReadinessProbe
from acme_sales.foundation.server import WebConfig
from acme_sales.foundation.sqldb import DBConfig


class ServiceConfig(Protocol):
    """The settings every service has, whatever else it adds."""

    @property
    def build(self) -> str: ...
    @property
    def web(self) -> WebConfig: ...
    @property
    def log(self) -> LogConfig: ...
    @property
    def db(self) -> DBConfig: ...
    @property
    def trace(self) -> otel.TraceConfig: ...


def supervise(
    cfg: ServiceConfig, *, service: str, prefix: str, tracing: otel.Tracing, app_factory: str
) -> int:
    """Run `app_factory` in worker processes until SIGTERM/SIGINT; return the exit code."""
    logger.configure(service=service, level=cfg.log.level, fmt=cfg.log.format)
    log = logger.get_logger()
    cpu = host.cpu_info()
    workers = cfg.web.worker_count(cpu)
    log.info(
        "startup",
        version=__version__,
        build=cfg.build,
        workers=workers,
        cpu_machine=cpu.machine,
        cpu_limit=cpu.limit,
    )
    log.info("config", config=masked(cfg))
    log.info("tracing", **tracing.describe())

    # Workers load their config from the environment: exporting it makes flags reach them too.
    os.environ.update(to_environ(cfg, prefix=prefix))
    metrics_dir = metrics.prepare_multiprocess_dir(service)
    log.info("metrics", directory=str(metrics_dir), path=metrics.PATH)
    scraper = metrics.Scraper(
        metrics_dir,
        extra=[
            metrics.BuildInfo(service=service, version=__version__, build=cfg.build),
            metrics.supervisor_process_collector(),
        ],
    )

    # The debug listener answers probes as the workers do (see foundation/readiness.py).
    drain = DrainFlag(metrics_dir)
    probe = ReadinessProbe(cfg.db, drain)
    debug = DebugServer(
        host=cfg.web.debug_host,
        port=cfg.web.debug_port,
        routes={
            **debug_routes(build=cfg.build, check_ready=probe.check, log=log),
            metrics.PATH: metrics.debug_route(scraper),
            stacks.PATH: stacks.debug_route(metrics_dir, scraper.live_workers),
        },
        on_start=probe.open,
        on_stop=probe.close,
    )
    try:
        server.serve(
            app_factory=app_factory,
            web=cfg.web,
            workers=workers,
            debug=debug,
            drain=drain,
            log=log,
        )
    finally:
        metrics.remove_multiprocess_dir(metrics_dir)
    return 0
