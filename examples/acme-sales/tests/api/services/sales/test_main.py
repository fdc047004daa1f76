"""The sales service as a real process: its command line, and a graceful shutdown under load."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from acme_sales.foundation import sqldb
from acme_sales.foundation.config import to_environ
from tests.support.ports import unused_port
from tests.support.processes import stop, wait_until_answering

PROJECT_ROOT = Path(__file__).resolve().parents[4]
# Room for a loaded machine: after their requests, workers close pools, the listener and the
# exporter before they exit, and a worker still busy with that at the timeout is killed (seen
# in CI with 4 s, and once with 10 s while the contract test's schemathesis run shared the two
# cores, the requests already answered).
SHUTDOWN_TIMEOUT = 20.0
KILLED = "after it refused to gracefully stop"  # granian's warning as it kills a worker


def run_sales(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "acme_sales.api.services.sales", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_every_setting_and_exits_0() -> None:
    done = run_sales("--help")
    assert done.returncode == 0
    for expected in ["--web-api-port", "SALES_WEB_API_PORT", "--db-password", "SALES_DB_HOST"]:
        assert expected in done.stdout


def test_version_exits_0() -> None:
    done = run_sales("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("sales ")


def test_bad_settings_exit_2_naming_each_problem() -> None:
    env = {**os.environ, "SALES_WEB_API_PORT": "http", "SALES_DB_TLS": "maybe"}
    done = run_sales("--web-shutdown-timeout", "forever", env=env)
    assert done.returncode == 2
    assert "SALES_WEB_API_PORT='http': must be an integer" in done.stderr
    assert "--web-shutdown-timeout='forever': must be a duration" in done.stderr
    assert "SALES_DB_TLS='maybe': must be a boolean" in done.stderr


@dataclass
class RunningService:
    process: "subprocess.Popen[bytes]"
    api_url: str
    debug_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()


@pytest.fixture
def service(db_config: sqldb.DBConfig, tmp_path: Path) -> Iterator[RunningService]:
    """The real supervisor and two workers serving the sales app (plus /test/slow)."""
    api_port, debug_port = unused_port(), unused_port()
    env = {**os.environ, **to_environ(db_config, prefix="SALES_DB"), "SALES_BUILD": "shutdown-test"}
    log_path = tmp_path / "service.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "tests.support.slow_sales",
                "--web-api-host", "127.0.0.1", "--web-api-port", str(api_port),
                "--web-debug-host", "127.0.0.1", "--web-debug-port", str(debug_port),
                "--web-workers", "2",
                "--web-shutdown-timeout", f"{SHUTDOWN_TIMEOUT:g}s",
                "--web-drain-period", "0s",  # these tests watch the stop itself
                "--web-request-deadline", "0s",  # a request outlives the stop, not its deadline
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the teardown stops the workers too
        )  # fmt: skip
    running = RunningService(
        process, f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{debug_port}", log_path
    )
    try:
        wait_until_answering(f"{running.api_url}/v1/liveness")
        yield running
    finally:
        stop(process)  # the supervisor and any worker it left


def test_api_and_debug_listener_answer_the_checks(service: RunningService) -> None:
    for base in (service.api_url, service.debug_url):
        live = wait_until_answering(f"{base}/v1/liveness")
        assert live.status_code == 200
        assert live.json()["build"] == "shutdown-test"
        ready = httpx.get(f"{base}/v1/readiness", timeout=5)
        assert (ready.status_code, ready.json()) == (200, {"status": "ok"})


def test_startup_logs_the_config_with_secrets_masked(service: RunningService) -> None:
    log = service.log()
    assert '"event":"config"' in log
    assert '"password":"******"' in log
    assert '"service":"sales"' in log


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
async def test_stop_signal_lets_in_flight_requests_finish_then_exits_0(
    service: RunningService, stop_signal: signal.Signals
) -> None:
    async with httpx.AsyncClient(base_url=service.api_url, timeout=30) as client:
        in_flight = [
            asyncio.create_task(client.get("/test/slow", params={"seconds": "2"})) for _ in range(8)
        ]
        await asyncio.sleep(0.5)  # every request has reached a worker and is sleeping there
        service.process.send_signal(stop_signal)
        responses = await asyncio.gather(*in_flight)

    assert [(r.status_code, r.text) for r in responses] == [(200, "finished")] * 8
    exit_code = await asyncio.to_thread(service.process.wait, SHUTDOWN_TIMEOUT + 5)
    assert exit_code == 0
    # The workers stopped by themselves once their requests were done: none had to be killed
    # when the shutdown timeout ran out (a wall-clock bound would fail on a busy machine).
    assert KILLED not in service.log()
    assert '"event":"shutdown complete"' in service.log()
    async with httpx.AsyncClient(base_url=service.api_url, timeout=1) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("/v1/liveness")


async def test_request_outliving_the_shutdown_timeout_does_not_hold_the_exit(
    service: RunningService,
) -> None:
    async with httpx.AsyncClient(base_url=service.api_url, timeout=60) as client:
        stuck = asyncio.create_task(client.get("/test/slow", params={"seconds": "60"}))
        await asyncio.sleep(0.5)
        service.process.send_signal(signal.SIGTERM)
        signalled_at = time.monotonic()
        exit_code = await asyncio.to_thread(service.process.wait, SHUTDOWN_TIMEOUT + 10)
        waited = time.monotonic() - signalled_at
        with pytest.raises(httpx.TransportError):
            await stuck
    assert exit_code == 0
    assert waited > SHUTDOWN_TIMEOUT - 1  # not before the timeout (slowness only adds to it)
    assert KILLED in service.log()
