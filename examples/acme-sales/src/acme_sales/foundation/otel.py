"""Tracing with OpenTelemetry: one trace per request, from the edge to each SQL statement.

Set where traces go with the service's own settings (`--trace-endpoint`, ...) or the standard
OpenTelemetry variables (`OTEL_EXPORTER_OTLP_ENDPOINT`, ...); a setting wins over its variable.
With no endpoint, tracing costs next to nothing: no span is recorded, nothing is exported and no
exporter thread runs. Trace context is still taken from each request (or made up) and passed to
the auth service, so both services' log lines for one request carry the same `trace_id` either
way. SQL statements get their spans from the pool's connections (`sqldb.spans`), only in traces
that are recorded.
"""

import dataclasses
import functools
import inspect
import re
from collections.abc import Callable, Collection, Coroutine, Mapping
from random import random
from typing import Any, Literal, ParamSpec, TypeVar, cast

from opentelemetry import context, propagate, trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware, asgi_getter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased, Sampler

from acme_sales.foundation.config import ConfigError, setting

P = ParamSpec("P")
R = TypeVar("R")
C = TypeVar("C", bound=type)

OTLPProtocol = Literal["grpc", "http/protobuf"]
PROTOCOLS: tuple[OTLPProtocol, ...] = ("grpc", "http/protobuf")

# The standard variables this module reads (the SDK itself reads OTEL_TRACES_SAMPLER[_ARG],
# OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_* and OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT/HEADERS).
STANDARD_ENV = (
    "OTEL_SDK_DISABLED",
    "OTEL_SERVICE_NAME",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
    "OTEL_RESOURCE_ATTRIBUTES",
)
ENV_HELP = "Tracing also reads the standard OpenTelemetry variables: " + ", ".join(STANDARD_ENV)

_tracer = trace.get_tracer("acme_sales")


@dataclasses.dataclass(frozen=True)
class TraceConfig:
    """Where traces go (a group named `trace` in a service's config). Empty means: use the
    standard OpenTelemetry variable, else the default."""

    endpoint: str = setting(
        "",
        help="OTLP endpoint, e.g. http://tempo:4317 (else OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT); "
        "none: tracing off",
    )
    protocol: str = setting(
        "", help="grpc or http/protobuf (else OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL, else grpc)"
    )
    sample_ratio: str = setting(
        "",
        help="share of new traces recorded, 0 to 1, following the caller's choice when it "
        "sent one (else OTEL_TRACES_SAMPLER[_ARG], else 0.05)",
    )


@dataclasses.dataclass(frozen=True)
class Tracing:
    """The tracing a process runs with, once settings and variables are resolved."""

    endpoint: str  # "" when tracing is off
    protocol: OTLPProtocol
    sample_ratio: float | None  # None: the SDK's sampler from OTEL_TRACES_SAMPLER[_ARG]

    @property
    def enabled(self) -> bool:
        return bool(self.endpoint)

    def describe(self) -> dict[str, Any]:
        """For the startup log line."""
        if not self.enabled:
            return {"enabled": False}
        return {
            "enabled": True,
            "endpoint": self.endpoint,
            "protocol": self.protocol,
            "sample_ratio": "OTEL_TRACES_SAMPLER"
            if self.sample_ratio is None
            else self.sample_ratio,
        }


OFF = Tracing(endpoint="", protocol="grpc", sample_ratio=None)

# The share of new traces recorded when neither a setting nor OTEL_TRACES_SAMPLER says: one in
# twenty, as the reference service samples. Every recorded request pays for its spans (with
# every trace recorded, a cheap request costs about two thirds more CPU, `make bench-obs`), so
# production records a sample; development sets 1 (deploy/k8s/dev, deploy/compose).
DEFAULT_SAMPLE_RATIO = 0.05


