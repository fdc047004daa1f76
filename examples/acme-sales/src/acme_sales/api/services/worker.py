"""What every service's worker process does before it builds its app (the supervisor's twin).

Answer stack dump requests (when a supervisor runs it), start this process's tracing, and say
what to run when the worker stops: flush the spans still queued, and take the worker's live
gauges (in flight, pool) out of the service's metrics.
"""

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from opentelemetry.sdk.trace import TracerProvider

from acme_sales import __version__
from acme_sales.foundation import metrics, otel, stacks

ShutdownHook = Callable[[], Awaitable[None] | None]


@dataclass(frozen=True)
class Worker:
    tracer_provider: TracerProvider
    on_shutdown: tuple[ShutdownHook, ...]


def start(*, service: str, prefix: str, trace: otel.TraceConfig) -> Worker:
    if (exchange := metrics.multiprocess_dir()) is not None:  # run by the supervisor
        stacks.answer_dump_requests(exchange)
    tracing = otel.resolve(trace, os.environ, prefix=prefix)
    provider = otel.start(tracing, service=service, version=__version__, environ=os.environ)
    return Worker(provider, on_shutdown=(provider.shutdown, metrics.mark_worker_stopped))
