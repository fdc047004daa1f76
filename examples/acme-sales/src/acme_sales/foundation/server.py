"""Serving an ASGI app with granian worker processes, next to a debug listener, until a signal.

The calling process is the supervisor: granian spawns the workers, each of which imports
`app_factory` and builds its own app (so anything a worker needs, such as the configuration,
must reach it through the environment). On SIGTERM or SIGINT granian stops accepting
connections, lets in-flight requests finish for up to `shutdown_timeout`, runs each worker's
shutdown hooks, kills what is left, and `serve` returns.
"""

import dataclasses
import math
import multiprocessing
from datetime import timedelta

from granian import Granian
from granian.constants import Interfaces

from acme_sales.foundation.config import setting
from acme_sales.foundation.debug import DebugServer
from acme_sales.foundation.host import CPUInfo
from acme_sales.foundation.logger import Logger

# granian's own lines go to the root logger, which logger.configure formats like ours.
GRANIAN_LOGGING = {
    "loggers": {
        "_granian": {"handlers": [], "propagate": True},
        "granian.access": {"handlers": [], "propagate": False},
    }
}


@dataclasses.dataclass(frozen=True)
class WebConfig:
    """Listeners and shutdown of one service (a group named `web` in its config)."""

    api_host: str = setting("0.0.0.0", help="address the API listens on")  # noqa: S104
    api_port: int = setting(3000, help="port the API listens on")
    debug_host: str = setting("0.0.0.0", help="address of the debug listener")  # noqa: S104
    debug_port: int = setting(3010, help="port of the debug listener (checks, /metrics)")
    workers: int = setting(0, help="API worker processes; 0 means one per usable CPU")
    shutdown_timeout: timedelta = setting(
        timedelta(seconds=20),
        help="how long in-flight requests may run after SIGTERM/SIGINT before workers are killed",
    )
    cors_allowed_origins: tuple[str, ...] = setting(
        (), help="origins allowed to call the API from a browser; empty disables CORS"
    )

    def worker_count(self, cpu: CPUInfo) -> int:
        return self.workers or cpu.usable


def serve(
    *, app_factory: str, web: WebConfig, workers: int, debug: DebugServer, log: Logger
) -> None:
    """Run the API workers and the debug listener until a signal stops them."""
    # Workers are fresh interpreters: this process already runs the debug listener's threads,
    # and forking a threaded process is unsafe.
    multiprocessing.set_start_method("spawn", force=True)
    server = Granian(
        app_factory,
        factory=True,
        interface=Interfaces.ASGI,
        address=web.api_host,
        port=web.api_port,
        workers=workers,
        workers_kill_timeout=math.ceil(web.shutdown_timeout.total_seconds()),
        log_dictconfig=GRANIAN_LOGGING,
    )
    server.on_startup(debug.start)
    server.on_shutdown(debug.stop)
    log.info("api listening", host=web.api_host, port=web.api_port, workers=workers)
    log.info("debug listening", host=web.debug_host, port=debug.port)
    server.serve()
    log.info("shutdown complete")
