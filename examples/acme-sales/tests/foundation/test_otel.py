"""Tracing settings: the service's own settings win over the standard variables; bad values are
refused naming where they came from; with no endpoint nothing is recorded or exported."""

import dataclasses
import threading
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, Sampler

from acme_sales.foundation import otel
from acme_sales.foundation.config import ConfigError
from tests.support import otlp


def resolve(environ: dict[str, str], **settings: str) -> otel.Tracing:
    return otel.resolve(otel.TraceConfig(**settings), environ, prefix="SALES")


def test_no_endpoint_anywhere_means_tracing_off() -> None:
    assert not resolve({}).enabled


def test_standard_variables_are_read() -> None:
    tracing = resolve(
        {
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://tempo:4318",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "OTEL_TRACES_SAMPLER": "parentbased_always_on",
        }
    )
    assert (tracing.endpoint, tracing.protocol, tracing.sample_ratio) == (
        "http://tempo:4318",
        "http/protobuf",
        None,  # the SDK's sampler, which reads OTEL_TRACES_SAMPLER[_ARG]
    )


def test_with_no_sampler_said_one_new_trace_in_twenty_is_recorded() -> None:
    tracing = resolve({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://tempo:4317"})
    assert tracing.sample_ratio == otel.DEFAULT_SAMPLE_RATIO == 0.05
    sampler = otel._sampler(tracing)
    assert isinstance(sampler, otel.EdgeSampled)
    assert sampler.ratio == 0.05


def test_the_traces_variables_win_over_the_general_ones() -> None:
    tracing = resolve(
        {
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://general:4317",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://traces:4317",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc",
        }
    )
    assert (tracing.endpoint, tracing.protocol) == ("http://traces:4317", "grpc")


def test_settings_win_over_the_standard_variables() -> None:
    tracing = resolve(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://tempo:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
        endpoint="http://collector:4318",
        protocol="http/protobuf",
        sample_ratio="0.25",
    )
    assert (tracing.endpoint, tracing.protocol, tracing.sample_ratio) == (
        "http://collector:4318",
        "http/protobuf",
        0.25,
    )


def test_the_sdk_can_be_disabled_whatever_the_endpoint() -> None:
    tracing = resolve({"OTEL_SDK_DISABLED": "true"}, endpoint="http://tempo:4317")
    assert not tracing.enabled


def test_bad_values_are_refused_naming_their_source() -> None:
    with pytest.raises(ConfigError) as refused:
        resolve(
            {"OTEL_EXPORTER_OTLP_PROTOCOL": "thrift", "OTEL_EXPORTER_OTLP_ENDPOINT": "tempo:4317"},
            sample_ratio="2",
        )
    assert refused.value.problems == [
        "OTEL_EXPORTER_OTLP_PROTOCOL='thrift': must be one of grpc, http/protobuf",
        "SALES_TRACE_SAMPLE_RATIO='2': must be a number from 0 to 1",
        "trace endpoint 'tempo:4317': must be a URL such as http://tempo:4317",
    ]


def test_tracing_off_records_nothing_and_runs_no_exporter() -> None:
    provider = otel.start(otel.OFF, service="sales", version="0", environ={})
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        assert not span.is_recording()
        assert span.get_span_context().is_valid  # context still flows (trace ids in logs)
    assert processors(provider) == ()
    assert not [thread for thread in threading.enumerate() if "Otel" in thread.name]


@dataclasses.dataclass(frozen=True)
class Ran:
    """The span a request ran in: its context, and whether it was being recorded."""

    context: trace.SpanContext
    recording: bool

    @property
    def trace_id(self) -> str:
        return format(self.context.trace_id, "032x")


class Edge:
    """An app behind ServerSpans on a provider that keeps what it records in memory; the app
    notes the span each request ran in."""

    def __init__(self, sampler: Sampler) -> None:
        self.finished = InMemorySpanExporter()
        provider = TracerProvider(sampler=sampler)
        provider.add_span_processor(SimpleSpanProcessor(self.finished))
        self.seen: list[Ran] = []

        async def app(scope: Any, receive: Any, send: Any) -> None:
            span = trace.get_current_span()
            self.seen.append(Ran(span.get_span_context(), span.is_recording()))
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        spans = otel.server_spans(app, provider=provider, excluded_paths=["/probe"])
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=spans), base_url="http://edge"
        )

    async def get(self, path: str = "/work", traceparent: str | None = None) -> "Ran":
        headers = {"traceparent": traceparent} if traceparent else {}
        (await self.client.get(path, headers=headers)).raise_for_status()
        return self.seen[-1]


