"""Statement spans: one per statement inside a recorded span, with its text and never its values;
none outside one."""

import json

import asyncpg
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from acme_sales.foundation import sqldb
from acme_sales.foundation.sqldb import spans

SECRET = "a-value-no-span-may-hold"


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> tuple[TracerProvider, InMemorySpanExporter]:
    """A provider recording every span, used for the statement spans too (the global one is
    whatever another test in this process set)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(spans, "_tracer", provider.get_tracer("test"))
    return provider, exporter


def attributes(span: ReadableSpan) -> dict[str, object]:
    return dict(span.attributes or {})


async def test_each_statement_of_a_recorded_span_is_a_span_without_its_values(
    db_config: sqldb.DBConfig, recorded: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = recorded
    pool = await sqldb.open_pool(db_config)
    try:
        assert await pool.fetchval("SELECT $1::text", SECRET) == SECRET  # no span current
        assert exporter.get_finished_spans() == ()

        with provider.get_tracer("test").start_as_current_span("request") as request:
            async with pool.acquire() as conn, conn.transaction():
                await conn.fetchval("SELECT $1::text", SECRET)
            with pytest.raises(asyncpg.DivisionByZeroError):
                await pool.execute("SELECT 1 / $1::int", 0)
    finally:
        await pool.close()

    statements = [span for span in exporter.get_finished_spans() if span.name != "request"]
    texts = [attributes(span)["db.statement"] for span in statements]
    assert texts[:3] == ["BEGIN;", "SELECT $1::text", "COMMIT;"]
    assert [span.name for span in statements[:3]] == ["BEGIN", "SELECT", "COMMIT"]
    # The connection's reset on release is named so, not after its opening SELECT.
    assert statements[3].name == "RESET"
    assert "pg_advisory_unlock_all" in str(attributes(statements[3])["db.statement"])
    assert all(
        span.parent and span.parent.span_id == request.get_span_context().span_id
        for span in statements
    )
    assert all(attributes(span)["db.system"] == "postgresql" for span in statements)
    assert SECRET not in json.dumps([attributes(span) for span in statements])
    [failed] = [span for span in statements if span.status.status_code is StatusCode.ERROR]
    assert attributes(failed)["db.statement"] == "SELECT 1 / $1::int"
    assert failed.status.description == "DivisionByZeroError"  # the type, not Postgres' message