def resolve(cfg: TraceConfig, environ: Mapping[str, str], *, prefix: str) -> Tracing:
    """The effective tracing settings; ConfigError names every bad value and where it came from."""
    problems: list[str] = []
    endpoint, _ = _first(
        (cfg.endpoint, f"{prefix}_TRACE_ENDPOINT"),
        *_variables(environ, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"),
    )
    protocol, protocol_source = _first(
        (cfg.protocol, f"{prefix}_TRACE_PROTOCOL"),
        *_variables(environ, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"),
        ("grpc", "default"),
    )
    if protocol not in PROTOCOLS:
        problems.append(f"{protocol_source}={protocol!r}: must be one of {', '.join(PROTOCOLS)}")
    ratio: float | None = None
    if cfg.sample_ratio:
        try:
            ratio = float(cfg.sample_ratio)
        except ValueError:
            ratio = -1.0
        if not 0.0 <= ratio <= 1.0:
            shown = f"{prefix}_TRACE_SAMPLE_RATIO={cfg.sample_ratio!r}"
            problems.append(f"{shown}: must be a number from 0 to 1")
    if ratio is None and not environ.get("OTEL_TRACES_SAMPLER", "").strip():
        ratio = DEFAULT_SAMPLE_RATIO
    if endpoint and not re.match(r"^https?://[^/]", endpoint):
        problems.append(f"trace endpoint {endpoint!r}: must be a URL such as http://tempo:4317")
    if problems:
        raise ConfigError(problems)
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        endpoint = ""
    return Tracing(endpoint=endpoint, protocol=cast("OTLPProtocol", protocol), sample_ratio=ratio)


def start(
    tracing: Tracing, *, service: str, version: str, environ: Mapping[str, str]
) -> TracerProvider:
    """Make this process's tracer provider (the global one, the first time) and return it.

    Call `provider.shutdown()` when the process stops: it sends what is still queued.
    """
    attributes: dict[str, str] = {"service.version": version}
    if not environ.get("OTEL_SERVICE_NAME"):
        attributes["service.name"] = service
    resource = Resource.create(attributes)
    if not tracing.enabled:
        provider = TracerProvider(resource=resource, sampler=ALWAYS_OFF)
    else:
        provider = TracerProvider(resource=resource, sampler=_sampler(tracing))
        provider.add_span_processor(_batch_processor(tracing))
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        trace.set_tracer_provider(provider)
    return provider


def untraced(service: str, version: str) -> TracerProvider:
    """A provider that keeps trace context and records nothing (tracing off, in tests too)."""
    return start(OFF, service=service, version=version, environ={})


def server_spans(app: Any, *, provider: TracerProvider, excluded_paths: Collection[str]) -> Any:
    """`app` with a server span per request, continuing the caller's trace from its
    `traceparent`; requests to `excluded_paths` (probes) are left out. See `ServerSpans`."""
    return ServerSpans(app, provider=provider, excluded_paths=excluded_paths)


class ServerSpans:
    """Each request in the caller's trace (from `traceparent`) or in a new one, recorded by
    OpenTelemetry's ASGI middleware when the trace is sampled, and otherwise only carried.

    Why not the middleware for every request: it builds a request's attributes and wraps every
    ASGI message whether or not its span is recorded, about a seventh of a worker's CPU on a
    cheap route (`make bench ARGS=--profile`), paid by every request a sample leaves out. So the
    sampling decision is taken here, first, as the SDK's parent-based sampler would take it: a
    caller's choice is followed, and a new trace is sampled at the ratio (`EdgeSampled`). A
    request left out gets a span context of its own, not recorded (log lines, the auth client
    and the `X-Trace-Id` header find its trace id there), at a fraction of the cost; its child
    spans follow it and are not recorded either. A sampler of the standard variables
    (OTEL_TRACES_SAMPLER) decides inside the middleware, so every request goes through it.

    The recorded span starts as `GET` and is renamed after the route template once routing has
    run (`name_server_span`): a raw path in a span name would make one name per id.
    """

    def __init__(
        self, app: Any, *, provider: TracerProvider, excluded_paths: Collection[str]
    ) -> None:
        self._app = app
        self._excluded = frozenset(excluded_paths)
        self._ids = provider.id_generator
        sampler = provider.sampler
        self._off = sampler is ALWAYS_OFF  # tracing off: nothing is ever recorded
        # The share of new traces to record, or None when the middleware's sampler decides.
        self._ratio = sampler.ratio if isinstance(sampler, EdgeSampled) else None
        excluded = ",".join(rf"{re.escape(path)}(\?|$)" for path in excluded_paths)
        self._recorded = OpenTelemetryMiddleware(
            app,
            excluded_urls=excluded or None,
            default_span_details=_method_only,
            server_request_hook=_without_query,
            tracer_provider=provider,
            exclude_spans=["receive", "send"],
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] in self._excluded:
            await self._app(scope, receive, send)
            return
        if self._ratio is None and not self._off:
            await self._recorded(scope, receive, send)
            return
        parent = propagate.extract(scope, getter=asgi_getter)
        caller = trace.get_current_span(parent).get_span_context()
        if not self._off and self._sampled(caller):
            await self._recorded(scope, receive, send)
            return
        carried = trace.NonRecordingSpan(
            trace.SpanContext(
                trace_id=caller.trace_id if caller.is_valid else self._ids.generate_trace_id(),
                span_id=self._ids.generate_span_id(),
                is_remote=False,
                trace_flags=trace.TraceFlags(trace.TraceFlags.DEFAULT),
                trace_state=caller.trace_state if caller.is_valid else None,
            )
        )
        token = context.attach(trace.set_span_in_context(carried, parent))
        try:
            await self._app(scope, receive, send)
        finally:
            context.detach(token)

    def _sampled(self, caller: trace.SpanContext) -> bool:
        """The caller's choice, else a new trace sampled at the ratio."""
        if caller.is_valid:
            return caller.trace_flags.sampled
        return random() < (self._ratio or 0.0)  # noqa: S311  (a sample, not a secret)


class EdgeSampled(ParentBased):
    """The sampler of a provider whose requests' new traces are sampled by `ServerSpans` at
    `ratio`: a span with a parent follows it, and a root is recorded (a request's root span is
    only made once `ServerSpans` sampled it; a root outside any request, rare, is kept)."""

    def __init__(self, ratio: float) -> None:
        super().__init__(ALWAYS_ON)
        self.ratio = ratio


def name_server_span(method: str, route: str) -> None:
    """Name the current server span after the route template that answered it."""
    span = trace.get_current_span()
    if span.is_recording():
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)


def current_trace_id() -> str:
    """The current trace id as 32 hex digits, or "" outside any trace."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else ""


def traced(prefix: str) -> Callable[[C], C]:
    """Class decorator: a span `<prefix>.<method>` around each public coroutine method.

    Used on the business layer's buses, so a trace shows each business operation between the
    request and its SQL statements.
    """

    def decorate(cls: C) -> C:
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and inspect.iscoroutinefunction(member):
                setattr(cls, name, _in_span(f"{prefix}.{name}", member))
        return cls

    return decorate


def _in_span(
    name: str, func: Callable[P, Coroutine[Any, Any, R]]
) -> Callable[P, Coroutine[Any, Any, R]]:
    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        # Inside a request that is not recorded (tracing off, or sampled out), no span of it
        # would be: the service's samplers make a child follow its parent. Making one anyway
        # costs about a tenth of a cheap request's CPU, so skip it. With no trace at all (a
        # job outside any request), the span is made: it may be a trace's root.
        parent = trace.get_current_span()
        if parent.get_span_context().is_valid and not parent.is_recording():
            return await func(*args, **kwargs)
        with _tracer.start_as_current_span(name):
            return await func(*args, **kwargs)

    return wrapper


def _without_query(span: trace.Span, scope: Mapping[str, Any]) -> None:
    """Keep query values out of the span, as out of the logs: a filter may hold an email."""
    if not (span.is_recording() and scope.get("query_string")):
        return
    recorded: Mapping[str, Any] = getattr(span, "attributes", None) or {}
    for key in ("http.url", "http.target", "url.full"):  # old and new HTTP conventions
        value = recorded.get(key)
        if isinstance(value, str):
            span.set_attribute(key, value.split("?", 1)[0])
    if "url.query" in recorded:
        span.set_attribute("url.query", "")


def _method_only(scope: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    return str(scope.get("method", "HTTP")), {}


def _variables(environ: Mapping[str, str], *names: str) -> list[tuple[str, str]]:
    return [(environ.get(name, ""), name) for name in names]


def _first(*candidates: tuple[str, str]) -> tuple[str, str]:
    """The first non-empty value, with where it came from."""
    for value, source in candidates:
        if value.strip():
            return value.strip(), source
    return "", ""


def _sampler(tracing: Tracing) -> Sampler | None:
    if tracing.sample_ratio is None:
        return None  # the SDK's, from OTEL_TRACES_SAMPLER[_ARG] (set: else the ratio is ours)
    return EdgeSampled(tracing.sample_ratio)


def _batch_processor(tracing: Tracing) -> SpanProcessor:
    exporter: SpanExporter
    if tracing.protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter as GRPCExporter,
        )

        exporter = GRPCExporter(
            endpoint=tracing.endpoint, insecure=tracing.endpoint.startswith("http://")
        )
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter as HTTPExporter,
        )

        exporter = HTTPExporter(endpoint=_http_traces_url(tracing.endpoint))
    return BatchSpanProcessor(exporter)


def _http_traces_url(endpoint: str) -> str:
    # A base endpoint gets the signal's path, as the OTLP exporter specification says.
    return (
        endpoint
        if endpoint.rstrip("/").endswith("/v1/traces")
        else endpoint.rstrip("/") + "/v1/traces"
    )
