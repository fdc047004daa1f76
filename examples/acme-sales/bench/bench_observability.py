"""What metrics and tracing cost: the real services under load, with and without them, in one run.

    uv run python bench/bench_observability.py [--seconds 10] [--connections 32] [--runs 3]

Needs wrk (Debian: apt-get install wrk) and a Postgres (TEST_DATABASE_URL, else the local one as
user postgres). Makes a database of its own, migrates and seeds it with the admin tool, generates
a key, adds users, then measures `GET /v1/users` (authenticate and authorize through the auth
service, then a page of users and their count) with the seeded admin's token, one worker per
service, in four configurations, alternated run by run (medians are printed):

- logs only: the services as they were before metrics and tracing (the request log line kept,
  no trace span, no request metrics around the app): the baseline;
- metrics: as shipped with no OTLP endpoint (metrics, logs, trace context; nothing recorded);
- traced 10 %: metrics, and one trace in ten recorded and exported over OTLP/HTTP to a receiver
  in this process (the standard OTEL_TRACES_SAMPLER=parentbased_traceidratio);
- traced 100 %: every trace recorded and exported.
"""

import argparse
import asyncio
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from acme_sales.foundation import sqldb
from acme_sales.foundation.config import to_environ

ROUTE = "/v1/users"
SALES_PORTS = (3900, 3910)
AUTH_PORTS = (6900, 6910)
CONFIGS = ("logs only", "metrics", "traced 10 %", "traced 100 %")
SAMPLED = {"traced 10 %": "0.1", "traced 100 %": "1.0"}
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
    server = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    with ExitStack() as stack:
        db = stack.enter_context(bench_database(server))
        keys = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        kid = admin(db, "genkey", "--folder", str(keys)).strip()
        spans, endpoint = stack.enter_context(otlp_sink())
        results: dict[str, list[Result]] = {config: [] for config in CONFIGS}
        token = ""
        for run in range(args.runs):
            for config in CONFIGS:
                with services(db, keys, config, endpoint) as (sales_url, groups):
                    if not token:
                        token = admin_token(kid)
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
    header = f"Authorization: Bearer {token}"
    wrk = ["wrk", "-t2", f"-c{args.connections}", "-H", header, "--latency"]
    subprocess.run([*wrk, "-d3s", url], check=True, capture_output=True)  # warm up
    cpu_before = sum(map(group_cpu_seconds, groups))
    out = subprocess.run(
        [*wrk, f"-d{args.seconds}s", url], check=True, capture_output=True, text=True
    ).stdout
    cpu = sum(map(group_cpu_seconds, groups)) - cpu_before
    if "Non-2xx" in out:
        sys.exit(f"errors under load:\n{out}")
    requests = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    return Result(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        p99_ms=_ms(re.search(r"99%\s+([\d.]+\w+)", out)[1]),  # type: ignore[index]
        cpu_ms_per_request=cpu * 1000 / requests,
    )


def group_cpu_seconds(group: int) -> float:
    """User and system CPU time of every live process in a process group (a service)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


@contextmanager
def services(
    db: sqldb.DBConfig, keys: Path, config: str, endpoint: str
) -> Iterator[tuple[str, list[int]]]:
    """Both services started; yields the sales URL and the two process groups."""
    env = dict(os.environ)
    if config in SAMPLED:
        env |= {
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
            "OTEL_TRACES_SAMPLER_ARG": SAMPLED[config],
        }
    auth_url = f"http://127.0.0.1:{AUTH_PORTS[0]}"
    auth_env = {**env, **service_env("AUTH", db, AUTH_PORTS), "AUTH_AUTH_KEYS_FOLDER": str(keys)}
    sales_env = {**env, **service_env("SALES", db, SALES_PORTS), "SALES_AUTH_HOST": auth_url}
    logs_only = config == "logs only"
    with (
        start(service_command("auth", logs_only), auth_env, auth_url) as auth_group,
        start(
            service_command("sales", logs_only), sales_env, f"http://127.0.0.1:{SALES_PORTS[0]}"
        ) as sales_group,
    ):
        yield f"http://127.0.0.1:{SALES_PORTS[0]}", [sales_group, auth_group]


def service_command(service: str, logs_only: bool) -> list[str]:
    if not logs_only:
        return [sys.executable, "-m", f"acme_sales.api.services.{service}"]
    run = (
        f"from acme_sales.api.services.{service} import main; "
        f"raise SystemExit(main.main(app_factory='{LOGS_ONLY}:{service}_app'))"
    )
    return [sys.executable, "-c", run]


def service_env(prefix: str, db: sqldb.DBConfig, ports: tuple[int, int]) -> dict[str, str]:
    return {
        **to_environ(db, prefix=f"{prefix}_DB"),
        f"{prefix}_WEB_API_HOST": "127.0.0.1",
        f"{prefix}_WEB_API_PORT": str(ports[0]),
        f"{prefix}_WEB_DEBUG_HOST": "127.0.0.1",
        f"{prefix}_WEB_DEBUG_PORT": str(ports[1]),
        f"{prefix}_WEB_WORKERS": "1",
        f"{prefix}_LOG_FORMAT": "json",
    }


@contextmanager
def start(command: list[str], env: Mapping[str, str], url: str) -> Iterator[int]:
    """A service in a process group of its own, once it is ready; yields the group."""
    process = subprocess.Popen(
        command,
        env=dict(env),
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        give_up_at = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/v1/readiness", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > give_up_at:
                    sys.exit(f"{command} did not start")
                time.sleep(0.2)
        yield process.pid
    finally:
        os.killpg(process.pid, 15)
        process.wait(30)


def admin_token(kid: str) -> str:
    response = httpx.get(
        f"http://127.0.0.1:{AUTH_PORTS[0]}/v1/auth/token/{kid}",
        auth=("admin@example.com", "gophers"),
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["token"])


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


@contextmanager
def bench_database(server: str) -> Iterator[sqldb.DBConfig]:
    name = f"bench_{secrets.token_hex(4)}"
    asyncio.run(_on_server(server, f"CREATE DATABASE {name}"))
    base = sqldb.DBConfig()
    db = _config_for(server, name, base)
    try:
        admin(db, "migrate-seed")
        yield db
    finally:
        asyncio.run(_on_server(server, f"DROP DATABASE {name} WITH (FORCE)"))


def admin(db: sqldb.DBConfig, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "acme_sales.api.tooling.admin", *args],
        env={**os.environ, **to_environ(db, prefix="SALES_DB")},
        check=True,
        capture_output=True,
        text=True,
    ).stdout


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


async def _on_server(server: str, statement: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _config_for(server: str, name: str, base: sqldb.DBConfig) -> sqldb.DBConfig:
    from urllib.parse import urlsplit  # noqa: PLC0415

    url = urlsplit(server)
    return sqldb.DBConfig(
        host=url.hostname or base.host,
        port=url.port or base.port,
        user=url.username or base.user,
        password=url.password or base.password,
        name=name,
    )


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


if __name__ == "__main__":
    main()
