"""Serving an ASGI app with granian worker processes, next to a debug listener, until a signal.

The calling process is the supervisor: granian spawns the workers, each of which imports
`app_factory` and builds its own app (so anything a worker needs, such as the configuration,
must reach it through the environment). On SIGTERM or SIGINT the service drains first: readiness
turns 503 on both ports (see drain.py) while requests are still served for `drain_period`, so
load balancers stop sending new ones; then granian stops accepting connections, lets in-flight
requests finish for up to `shutdown_timeout`, runs each worker's shutdown hooks, kills what is
left, and `serve` returns. A second signal during the drain ends it at once.
"""

import dataclasses
import math
import multiprocessing
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from granian import Granian
from granian.constants import Interfaces

from acme_sales.foundation.config import setting
from acme_sales.foundation.debug import DebugServer
from acme_sales.foundation.drain import DrainFlag
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
    drain_period: timedelta = setting(
        timedelta(seconds=5),
        help="how long after SIGTERM/SIGINT readiness says 503 while requests are still served, "
        "before the listener closes (a few readiness probe periods); 0 stops at once",
    )
    max_in_flight: int = setting(
        100,
        help="requests one worker handles at once; beyond it a request is answered 503 with "
        "Retry-After at once (probes never are). 0 for no bound",
    )
    request_deadline: timedelta = setting(
        timedelta(seconds=15),
        help="longest a request may run; beyond it it is cancelled and answered 504. 0 for none",
    )
    cors_allowed_origins: tuple[str, ...] = setting(
        (), help="origins allowed to call the API from a browser; empty disables CORS"
    )

    def worker_count(self, cpu: CPUInfo) -> int:
        return self.workers or cpu.usable


class _DrainingGranian(Granian):  # type: ignore[misc,valid-type]
    """Granian whose stop signal first drains (raises the flag, waits), then stops as before.

    granian has no hook between a signal and its stop: its handler (which `startup` installs
    for SIGTERM and SIGINT) is replaced, and called when the drain is over.
    """

    drain: "_Drain"

    def signal_handler_interrupt(self, *args: Any, **kwargs: Any) -> None:
        self.drain.signalled(lambda: super(_DrainingGranian, self).signal_handler_interrupt())

    def shutdown(self, exit_code: int = 0) -> None:
        if self.drain.started:
            # Workers that exited by themselves during the drain got the signal too (Ctrl-C
            # reaches the whole process group): a stop, not a crash to exit 1 for.
            self.interrupt_children.clear()
        super().shutdown(exit_code)


class _Drain:
    """The first signal raises the flag and stops after `period`; a second one stops at once."""

    def __init__(self, *, period: timedelta, flag: DrainFlag, log: Logger) -> None:
        self.period = period.total_seconds()
        self.flag = flag
        self.log = log
        self.timer: threading.Timer | None = None

    @property
    def started(self) -> bool:
        return self.timer is not None

    def signalled(self, stop: Callable[[], None]) -> None:
        if self.timer is not None:  # a second signal: no more waiting
            self.timer.cancel()
            self.log.info("drain cut short by a second signal")
            stop()
            return
        if not self.period:
            stop()
            return
        self.flag.raise_flag()
        self.log.info("draining", seconds=self.period)
        self.timer = threading.Timer(self.period, stop)
        self.timer.daemon = True
        self.timer.start()


def serve(
    *,
    app_factory: str,
    web: WebConfig,
    workers: int,
    debug: DebugServer,
    drain: DrainFlag,
    log: Logger,
) -> None:
    """Run the API workers and the debug listener until a signal stops them (after a drain)."""
    # Workers are fresh interpreters: this process already runs the debug listener's threads,
    # and forking a threaded process is unsafe.
    multiprocessing.set_start_method("spawn", force=True)
    # Not granian's `backpressure`: it queues connections beyond a bound rather than refusing
    # them (see shedding.py), so it stays at its default.
    server = _DrainingGranian(
        app_factory,
        factory=True,
        interface=Interfaces.ASGI,
        address=web.api_host,
        port=web.api_port,
        workers=workers,
        workers_kill_timeout=math.ceil(web.shutdown_timeout.total_seconds()),
        log_dictconfig=GRANIAN_LOGGING,
    )
    server.drain = _Drain(period=web.drain_period, flag=drain, log=log)
    server.on_startup(debug.start)
    server.on_shutdown(debug.stop)
    log.info("api listening", host=web.api_host, port=web.api_port, workers=workers)
    log.info("debug listening", host=web.debug_host, port=debug.port)
    server.serve()
    log.info("shutdown complete")
