"""What auth costs the sales service under load: its two modes against a no-auth ceiling.

    uv run python bench/bench_auth_modes.py [--seconds 5] [--runs 3]      (make bench)

Needs wrk (Debian: apt-get install wrk) and a Postgres (TEST_DATABASE_URL, else the local one as
user postgres). Makes a database of its own, migrates and seeds it with the admin tool, generates
a key, starts the auth service, adds rows to list, then measures

    GET /v1/products?page=1&rows=10

with one token throughout, at each of CONNECTIONS (wrk -t2), one worker per service, in three
configurations of the sales service, alternated run by run (medians are printed):

- no auth (ceiling): the same routes, guards, middleware, logging, metrics and queries, with an
  auth client that lets every caller through without work (bench/no_auth.py);
- local: as shipped (SALES_AUTH_MODE=local): tokens verified and policies decided in process;
- remote: SALES_AUTH_MODE=remote: two calls to the auth service per request.

With --profile FOLDER, it then profiles the sales worker once more at -c{first} in the ceiling
and in local mode (py-spy, bench/pyspy.py), prints where each spends its CPU per request, side by
side, and leaves the collapsed stacks in FOLDER for a flame graph.

The goal (issue 10), not a test: each mode at least 0.85 times the ceiling's req/s, a p99 at
most 1.5 times the ceiling's, at the same concurrency, and no errors at any.
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
from pathlib import Path
from typing import Any

import harness
import httpx
import pyspy
from harness import Load, Ports

from acme_sales.foundation import sqldb

ROUTE = "/v1/products"
QUERY = "?page=1&rows=10"
TOKEN_OF = "user@example.com"  # any role may list; adding a row takes the USER role
# Valid JSON values of each field: the rows added take them in turn.
SAMPLES: dict[str, list[Any]] = {
    "name": ["Anvil", "Bolt", "Crate"],
    "cost": ["0.10", "19.99", "250.00"],
    "quantity": [1, 20, 300],
}
ROWS = 20
SALES = Ports(api=3920, debug=3930)  # not bench_observability's: the two may run side by side
AUTH = Ports(api=6920, debug=6930)
CONNECTIONS = (32, 64, 256)
CEILING = "no auth (ceiling)"
CONFIGS = (CEILING, "local", "remote")
NO_AUTH = "bench.no_auth:sales_app"  # the ceiling's app factory
WARM_UP_SECONDS = 2
GOAL_RPS = 0.85  # at least this share of the ceiling's req/s
GOAL_P99 = 1.5  # at most this multiple of the ceiling's p99


@dataclass(frozen=True)
class Result:
    load: Load
    sales_cpu_ms: float  # CPU per request of the sales process group (supervisor and worker)
    auth_cpu_ms: float  # and of the auth service's


@dataclass(frozen=True)
class Row:
    """One configuration at one concurrency: medians of the runs, errors summed over them."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    sales_cpu_ms: float
    auth_cpu_ms: float

    @classmethod
    def of(cls, results: list[Result]) -> "Row":
        return cls(
            requests_per_second=statistics.median(r.load.requests_per_second for r in results),
            p50_ms=statistics.median(r.load.p50_ms for r in results),
            p99_ms=statistics.median(r.load.p99_ms for r in results),
            non_2xx=sum(r.load.non_2xx for r in results),
            socket_errors=sum(r.load.socket_errors for r in results),
            sales_cpu_ms=statistics.median(r.sales_cpu_ms for r in results),
            auth_cpu_ms=statistics.median(r.auth_cpu_ms for r in results),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs of each configuration")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FOLDER",
        help="then profile the worker (py-spy) in the ceiling and local mode; stacks to FOLDER",
    )
    args = parser.parse_args()
    harness.exit_on_sigterm()
    results: dict[tuple[str, int], list[Result]] = {
        (config, connections): [] for config in CONFIGS for connections in CONNECTIONS
    }
    with ExitStack() as stack:
        db = stack.enter_context(harness.database(harness.server_url()))
        keys = stack.enter_context(tempfile.TemporaryDirectory())
        kid = harness.admin(db, "genkey", "--folder", keys).strip()
        auth_env = {
            **os.environ,
            **harness.service_env("AUTH", db, AUTH),
            "AUTH_AUTH_KEYS_FOLDER": keys,
        }
        auth_group = stack.enter_context(
            harness.start(harness.service_command("auth"), auth_env, AUTH)
        )
        token = harness.token(AUTH.url, kid, TOKEN_OF)
        with sales("local", db):
            add_rows(token)
        for run in range(args.runs):
            for config in CONFIGS:
                with sales(config, db) as sales_group:
                    check(config, token)
                    url = f"{SALES.url}{ROUTE}{QUERY}"
                    harness.wrk(
                        url, token=token, connections=CONNECTIONS[0], seconds=WARM_UP_SECONDS
                    )
                    for connections in CONNECTIONS:
                        result = measure(
                            url,
                            token,
                            connections=connections,
                            seconds=args.seconds,
                            groups=(sales_group, auth_group),
                        )
                        results[config, connections].append(result)
                        print(
                            f"run {run + 1}/{args.runs} {config:<18} -c{connections:<4} "
                            f"{_brief(result)}",
                            flush=True,
                        )
        report({key: Row.of(runs) for key, runs in results.items()}, args)
        if args.profile:
            profiles = {
                config: profile(config, db, token, seconds=args.seconds, folder=args.profile)
                for config in (CEILING, "local")
            }
            report_profiles(profiles, args.profile)


