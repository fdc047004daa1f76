"""The debug port of the real service with two workers: `/metrics` and `/debug/stacks`.

The request counter is summed over both workers, a panic moves the panic counter, the scrape
passes `promtool check metrics`, and a real Prometheus server scrapes it and answers queries.
A stack dump shows the supervisor and both workers, threads and asyncio tasks.
"""

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from acme_sales.foundation import sqldb
from tests.support import running
from tests.support.panicking_sales import PANIC_PATH
from tests.support.ports import unused_port
from tests.support.processes import stop, wait_until_answering

REQUESTS = 40


def needs_tool(name: str) -> str:
    """The tool's path; skip when it is missing, but fail in CI, which installs it."""
    path = shutil.which(name)
    if path is None:
        message = f"`{name}` is not installed (Debian: apt-get install prometheus)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def samples(text: str, name: str) -> list[Sample]:
    return [
        sample
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    ]


def total(text: str, name: str, **labels: str) -> float:
    return sum(
        sample.value
        for sample in samples(text, name)
        if all(sample.labels.get(key) == value for key, value in labels.items())
    )


@pytest.fixture
def service(db_config: sqldb.DBConfig, tmp_path: Path) -> Iterator[running.Process]:
    """The sales service with two workers (and one route that raises)."""
    with running.running(
        "tests.support.panicking_sales",
        prefix="SALES",
        db=db_config,
        log_path=tmp_path / "sales.log",
        workers=2,
        env={"SALES_BUILD": "metrics-test"},
    ) as process:
        yield process


def scrape(service: running.Process) -> str:
    response = httpx.get(f"{service.debug_url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def test_requests_are_summed_over_every_worker(service: running.Process) -> None:
    before = scrape(service)
    # A fresh connection per request spreads them over the workers; liveness names the one that
    # answered. Go on until both have answered some.
    answered_by: list[int] = []
    while len(answered_by) < REQUESTS or len(set(answered_by)) < 2:
        response = httpx.get(f"{service.api_url}/v1/liveness", timeout=5)
        assert response.status_code == 200
        answered_by.append(response.json()["pid"])
        assert len(answered_by) < 50 * REQUESTS, "one worker answered every request"
    text = scrape(service)

    # Every request counted once, whichever worker answered it.
    for name in ("http_requests_total", "http_request_duration_seconds_count"):
        counted = total(text, name, route="/v1/liveness") - total(
            before, name, route="/v1/liveness"
        )
        assert counted == len(answered_by), name
    assert total(text, "workers") == 2
    assert len(list(Path(metrics_dir(service)).glob("counter_*.db"))) == 2
    [info] = samples(text, "build_info")
    assert info.labels["build"] == "metrics-test"
    assert info.labels["service"] == "sales"
    assert total(text, "http_requests_in_flight") == 0
    assert total(text, "db_pool_max_size") > 0
    assert samples(text, "process_resident_memory_bytes")
    # The metrics are served on the debug port only.
    assert httpx.get(f"{service.api_url}/metrics", timeout=5).status_code == 404


def test_unmatched_routes_are_counted_without_their_path(service: running.Process) -> None:
    for path in ("/nowhere/1", "/nowhere/2", "/v1/users/not-a-uuid"):
        httpx.get(f"{service.api_url}{path}", timeout=5)
    text = scrape(service)
    assert total(text, "http_requests_total", route="unmatched", status="404") >= 2
    assert "/nowhere" not in text
    assert total(text, "app_errors_total", code="not_found") >= 2


def test_a_panic_is_counted_and_answered_500(service: running.Process) -> None:
    before = total(scrape(service), "app_panics_total")
    response = httpx.get(f"{service.api_url}{PANIC_PATH}", timeout=5)
    assert response.status_code == 500
    assert response.json() == {"code": "internal", "message": "internal server error"}
    text = scrape(service)
    assert total(text, "app_panics_total") == before + 1
    assert total(text, "http_requests_total", route=PANIC_PATH, status="500") == 1
    assert total(text, "app_errors_total", code="internal") == 1


def test_stack_dump_covers_the_supervisor_and_every_worker(service: running.Process) -> None:
    give_up_at = time.monotonic() + 30
    while True:  # a worker still starting is not asked (the signal would kill it)
        response = httpx.get(f"{service.debug_url}/debug/stacks", timeout=10)
        assert response.status_code == 200
        dump = response.text
        if dump.count("worker process ") == 2 or time.monotonic() > give_up_at:
            break
        time.sleep(0.2)
    assert dump.count("\nsupervisor process ") + dump.startswith("supervisor process ") == 1
    assert dump.count("worker process ") == 2
    assert "no answer" not in dump
    assert "thread MainThread" in dump
    assert "\ntask " in dump  # the workers' event loops have tasks running
    assert "debug-http" in dump  # the supervisor's debug listener thread


def test_promtool_accepts_the_scrape(service: running.Process) -> None:
    promtool = needs_tool("promtool")
    httpx.get(f"{service.api_url}/v1/liveness", timeout=5)
    checked = subprocess.run(
        [promtool, "check", "metrics"],
        input=scrape(service),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_prometheus_scrapes_the_debug_port(service: running.Process, tmp_path: Path) -> None:
    server = needs_tool("prometheus")
    already = total(scrape(service), "http_requests_total", route="/v1/liveness")
    for _ in range(REQUESTS):
        httpx.get(f"{service.api_url}/v1/liveness", timeout=5)
    port = unused_port()
    target = service.debug_url.removeprefix("http://")
    config = tmp_path / "prometheus.yml"
    config.write_text(
        json.dumps(  # JSON is YAML
            {
                "global": {"scrape_interval": "1s"},
                "scrape_configs": [
                    {"job_name": "sales", "static_configs": [{"targets": [target]}]}
                ],
            }
        )
    )
    with (tmp_path / "prometheus.log").open("wb") as log:
        process = subprocess.Popen(
            [
                server,
                f"--config.file={config}",
                f"--storage.tsdb.path={tmp_path / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        api = f"http://127.0.0.1:{port}/api/v1/query"
        wait_until_answering(f"http://127.0.0.1:{port}/-/ready")
        query = 'sum(http_requests_total{job="sales",route="/v1/liveness"})'
        up, requests = wait_for_query(api, 'up{job="sales"}'), wait_for_query(api, query)
    finally:
        stop(process)
    assert up == 1
    assert requests == already + REQUESTS


def wait_for_query(api: str, query: str, timeout: float = 30.0) -> float:
    """The first value the query returns, polling until a scrape has produced one."""
    give_up_at = time.monotonic() + timeout
    while True:
        result = httpx.get(api, params={"query": query}, timeout=5).json()["data"]["result"]
        if result:
            return float(result[0]["value"][1])
        if time.monotonic() > give_up_at:
            pytest.fail(f"Prometheus had no value for {query} after {timeout:g}s")
        time.sleep(0.2)


def metrics_dir(service: running.Process) -> str:
    """The metrics directory the supervisor made (it logs it at startup)."""
    for line in service.log().splitlines():
        if '"event":"metrics"' in line:
            return str(json.loads(line)["directory"])
    pytest.fail("the supervisor did not log its metrics directory")
