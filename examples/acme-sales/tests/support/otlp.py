"""OTLP trace receivers run by the tests: what a collector (Tempo, the OpenTelemetry Collector)
would receive from the services, decoded with opentelemetry-proto.

`HTTPReceiver` takes `http/protobuf` (POST /v1/traces), `GRPCReceiver` takes `grpc`; both keep
every span they receive, flattened into `ReceivedSpan`s.
"""

import threading
import time
from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from tests.support.ports import unused_port

KINDS = {
    Span.SPAN_KIND_INTERNAL: "internal",
    Span.SPAN_KIND_SERVER: "server",
    Span.SPAN_KIND_CLIENT: "client",
}


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    name: str
    kind: str
    trace_id: str
    span_id: str
    parent_id: str  # "" for a root span
    attributes: dict[str, Any]


@dataclass
class Spans:
    """Every span received so far, from any service; safe to read while more arrive."""

    received: list[ReceivedSpan] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, request: trace_service_pb2.ExportTraceServiceRequest) -> None:
        spans = [
            _flatten(span, _service_name(resource_spans.resource.attributes))
            for resource_spans in request.resource_spans
            for scope_spans in resource_spans.scope_spans
            for span in scope_spans.spans
        ]
        with self.lock:
            self.received.extend(spans)

    def of_trace(self, trace_id: str) -> list[ReceivedSpan]:
        with self.lock:
            return [span for span in self.received if span.trace_id == trace_id]

    def wait_for(
        self, trace_id: str, *, services: set[str], named: str | set[str], timeout: float = 20.0
    ) -> list[ReceivedSpan]:
        """The trace's spans once every service has sent some and spans with every name in
        `named` are among them (exporters send in batches: a trace arrives in pieces)."""
        wanted = {named} if isinstance(named, str) else named
        give_up_at = time.monotonic() + timeout
        while True:
            spans = self.of_trace(trace_id)
            if {span.service for span in spans} >= services and wanted <= {
                span.name for span in spans
            }:
                return spans
            if time.monotonic() > give_up_at:
                raise AssertionError(f"trace {trace_id} incomplete after {timeout:g}s: {spans}")
            time.sleep(0.1)


@contextmanager
def http_receiver() -> Iterator[tuple[str, Spans]]:
    """An OTLP/HTTP receiver on a free port: (its base endpoint, what it receives)."""
    spans = Spans()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path != "/v1/traces":
                self.send_response(404)
                self.end_headers()
                return
            spans.add(trace_service_pb2.ExportTraceServiceRequest.FromString(body))
            reply = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", unused_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", spans
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def grpc_receiver() -> Iterator[tuple[str, Spans]]:
    """An OTLP/gRPC receiver on a free port: (its endpoint, what it receives)."""
    spans = Spans()

    class TraceService(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(  # noqa: N802  (the protocol's name)
            self, request: trace_service_pb2.ExportTraceServiceRequest, context: Any
        ) -> trace_service_pb2.ExportTraceServiceResponse:
            spans.add(request)
            return trace_service_pb2.ExportTraceServiceResponse()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    # (the generated gRPC module has no annotations)
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(TraceService(), server)  # type: ignore[no-untyped-call]
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"http://127.0.0.1:{port}", spans
    finally:
        server.stop(grace=None)


def children(spans: list[ReceivedSpan], parent: ReceivedSpan) -> list[ReceivedSpan]:
    return [span for span in spans if span.parent_id == parent.span_id]


def descendants(spans: list[ReceivedSpan], ancestor: ReceivedSpan) -> list[ReceivedSpan]:
    found = children(spans, ancestor)
    return found + [span for child in found for span in descendants(spans, child)]


def _flatten(span: Span, service: str) -> ReceivedSpan:
    return ReceivedSpan(
        service=service,
        name=span.name,
        kind=KINDS.get(span.kind, str(span.kind)),
        trace_id=span.trace_id.hex(),
        span_id=span.span_id.hex(),
        parent_id=span.parent_span_id.hex(),
        attributes={item.key: _value(item.value) for item in span.attributes},
    )


def _service_name(attributes: Any) -> str:
    for item in attributes:
        if item.key == "service.name":
            return str(_value(item.value))
    return ""


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None