@contextmanager
def sales(config: str, db: sqldb.DBConfig) -> Iterator[int]:
    """The sales service in `config`, started; yields its process group."""
    env = {
        **os.environ,
        **harness.service_env("SALES", db, SALES),
        "SALES_AUTH_HOST": AUTH.url,
        "SALES_AUTH_MODE": "remote" if config == "remote" else "local",
    }
    command = harness.service_command("sales", NO_AUTH if config == CEILING else None)
    with harness.start(command, env, SALES) as group:
        yield group


def add_rows(token: str) -> None:
    """ROWS rows for the route to list (none when it lists the seeded users)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=SALES.url, headers=headers, timeout=30) as client:
        for index in range(ROWS if SAMPLES else 0):
            body = {field: samples[index % len(samples)] for field, samples in SAMPLES.items()}
            response = client.post(ROUTE, json=body)
            if response.status_code >= 300:
                sys.exit(f"POST {ROUTE}: {response.status_code} {response.text}")


def check(config: str, token: str) -> None:
    """The route lists rows with the token; with a bad one, only the ceiling lets the caller in."""
    url = f"{SALES.url}{ROUTE}{QUERY}"
    answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    if answer.status_code != 200 or not answer.json().get("items"):
        sys.exit(f"{config}: GET {ROUTE} answered {answer.status_code} {answer.text[:300]}")
    forged = httpx.get(url, headers={"Authorization": "Bearer forged"}, timeout=10).status_code
    if (forged == 200) != (config == CEILING):
        sys.exit(f"{config}: GET {ROUTE} with a forged token answered {forged}")


def measure(
    url: str, token: str, *, connections: int, seconds: int, groups: tuple[int, int]
) -> Result:
    """One wrk run, and the CPU the sales and the auth service (`groups`) spent on it."""
    sales_group, auth_group = groups
    sales_before = harness.group_cpu_seconds(sales_group)
    auth_before = harness.group_cpu_seconds(auth_group)
    load = harness.wrk(url, token=token, connections=connections, seconds=seconds)
    sales_cpu = harness.group_cpu_seconds(sales_group) - sales_before
    auth_cpu = harness.group_cpu_seconds(auth_group) - auth_before
    requests = max(load.requests, 1)
    return Result(
        load=load,
        sales_cpu_ms=sales_cpu * 1000 / requests,
        auth_cpu_ms=auth_cpu * 1000 / requests,
    )


@dataclass(frozen=True)
class Profiled:
    profile: pyspy.Profile
    cpu_ms: float  # the sales service's CPU per request while profiled


def profile(config: str, db: sqldb.DBConfig, token: str, *, seconds: int, folder: Path) -> Profiled:
    """The sales worker in `config` profiled under wrk at the first concurrency (a run of its
    own: the figures above were taken with no profiler attached)."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"{SALES.url}{ROUTE}{QUERY}"
    with sales(config, db) as group:
        harness.wrk(url, token=token, connections=CONNECTIONS[0], seconds=WARM_UP_SECONDS)
        worker = pyspy.busiest_worker(group)
        cpu_before = harness.group_cpu_seconds(group)
        loads: list[Load] = []
        load = threading.Thread(
            target=lambda: loads.append(
                harness.wrk(url, token=token, connections=CONNECTIONS[0], seconds=seconds + 1)
            )
        )
        load.start()
        stacks = folder / f"{'ceiling' if config == CEILING else config}.collapsed"
        found = pyspy.record(worker, seconds=seconds, output=stacks)
        load.join()
        cpu = harness.group_cpu_seconds(group) - cpu_before
    return Profiled(profile=found, cpu_ms=cpu * 1000 / max(loads[0].requests, 1))


