"""Load shedding and the drain, measured: the sales service under more load than it can take.

    uv run python bench/bench_shed.py [--seconds 10] [--connections 256] [--bounds 0,100]

Needs wrk (Debian: apt-get install wrk) and a Postgres (TEST_DATABASE_URL, else the local one as
user postgres). Runs the sales service with auth that costs nothing (bench/no_auth.py), one
worker, on a database of its own, and measures two things:

- **shedding**: wrk at `--connections` on `GET /v1/users?page=1&rows=10`, once per in-flight
  bound (`SALES_WEB_MAX_IN_FLIGHT`; 0 is no bound), alternated run by run. wrk's latencies mix
  the quick 503s in, so a client of its own beside wrk sends one request at a time and times
  the accepted (200) ones: the latency a caller who got in saw. With no bound, every request
  queues behind all the others; with one, the excess is refused at once and the accepted
  latency stays bounded.
- **drain**: clients that follow readiness as a load balancer does (no new request once
  `/v1/readiness` says 503) keep sending while the service gets SIGTERM; every request must
  succeed, and the service exit 0.
"""

import argparse
import asyncio
import os
import signal
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import harness
import httpx
from harness import Ports

from acme_sales.foundation import sqldb

ROUTE = "/v1/users?page=1&rows=10"
SALES = Ports(api=3940, debug=3950)
TOKEN = "unchecked"  # bench/no_auth.py lets every caller through
DRAIN_SECONDS = 3
READINESS_EVERY = 0.5  # seconds between the drain clients' readiness checks


@dataclass(frozen=True)
class Shedding:
    bound: int
    requests_per_second: float
    accepted_per_second: float  # answered 2xx
    non_2xx: int
    socket_errors: int
    shed: int
    accepted_p50_ms: float
    accepted_p99_ms: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--bounds", default="0,100", help="in-flight bounds to compare")
    parser.add_argument("--runs", type=int, default=1, help="runs of each bound")
    args = parser.parse_args()
    bounds = [int(bound) for bound in args.bounds.split(",")]
    harness.exit_on_sigterm()
    with ExitStack() as stack:
        db = stack.enter_context(harness.database(harness.server_url()))
        results: list[Shedding] = []
        for run in range(args.runs):
            for bound in bounds:
                with sales(db, {"SALES_WEB_MAX_IN_FLIGHT": str(bound)}):
                    results.append(shedding(bound, args))
                print(f"run {run + 1}/{args.runs}: {results[-1]}", flush=True)
        report(results, args)
        env = {"SALES_WEB_DRAIN_PERIOD": f"{DRAIN_SECONDS}s"}
        with sales(db, env) as group:
            print(asyncio.run(drain(group)))


@contextmanager
def sales(db: sqldb.DBConfig, settings: dict[str, str]) -> Iterator[int]:
    env = {**os.environ, **harness.service_env("SALES", db, SALES), **settings}
    command = harness.service_command("sales", "bench.no_auth:sales_app")
    with harness.start(command, env, SALES) as group:
        yield group


def shedding(bound: int, args: argparse.Namespace) -> Shedding:
    url = f"{SALES.url}{ROUTE}"
    harness.wrk(url, token=TOKEN, connections=32, seconds=2)  # warm up
    shed_before = shed_total()
    with accepted_latencies() as latencies:
        load = harness.wrk(url, token=TOKEN, connections=args.connections, seconds=args.seconds)
    accepted = sorted(latencies)
    return Shedding(
        bound=bound,
        requests_per_second=load.requests_per_second,
        accepted_per_second=(load.requests - load.non_2xx) / args.seconds,
        non_2xx=load.non_2xx,
        socket_errors=load.socket_errors,
        shed=int(shed_total() - shed_before),
        accepted_p50_ms=statistics.median(accepted) if accepted else float("nan"),
        accepted_p99_ms=accepted[int(len(accepted) * 0.99)] if accepted else float("nan"),
    )


@contextmanager
def accepted_latencies() -> Iterator[list[float]]:
    """One request at a time beside the load until the block ends: the 200s' latencies, in ms."""
    latencies: list[float] = []
    done = threading.Event()

    def send() -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as client:
            while not done.is_set():
                started = time.perf_counter()
                try:
                    response = client.get(f"{SALES.url}{ROUTE}")
                except httpx.TransportError:
                    continue
                if response.status_code == 200:
                    latencies.append((time.perf_counter() - started) * 1000)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        yield latencies
    finally:
        done.set()
        sender.join()


def shed_total() -> float:
    text = httpx.get(f"http://127.0.0.1:{SALES.debug}/metrics", timeout=10).text
    lines = [line for line in text.splitlines() if line.startswith("http_requests_shed_total ")]
    return float(lines[0].split()[1]) if lines else 0.0


def report(results: list[Shedding], args: argparse.Namespace) -> None:
    print(
        f"\nGET {ROUTE}, wrk -t2 -c{args.connections} -d{args.seconds}s, one worker; "
        "accepted latency from a client sending one request at a time beside wrk"
    )
    header = ("bound", "req/s", "2xx/s", "non-2xx", "shed", "sock err", "acc p50 ms", "acc p99 ms")
    print("{:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>11} {:>11}".format(*header))
    for r in results:
        print(
            f"{r.bound or 'none':>6} {r.requests_per_second:>8,.0f} "
            f"{r.accepted_per_second:>8,.0f} {r.non_2xx:>8,} "
            f"{r.shed:>8,} {r.socket_errors:>8,} {r.accepted_p50_ms:>11.1f} "
            f"{r.accepted_p99_ms:>11.1f}"
        )


async def drain(group: int, clients: int = 16) -> str:
    """Clients following readiness; SIGTERM to the supervisor alone, as Kubernetes sends it."""
    ready = asyncio.Event()
    ready.set()
    counts = {"ok": 0, "failed": 0}
    async with httpx.AsyncClient(
        base_url=SALES.url,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
        limits=httpx.Limits(max_connections=clients + 1),
    ) as client:

        async def follow_readiness() -> None:
            while ready.is_set():
                await asyncio.sleep(READINESS_EVERY)
                if (await client.get("/v1/readiness")).status_code != 200:
                    ready.clear()

        async def send() -> None:
            while ready.is_set():
                try:
                    response = await client.get(ROUTE)
                    counts["ok" if response.status_code == 200 else "failed"] += 1
                except httpx.TransportError:
                    counts["failed"] += 1

        senders = [asyncio.create_task(send()) for _ in range(clients)]
        follower = asyncio.create_task(follow_readiness())
        await asyncio.sleep(2)
        os.kill(group, signal.SIGTERM)
        signalled = time.monotonic()
        await asyncio.gather(follower, *senders)
        noticed = time.monotonic() - signalled
    _, status = await asyncio.to_thread(os.waitpid, group, 0)
    return (
        f"\ndrain ({DRAIN_SECONDS}s, readiness followed every {READINESS_EVERY}s, {clients} "
        f"clients): {counts['ok']:,} requests answered 200, {counts['failed']} failed; readiness "
        f"503 noticed {noticed:.1f}s after SIGTERM; exit code {os.waitstatus_to_exitcode(status)}"
    )


if __name__ == "__main__":
    main()
