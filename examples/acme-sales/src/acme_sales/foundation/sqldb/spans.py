"""A span per SQL statement: its text, never its parameters, and only inside a recorded trace.

The pool's connections are of the class `statement_spans` makes, so every statement sent on
them is seen: the service's own, and the `BEGIN;`/`COMMIT;` of a transaction and the reset of a
connection given back to the pool, which asyncpg sends itself.

Why not OpenTelemetry's asyncpg instrumentation: it builds each statement's attributes and a
span, and enters it as the current span, even when the trace is not sampled, where nothing is
recorded; with one trace in ten sampled, that was most of what tracing cost. Here a statement
outside a recorded span costs one check, and a recorded one a span with the same attributes
(the older database conventions, as the instrumentation's default).
"""

import functools
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import asyncpg
from opentelemetry import trace
from opentelemetry.trace import SpanKind, StatusCode

_tracer = trace.get_tracer(__name__)

if TYPE_CHECKING:
    _Connection = asyncpg.Connection[asyncpg.Record]
else:
    _Connection = asyncpg.Connection  # generic in the stubs only


class _StatementSpans(_Connection):
    """A connection that makes a span for each statement while a recorded span is current."""

    span_attributes: ClassVar[Mapping[str, str | int]] = {}  # the pool's, on every statement
    _resetting = False

    async def reset(self, *, timeout: float | None = None) -> None:  # noqa: ASYNC109  (asyncpg's)
        # asyncpg's reset of a released connection is one query of several statements that opens
        # with a SELECT (of pg_advisory_unlock_all); its span is named for what it does.
        self._resetting = True
        try:
            await super().reset(timeout=timeout)
        finally:
            self._resetting = False

    async def execute(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return await self._run(super().execute, query, args, kwargs)

    async def executemany(self, command: str, *args: Any, **kwargs: Any) -> Any:
        return await self._run(super().executemany, command, args, kwargs)

    async def fetch(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return await self._run(super().fetch, query, args, kwargs)

    async def fetchval(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return await self._run(super().fetchval, query, args, kwargs)

    async def fetchrow(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return await self._run(super().fetchrow, query, args, kwargs)

    async def fetchmany(self, query: str, *args: Any, **kwargs: Any) -> Any:
        return await self._run(super().fetchmany, query, args, kwargs)

    async def _run(
        self,
        method: Callable[..., Awaitable[Any]],
        query: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        if not trace.get_current_span().is_recording():  # not sampled, or tracing off
            return await method(query, *args, **kwargs)
        # Not made current: nothing runs inside a statement, so no context to switch.
        span = _tracer.start_span(
            "RESET" if self._resetting else _operation(query),
            kind=SpanKind.CLIENT,
            attributes={**self.span_attributes, "db.statement": query},
        )
        try:
            return await method(query, *args, **kwargs)
        except Exception as err:
            # The error's type only: Postgres messages can quote the values of parameters.
            span.set_status(StatusCode.ERROR, type(err).__name__)
            raise
        finally:
            span.end()


@functools.cache
def statement_spans(*, host: str, port: int, database: str, user: str) -> type[_Connection]:
    """The connection class for a pool on `database`, to pass as `connection_class`."""

    class StatementSpans(_StatementSpans):
        span_attributes: ClassVar[Mapping[str, str | int]] = {
            "db.system": "postgresql",
            "db.name": database,
            "db.user": user,
            "net.peer.name": host,
            "net.peer.port": port,
        }

    return StatementSpans


def _operation(query: str) -> str:
    """The span's name: the statement's first word (`SELECT`, `INSERT`, `BEGIN`, ...)."""
    words = query.split(maxsplit=1)
    return words[0].rstrip(";").upper() if words else "postgresql"
