"""Structured logging: JSON lines in production, readable console lines in development.

Every line carries the service name, a UTC timestamp, the level and the source file:line; lines
written while a request is handled also carry its `trace_id` (bound with `bind_request_context`).
Libraries that log through the standard library (granian, asyncpg, ...) come out in the same
format, so one pretty-printer and one log pipeline read everything.
"""

import dataclasses
import logging
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any, Literal, TextIO

import msgspec
import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from acme_sales.foundation.config import setting

LogFormat = Literal["json", "console"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

Logger = structlog.typing.FilteringBoundLogger


@dataclasses.dataclass(frozen=True)
class LogConfig:
    """How a service logs (a group named `log` in its config)."""

    level: LogLevel = setting("INFO", help="lowest level written")
    format: LogFormat = setting("json", help="json for production, console for development")


# Values msgspec cannot encode natively (exceptions, paths, ...) are logged as their str().
_json = msgspec.json.Encoder(enc_hook=str)


def configure(
    *,
    service: str,
    level: LogLevel = "INFO",
    fmt: LogFormat = "json",
    stream: TextIO | None = None,
) -> None:
    """Route structlog and the standard library's logging to `stream` (stdout by default)."""
    out = stream or sys.stdout
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _ServiceAdder(service),
        structlog.processors.CallsiteParameterAdder(
            [
                structlog.processors.CallsiteParameter.FILENAME,
                structlog.processors.CallsiteParameter.LINENO,
            ],
            additional_ignores=["logging"],
        ),
    ]
    render: list[Processor]
    if fmt == "json":
        render = [structlog.processors.format_exc_info, _render_json]
    else:
        render = [structlog.dev.ConsoleRenderer(colors=out.isatty())]

    numeric_level = logging.getLevelNamesMapping()[level]
    structlog.configure(
        processors=[*shared, *render],
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        logger_factory=structlog.WriteLoggerFactory(file=out),
        # Not cached: a module-level logger (`_log = get_logger(...)`) used before a later
        # configure() would keep writing to the old stream in the old format.
        cache_logger_on_first_use=False,
    )

    handler = logging.StreamHandler(out)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *render],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(numeric_level)
    # httpx logs one INFO line per request it makes (one per auth call): noise that would double
    # the log volume. Its warnings and errors still come through, and at DEBUG everything does.
    for chatty in ("httpx", "httpcore"):
        quiet = numeric_level > logging.DEBUG
        logging.getLogger(chatty).setLevel(logging.WARNING if quiet else logging.NOTSET)


def get_logger(**context: Any) -> Logger:
    """A logger carrying `context` on every line it writes."""
    logger: Logger = structlog.get_logger(**context)
    return logger


@contextmanager
def bind_request_context(**context: Any) -> Iterator[None]:
    """Add `context` (for example the trace id) to every line logged inside the block."""
    tokens = structlog.contextvars.bind_contextvars(**context)
    try:
        yield
    finally:
        structlog.contextvars.reset_contextvars(**tokens)


class _ServiceAdder:
    def __init__(self, service: str) -> None:
        self.service = service

    def __call__(self, _: WrappedLogger, __: str, event: EventDict) -> EventDict:
        event["service"] = self.service
        return event


def _render_json(_: WrappedLogger, __: str, event: MutableMapping[str, Any]) -> str:
    return _json.encode(event).decode()