CALLER = "4bf92f3577b34da6a3ce929d0e0e4736"


async def test_a_new_trace_is_recorded_at_the_edges_ratio() -> None:
    every, none = Edge(otel.EdgeSampled(1.0)), Edge(otel.EdgeSampled(0.0))

    recorded = await every.get()
    carried = await none.get()

    assert recorded.recording
    assert [span.name for span in every.finished.get_finished_spans()] == ["GET"]
    assert not carried.recording
    assert carried.context.is_valid  # its trace id still reaches logs and callees
    assert not carried.context.trace_flags.sampled  # so callees do not record it
    assert none.finished.get_finished_spans() == ()


async def test_the_callers_choice_wins_over_the_ratio() -> None:
    every, none = Edge(otel.EdgeSampled(1.0)), Edge(otel.EdgeSampled(0.0))

    left_out = await every.get(traceparent=f"00-{CALLER}-00f067aa0ba902b7-00")
    asked_for = await none.get(traceparent=f"00-{CALLER}-00f067aa0ba902b7-01")

    assert (left_out.recording, left_out.trace_id) == (False, CALLER)
    assert (asked_for.recording, asked_for.trace_id) == (True, CALLER)
    assert every.finished.get_finished_spans() == ()


async def test_about_the_ratio_of_new_traces_is_recorded() -> None:
    edge = Edge(otel.EdgeSampled(0.05))
    for _ in range(2000):
        await edge.get()
    recorded = len(edge.finished.get_finished_spans())
    assert 40 < recorded < 180  # 100 expected; far outside 6 standard deviations either way


async def test_tracing_off_records_nothing_even_when_the_caller_asks() -> None:
    off = Edge(otel.untraced("sales", "0").sampler)

    carried = await off.get(traceparent=f"00-{CALLER}-00f067aa0ba902b7-01")

    assert (carried.recording, carried.trace_id) == (False, CALLER)
    assert off.finished.get_finished_spans() == ()


async def test_probes_run_outside_any_trace() -> None:
    edge = Edge(otel.EdgeSampled(1.0))
    assert not (await edge.get("/probe")).context.is_valid
    assert edge.finished.get_finished_spans() == ()


async def test_a_sampler_of_the_standard_variables_decides_in_the_middleware() -> None:
    edge = Edge(ALWAYS_ON)  # as OTEL_TRACES_SAMPLER=always_on would give
    assert (await edge.get(traceparent=f"00-{CALLER}-00f067aa0ba902b7-00")).recording


def test_tracing_on_batches_to_an_exporter() -> None:
    # A receiver that answers: an unreachable endpoint would hold the shutdown for seconds of
    # retries.
    with otlp.http_receiver() as (endpoint, spans):
        tracing = otel.Tracing(endpoint=endpoint, protocol="http/protobuf", sample_ratio=1)
        provider = otel.start(tracing, service="sales", version="0", environ={})
        try:
            [batch] = processors(provider)
            assert type(batch).__name__ == "BatchSpanProcessor"
            with provider.get_tracer("test").start_as_current_span("work") as span:
                assert span.is_recording()
        finally:
            provider.shutdown()  # sends what is queued
        assert [(span.service, span.name) for span in spans.received] == [("sales", "work")]


def test_business_operations_get_a_span_each() -> None:
    @otel.traced("examplebus")
    class ExampleBus:
        async def create(self, value: int) -> int:
            return value + 1

        def with_querier(self) -> "ExampleBus":
            return self

        async def _helper(self) -> None:
            """Private: no span."""

    bus = ExampleBus()
    assert bus.create.__qualname__.endswith("create")
    assert bus.with_querier() is bus
    assert getattr(ExampleBus.create, "__wrapped__", None) is not None
    assert getattr(ExampleBus._helper, "__wrapped__", None) is None


async def test_an_operation_in_a_trace_not_recorded_makes_no_span() -> None:
    seen: list[trace.Span] = []

    @otel.traced("examplebus")
    class ExampleBus:
        async def get(self) -> None:
            seen.append(trace.get_current_span())

    unrecorded = trace.NonRecordingSpan(trace.SpanContext(trace_id=1, span_id=2, is_remote=False))
    with trace.use_span(unrecorded):
        await ExampleBus().get()

    assert seen == [unrecorded]


def processors(provider: TracerProvider) -> tuple[object, ...]:
    return tuple(provider._active_span_processor._span_processors)
