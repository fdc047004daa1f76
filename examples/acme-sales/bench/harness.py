"""What the load benchmarks share: a database, the admin tool, the services as processes, wrk.

The benchmarks import it as `harness` (Python puts bench/ on the path of a script run from it).
Everything they start is stopped, and the database dropped, however they end: a failure, Ctrl-C
or SIGTERM (see `exit_on_sigterm`); only SIGKILL leaves something behind.
"""

import asyncio
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

import asyncpg
import httpx

from acme_sales.foundation import sqldb
from acme_sales.foundation.config import to_environ

PROJECT = Path(__file__).resolve().parents[1]
PASSWORD = "gophers"  # the seeded users' (seed.sql)
# How long wrk waits for an answer. Its default, 2 s, counts a slow answer as a socket error and
# leaves it out of the latency figures, which then flatter the p99 just when a server is
# overloaded; with 10 s every answer a server gives under these loads is in the figures, and a
# timeout means no answer.
WRK_TIMEOUT_SECONDS = 10


def exit_on_sigterm() -> None:
    """SIGTERM (a killed `make`, a CI timeout) unwinds like Ctrl-C: everything is cleaned up."""

    def leave(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)


# ---- The database ----


def server_url() -> str:
    """The Postgres server: TEST_DATABASE_URL, else the local one as user postgres."""
    return os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def database(server: str) -> Iterator[sqldb.DBConfig]:
    """A database of its own on `server`, migrated and seeded; dropped on the way out."""
    name = f"bench_{secrets.token_hex(4)}"
    asyncio.run(_on_server(server, f"CREATE DATABASE {name}"))
    try:
        db = _config_for(server, name)
        admin(db, "migrate-seed")
        yield db
    finally:
        asyncio.run(_on_server(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def admin(db: sqldb.DBConfig, *args: str) -> str:
    """Run the admin tool against `db`; its output, or exit with its error."""
    done = subprocess.run(
        [sys.executable, "-m", "acme_sales.api.tooling.admin", *args],
        env={**os.environ, **to_environ(db, prefix="SALES_DB")},
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"admin {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


async def _on_server(server: str, statement: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _config_for(server: str, name: str) -> sqldb.DBConfig:
    base = sqldb.DBConfig()
    url = urlsplit(server)
    return sqldb.DBConfig(
        host=url.hostname or base.host,
        port=url.port or base.port,
        user=url.username or base.user,
        password=url.password or base.password,
        name=name,
    )


# ---- The services ----


@dataclass(frozen=True)
class Ports:
    api: int
    debug: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.api}"


def service_env(prefix: str, db: sqldb.DBConfig, ports: Ports) -> dict[str, str]:
    """The settings of a service (prefix SALES or AUTH): on loopback, one worker, JSON logs."""
    return {
        **to_environ(db, prefix=f"{prefix}_DB"),
        f"{prefix}_WEB_API_HOST": "127.0.0.1",
        f"{prefix}_WEB_API_PORT": str(ports.api),
        f"{prefix}_WEB_DEBUG_HOST": "127.0.0.1",
        f"{prefix}_WEB_DEBUG_PORT": str(ports.debug),
        f"{prefix}_WEB_WORKERS": "1",
        f"{prefix}_LOG_FORMAT": "json",
    }


def service_command(service: str, app_factory: str | None = None) -> list[str]:
    """The command that runs `service` (sales or auth); its workers serve `app_factory`, a
    granian factory such as "bench.logs_only:sales_app", when given (else the service's own)."""
    if app_factory is None:
        return [sys.executable, "-m", f"acme_sales.api.services.{service}"]
    run = (
        f"from acme_sales.api.services.{service} import main; "
        f"raise SystemExit(main.main(app_factory={app_factory!r}))"
    )
    return [sys.executable, "-c", run]


@contextmanager
def start(command: list[str], env: Mapping[str, str], ports: Ports) -> Iterator[int]:
    """A service in a process group of its own, once it is ready; yields the group.

    The group (the service and its workers) is stopped on the way out: SIGTERM, then SIGKILL
    for whatever is left after 30 s.
    """
    for port in (ports.api, ports.debug):
        if _listening(port):
            sys.exit(f"port {port} is taken: is an earlier benchmark's service still running?")
    process = subprocess.Popen(
        command, env=dict(env), cwd=PROJECT, stdout=subprocess.DEVNULL, start_new_session=True
    )
    try:
        give_up_at = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{ports.url}/v1/readiness", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > give_up_at:
                    sys.exit(f"{command} did not start (see its errors above)")
                time.sleep(0.2)
        yield process.pid
    finally:
        _stop_group(process)


def _stop_group(process: "subprocess.Popen[bytes]") -> None:
    _signal_group(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()
    _signal_group(process.pid, signal.SIGKILL)  # a worker that outlived its supervisor


def _signal_group(group: int, signum: signal.Signals) -> None:
    with suppress(ProcessLookupError):  # the group is gone already
        os.killpg(group, signum)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def token(auth_url: str, kid: str, email: str) -> str:
    """A token for the seeded user `email`, signed with the key `kid`."""
    response = httpx.get(f"{auth_url}/v1/auth/token/{kid}", auth=(email, PASSWORD), timeout=10)
    response.raise_for_status()
    return str(response.json()["token"])


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


# ---- wrk ----


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int  # answers that are not 2xx or 3xx
    socket_errors: int  # connect, read, write and timeout errors
    output: str  # wrk's report, as printed


def wrk(url: str, *, token: str, connections: int, seconds: float, threads: int = 2) -> Load:
    """A bounded load on `url` (GET with the token), wrk's latency distribution parsed."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        f"--timeout={WRK_TIMEOUT_SECONDS}s",
        "-H",
        f"Authorization: Bearer {token}",
        url,
    ]
    try:
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        sys.exit("wrk is not installed (Debian: apt-get install wrk; macOS: brew install wrk)")
    except subprocess.CalledProcessError as err:
        sys.exit(f"wrk failed ({err.returncode}):\n{err.stdout}{err.stderr}")
    return parse_wrk(out)


def parse_wrk(out: str) -> Load:
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Load(
        requests=int(_find(r"(\d+) requests in", out)),
        requests_per_second=float(_find(r"Requests/sec:\s+([\d.]+)", out)),
        p50_ms=_ms(_find(r"^\s*50%\s+([\d.]+\w+)", out)),
        p99_ms=_ms(_find(r"^\s*99%\s+([\d.]+\w+)", out)),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(map(int, socket_errors.groups())) if socket_errors else 0,
        output=out,
    )


def _find(pattern: str, out: str) -> str:
    found = re.search(pattern, out, re.MULTILINE)
    if found is None:
        sys.exit(f"no {pattern!r} in wrk's report:\n{out}")
    return found[1]


def _ms(value: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if found is None:
        sys.exit(f"not a wrk duration: {value!r}")
    return float(found[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[found[2]]
