"""Tracing settings: the service's own settings win over the standard variables; bad values are
refused naming where they came from; with no endpoint nothing is recorded or exported."""

import threading

import pytest
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import Decision

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
    assert sampler is not None
    decisions = [
        sampler.should_sample(None, trace_id, "GET /").decision is Decision.RECORD_AND_SAMPLE
        for trace_id in range(1, 2**64, 2**64 // 2000)
    ]
    assert 0.03 < sum(decisions) / len(decisions) < 0.07


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


def test_tracing_off_keeps_trace_context_without_the_asgi_middleware() -> None:
    # What TraceContext does is tested through the request log line (tests/app/sdk/mid);
    # here, that it is what an untraced service gets, and only then.
    async def app(scope: object, receive: object, send: object) -> None: ...

    untraced = otel.server_spans(app, provider=otel.untraced("sales", "0"), excluded_paths=())
    recording = otel.server_spans(app, provider=TracerProvider(), excluded_paths=())
    assert isinstance(untraced, otel.TraceContext)
    assert isinstance(recording, OpenTelemetryMiddleware)


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


def processors(provider: TracerProvider) -> tuple[object, ...]:
    return tuple(provider._active_span_processor._span_processors)
