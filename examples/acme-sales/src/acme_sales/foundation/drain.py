"""Draining: the time between a stop signal and closing the listener, when readiness says 503 so
load balancers send new requests elsewhere, while every request that still arrives is served.

The supervisor gets the signal, but the API port's readiness is answered by the workers, separate
processes granian spawned: the supervisor raises a flag file in the directory they already share
(the metrics' multiprocess directory), and a readiness check looks for it. A file is one `stat`
per probe, needs no channel to set up, and a worker started during the drain sees it too.
"""

from pathlib import Path

FLAG_NAME = "draining"


class DrainFlag:
    """The flag in `directory`; with none (a worker run alone, as in tests) it never rises."""

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / FLAG_NAME if directory is not None else None

    def raise_flag(self) -> None:
        if self.path is not None:
            self.path.touch()

    @property
    def raised(self) -> bool:
        return self.path is not None and self.path.exists()


class DrainingError(Exception):
    """Not ready because the service is stopping."""

    def __init__(self) -> None:
        super().__init__("not ready: draining before shutdown")
