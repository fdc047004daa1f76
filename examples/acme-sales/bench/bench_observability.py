"""What metrics and tracing cost: the real services under load, with and without them, in one run.

    uv run python bench/bench_observability.py [--seconds 10] [--connections 32] [--runs 3]

Needs wrk (Debian: apt-get install wrk) and a Postgres (TEST_DATABASE_URL, else the local one as
user postgres). Makes a database of its own, migrates and seeds it with the admin tool, generates
a key, adds users, then measures `GET /v1/users` (the token verified and the policy decided in
process, as the default local mode does, then a page of users and their count) with the seeded
admin's token, one worker per service, in four configurations, alternated run by run (medians
are printed):

- logs only: the services as they were before metrics and tracing (the request log line kept,
  no trace span, no request metrics around the app): the baseline;
- metrics: as shipped with no OTLP endpoint (metrics, logs, trace context; nothing recorded);
- traced 5 %: metrics, and one trace in twenty recorded and exported over OTLP/HTTP to a
  receiver in this process: what an endpoint alone gives (the default ratio);
- traced 100 %: every trace recorded and exported (OTEL_TRACES_SAMPLER=parentbased_always_on).
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import harness
import httpx
from harness import Ports

from acme_sales.foundation import sqldb

ROUTE = "/v1/users"
SALES = Ports(api=3900, debug=3910)
AUTH = Ports(api=6900, debug=6910)
CONFIGS = ("logs only", "metrics", "traced 5 %", "traced 100 %")
# Each traced configuration's variables beside the endpoint: the default ratio needs none.
SAMPLERS: dict[str, dict[str, str]] = {
    "traced 5 %": {},
    "traced 100 %": {"OTEL_TRACES_SAMPLER": "parentbased_always_on"},
}
LOGS_ONLY = "bench.logs_only"  # factories of the services without metrics and trace spans


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p99_ms: float
    cpu_ms_per_request: float  # both services' processes: steadier than req/s on a busy machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3, help="runs of each configuration")
    args = parser.parse_args()
    harness.exit_on_sigterm()
    with ExitStack() as stack:
        db = stack.enter_context(harness.database(harness.server_url()))
        keys = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        kid = harness.admin(db, "genkey", "--folder", str(keys)).strip()
        spans, endpoint = stack.enter_context(otlp_sink())
        results: dict[str, list[Result]] = {config: [] for config in CONFIGS}
        token = ""
        for run in range(args.runs):
            for config in CONFIGS:
                with services(db, keys, config, endpoint) as (sales_url, groups):
                    if not token:
                        token = harness.token(AUTH.url, kid, "admin@example.com")
                        add_users(sales_url, token, count=10)
                    results[config].append(measure(sales_url, token, groups, args))
                print(f"run {run + 1}/{args.runs} {config}: {results[config][-1]}", flush=True)
    report(results, spans=spans.count, args=args)


def report(results: Mapping[str, list[Result]], *, spans: int, args: argparse.Namespace) -> None:
    print(
        f"\nGET {ROUTE} with the admin's token, wrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"one worker per service, medians of {args.runs}"
    )
    base = {
        "rps": statistics.median(r.requests_per_second for r in results["logs only"]),
        "cpu": statistics.median(r.cpu_ms_per_request for r in results["logs only"]),
    }
    header = ("configuration", "req/s", "p99 ms", "change", "CPU ms/req", "change")
    print("{:<14} {:>8} {:>8} {:>8}   {:>10} {:>8}".format(*header))
    for config, runs in results.items():
        rps = statistics.median(r.requests_per_second for r in runs)
        p99 = statistics.median(r.p99_ms for r in runs)
        cpu = statistics.median(r.cpu_ms_per_request for r in runs)
        print(
            f"{config:<14} {rps:>8,.0f} {p99:>8.1f} {_change(rps, base['rps']):>8}   "
            f"{cpu:>10.2f} {_change(cpu, base['cpu']):>8}"
        )
    print(f"spans received by the OTLP sink: {spans:,}")


def _change(value: float, base: float) -> str:
    return f"{(value / base - 1) * 100:+.1f} %"


def measure(sales_url: str, token: str, groups: list[int], args: argparse.Namespace) -> Result:
    url = f"{sales_url}{ROUTE}?page=1&rows=10"
    harness.wrk(url, token=token, connections=args.connections, seconds=3)  # warm up
    cpu_before = sum(map(harness.group_cpu_seconds, groups))
    load = harness.wrk(url, token=token, connections=args.connections, seconds=args.seconds)
    cpu = sum(map(harness.group_cpu_seconds, groups)) - cpu_before
    if load.non_2xx:
        sys.exit(f"errors under load:\n{load.output}")
    return Result(
        requests_per_second=load.requests_per_second,
        p99_ms=load.p99_ms,
        cpu_ms_per_request=cpu * 1000 / load.requests,
    )


@contextmanager
def services(
    db: sqldb.DBConfig, keys: Path, config: str, endpoint: str
) -> Iterator[tuple[str, list[int]]]:
    """Both services started; yields the sales URL and the two process groups."""
    env = dict(os.environ)
    for name in ("OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG"):
        env.pop(name, None)  # the configuration says, not the caller's shell
    if config in SAMPLERS:
        env |= {
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            **SAMPLERS[config],
        }
    auth_env = {**env, **harness.service_env("AUTH", db, AUTH), "AUTH_AUTH_KEYS_FOLDER": str(keys)}
    sales_env = {**env, **harness.service_env("SALES", db, SALES), "SALES_AUTH_HOST": AUTH.url}
    logs_only = config == "logs only"
    with (
        harness.start(service_command("auth", logs_only), auth_env, AUTH) as auth_group,
        harness.start(service_command("sales", logs_only), sales_env, SALES) as sales_group,
    ):
        yield SALES.url, [sales_group, auth_group]


def service_command(service: str, logs_only: bool) -> list[str]:
    factory = f"{LOGS_ONLY}:{service}_app" if logs_only else None
    return harness.service_command(service, factory)


def add_users(sales_url: str, token: str, *, count: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for number in range(count):
        body = {
            "name": f"Bench User {chr(65 + number)}",
            "email": f"bench{number}@example.com",
            "roles": ["USER"],
            "department": "bench",
            "password": "bench-password",
            "passwordConfirm": "bench-password",
        }
        httpx.post(f"{sales_url}{ROUTE}", json=body, headers=headers, timeout=30).raise_for_status()


@dataclass
class SpanCount:
    count: int = 0


@contextmanager
def otlp_sink() -> Iterator[tuple[SpanCount, str]]:
    """An OTLP/HTTP endpoint that accepts every export (and counts the bytes as a sign of life)."""
    received = SpanCount()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.count += body.count(b"\x12\x08")  # roughly one per span id: a sign of life
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
