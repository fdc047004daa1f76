"""Liveness and readiness, for the orchestrator: no authentication, no request logging.

Liveness says the process is up and describes where it runs. Readiness says whether it can serve
now, that is whether Postgres answers and the service is not draining before a stop (see
foundation/readiness.py); it turns 503 while the database is away and 200 again when it is
back, without a restart.
"""

import os
from collections.abc import Awaitable, Callable

import msgspec
from litestar import Router, get

from acme_sales.app.sdk import errs
from acme_sales.foundation import host
from acme_sales.foundation.drain import DrainingError
from acme_sales.foundation.logger import Logger

LIVENESS_PATH = "/v1/liveness"
READINESS_PATH = "/v1/readiness"
PATHS = (LIVENESS_PATH, READINESS_PATH)

ReadinessCheck = Callable[[], Awaitable[None]]


class CPU(msgspec.Struct, frozen=True):
    machine: int
    schedulable: int
    usable: int
    limit: float | None


class Liveness(msgspec.Struct, frozen=True, omit_defaults=True):
    status: str
    build: str
    host: str
    pid: int
    cpu: CPU
    # Set by the Kubernetes downward API; absent elsewhere.
    name: str = ""
    pod_ip: str = msgspec.field(default="", name="podIP")
    node: str = ""
    namespace: str = ""


class Readiness(msgspec.Struct, frozen=True):
    status: str


def liveness(build: str) -> Liveness:
    cpu = host.cpu_info()
    return Liveness(
        status="up",
        build=build,
        host=host.hostname(),
        pid=os.getpid(),
        cpu=CPU(
            machine=cpu.machine, schedulable=cpu.schedulable, usable=cpu.usable, limit=cpu.limit
        ),
        name=os.environ.get("KUBERNETES_NAME", ""),
        pod_ip=os.environ.get("KUBERNETES_POD_IP", ""),
        node=os.environ.get("KUBERNETES_NODE_NAME", ""),
        namespace=os.environ.get("KUBERNETES_NAMESPACE", ""),
    )


async def readiness(check: ReadinessCheck, log: Logger) -> Readiness:
    """Ready when `check` passes; otherwise an `unavailable` error (503), with the reason logged."""
    try:
        await check()
    except DrainingError as exc:
        raise errs.Error(errs.ErrCode.UNAVAILABLE, str(exc)) from exc
    except Exception as exc:  # any failure means not ready; the log keeps why
        log.warning("readiness failure", error=repr(exc))
        raise errs.Error(errs.ErrCode.UNAVAILABLE, "not ready: database unavailable") from exc
    return Readiness(status="ok")


def routes(*, build: str, check_ready: ReadinessCheck, log: Logger) -> Router:
    """The check routes, bound to this service's build and readiness check."""

    @get(LIVENESS_PATH, summary="Is the process up", sync_to_thread=False)
    def get_liveness() -> Liveness:
        return liveness(build)

    @get(READINESS_PATH, summary="Can the service serve (Postgres answers)")
    async def get_readiness() -> Readiness:
        return await readiness(check_ready, log)

    return Router(path="/", route_handlers=[get_liveness, get_readiness], tags=["checks"])