def report_profiles(profiles: Mapping[str, Profiled], folder: Path) -> None:
    """Each area's CPU per request (its share of the samples times the CPU per request),
    the configurations side by side, then each one's busiest functions."""
    names = list(profiles)
    print(
        f"\nWhere the sales worker's CPU goes, -c{CONNECTIONS[0]}: ms per request by area"
        f" (py-spy self time x CPU per request); stacks in {folder}/"
    )
    print(f"{'area':<22}" + "".join(f" {name:>18}" for name in names))
    shares = {name: dict(found.profile.by_area) for name, found in profiles.items()}

    def ms(name: str, area: str) -> float:
        return shares[name].get(area, 0.0) * profiles[name].cpu_ms

    areas = {area for share in shares.values() for area in share}
    for area in sorted(areas, key=lambda area: -max(ms(name, area) for name in names)):
        cells = "".join(
            f" {ms(name, area):>11.3f} ({shares[name].get(area, 0.0) * 100:>3.0f} %)"
            for name in names
        )
        print(f"{area:<22}{cells}")
    print(f"{'all (CPU ms/request)':<22}" + "".join(f" {profiles[n].cpu_ms:>18.3f}" for n in names))
    for name, found in profiles.items():
        print(f"\nbusiest functions, {name} ({found.profile.samples:,} samples, self time):")
        for function, share in found.profile.by_function:
            print(f"  {share * 100:>5.1f} %  {function}")


def _brief(result: Result) -> str:
    load = result.load
    return (
        f"{load.requests_per_second:>8,.0f} req/s  p50 {load.p50_ms:6.1f} ms  "
        f"p99 {load.p99_ms:6.1f} ms  non-2xx {load.non_2xx}  socket errors {load.socket_errors}"
    )


def report(rows: Mapping[tuple[str, int], Row], args: argparse.Namespace) -> None:
    runs = f"{args.runs} runs" if args.runs > 1 else "1 run"
    print(
        f"\nGET {ROUTE}{QUERY} as {TOKEN_OF}: wrk -t2 -d{args.seconds}s, one worker per service,"
        f"\nmedians of {runs}; errors summed over them (socket errors count wrk's"
        f"\n{harness.WRK_TIMEOUT_SECONDS} s timeouts: no answer);"
        f"\nx ceiling: req/s and p99 over the ceiling's at the same connections, goal: req/s at"
        f"\nleast {GOAL_RPS}x, p99 at most {GOAL_P99}x, no errors; CPU: ms per request, by service"
    )
    header = ("configuration", "conns", "req/s", "p50 ms", "p99 ms", "non-2xx", "sock err")
    print("{:<18} {:>5} {:>7} {:>7} {:>7} {:>7} {:>8}".format(*header), end="")
    print(
        "  {:>7} {:>5} {:>6}  {:>9} {:>4}".format("x req/s", "x p99", "goal", "CPU sales", "auth")
    )
    for config in CONFIGS:
        for connections in CONNECTIONS:
            row = rows[config, connections]
            against = "" if config == CEILING else _against(row, rows[CEILING, connections])
            print(
                f"{config:<18} {connections:>5} {row.requests_per_second:>7,.0f} "
                f"{row.p50_ms:>7.1f} {row.p99_ms:>7.1f} {row.non_2xx:>7} {row.socket_errors:>8}  "
                f"{against:<20}  {row.sales_cpu_ms:>9.2f} {row.auth_cpu_ms:>4.2f}"
            )


def _against(row: Row, ceiling: Row) -> str:
    """req/s and p99 as multiples of the ceiling's, and whether they meet the goal."""
    rps = row.requests_per_second / max(ceiling.requests_per_second, 1e-9)
    p99 = row.p99_ms / max(ceiling.p99_ms, 1e-9)
    met = rps >= GOAL_RPS and p99 <= GOAL_P99 and not (row.non_2xx or row.socket_errors)
    return f"{rps:>7.2f} {p99:>5.2f} {'met' if met else 'missed':>6}"


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: what the benchmark started is stopped, its database dropped")
