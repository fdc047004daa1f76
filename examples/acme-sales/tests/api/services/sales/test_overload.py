"""Overload and stopping, on the real service: the in-flight bound, the request deadline, a client
that leaves, and the drain after a stop signal.

Each test waits for states (a request in flight, readiness turned 503, a log line), never for
a time: a busy machine makes everything slower, not differently ordered. The waits' timeouts
only bound how long a failure takes to show.
"""

import asyncio
import dataclasses
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import msgspec
import pytest
from prometheus_client.parser import text_string_to_metric_families

from acme_sales.app.sdk import errs
from acme_sales.foundation import sqldb
from tests.support import running
from tests.support.slow_sales import CANCELLED, SLOW_PATH

WAIT = 30.0  # seconds a wait may take before the test fails


def metric(service: running.Process, name: str, **labels: str) -> float:
    text = httpx.get(f"{service.debug_url}/metrics", timeout=5).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
        and all(sample.labels.get(key) == value for key, value in labels.items())
    )


async def wait_for(what: str, condition: Callable[[], bool]) -> None:
    give_up_at = time.monotonic() + WAIT
    while not await asyncio.to_thread(condition):
        if time.monotonic() > give_up_at:
            pytest.fail(f"still waiting for {what}")
        await asyncio.sleep(0.05)


@contextmanager
def slow_sales(
    db_config: sqldb.DBConfig, tmp_path: Path, workers: int = 1, **web: str
) -> Iterator[running.Process]:
    """The sales service plus /test/slow, with `web` settings (`max_in_flight="2"`, ...)."""
    env = {f"SALES_WEB_{key.upper()}": value for key, value in web.items()}
    with running.running(
        "tests.support.slow_sales",
        prefix="SALES",
        db=db_config,
        log_path=tmp_path / "sales.log",
        env=env,
        workers=workers,
    ) as service:
        yield service


def readiness(base: str) -> int:
    return httpx.get(f"{base}/v1/readiness", timeout=5).status_code


def error_body(response: httpx.Response) -> errs.ErrorResponse:
    return msgspec.json.decode(response.content, type=errs.ErrorResponse)


async def test_requests_beyond_the_bound_are_refused_at_once_but_probes_never_are(
    db_config: sqldb.DBConfig, tmp_path: Path
) -> None:
    with slow_sales(db_config, tmp_path, max_in_flight="2") as service:
        async with httpx.AsyncClient(base_url=service.api_url, timeout=WAIT) as client:
            held = [
                asyncio.create_task(client.get(SLOW_PATH, params={"seconds": "60"}))
                for _ in range(2)
            ]
            await wait_for(
                "two requests in flight",
                lambda: metric(service, "http_requests_in_flight") == 2,
            )

            refused = await client.get(SLOW_PATH, params={"seconds": "60"})
            live = await client.get("/v1/liveness")
            ready = await client.get("/v1/readiness")

            for task in held:  # the client leaves: the service stops their work
                task.cancel()
            await asyncio.gather(*held, return_exceptions=True)

        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        assert error_body(refused).code == errs.ErrCode.UNAVAILABLE
        assert (live.status_code, ready.status_code) == (200, 200)
        assert metric(service, "http_requests_shed_total") == 1
        assert '"event":"shedding load"' in service.log()


async def test_readiness_stays_200_while_every_connection_of_the_pool_is_busy(
    db_config: sqldb.DBConfig, tmp_path: Path
) -> None:
    """A busy worker is not a broken one: both ports check Postgres on a connection of their own."""
    with running.running(
        "tests.support.slow_sales",
        prefix="SALES",
        db=dataclasses.replace(db_config, pool_min_size=1, pool_max_size=1),
        log_path=tmp_path / "sales.log",
    ) as service:
        async with httpx.AsyncClient(base_url=service.api_url, timeout=WAIT) as client:
            holder = asyncio.create_task(
                client.get(SLOW_PATH, params={"seconds": "60", "hold_connection": "true"})
            )
            await wait_for(
                "the pool's one connection in use", lambda: metric(service, "db_pool_in_use") == 1
            )
            ready = [readiness(base) for base in (service.api_url, service.debug_url)]
            holder.cancel()
            await asyncio.gather(holder, return_exceptions=True)

    assert ready == [200, 200]


async def test_a_request_past_its_deadline_is_cancelled_and_answered_504(
    db_config: sqldb.DBConfig, tmp_path: Path
) -> None:
    with slow_sales(db_config, tmp_path, request_deadline="1s") as service:
        async with httpx.AsyncClient(base_url=service.api_url, timeout=WAIT) as client:
            response = await client.get(SLOW_PATH, params={"seconds": "60"})

        assert response.status_code == 504
        assert error_body(response).code == errs.ErrCode.DEADLINE_EXCEEDED
        assert CANCELLED in service.log()  # the handler's work was stopped, not left running
        assert metric(service, "http_requests_cut_total", reason="deadline") == 1


async def test_a_client_that_leaves_gets_its_work_cancelled(
    db_config: sqldb.DBConfig, tmp_path: Path
) -> None:
    with slow_sales(db_config, tmp_path) as service:
        async with httpx.AsyncClient(base_url=service.api_url, timeout=WAIT) as client:
            request = asyncio.create_task(client.get(SLOW_PATH, params={"seconds": "60"}))
            await wait_for(
                "the request in flight", lambda: metric(service, "http_requests_in_flight") == 1
            )
            request.cancel()  # closes the connection
            await asyncio.gather(request, return_exceptions=True)

        await wait_for("the handler to be cancelled", lambda: CANCELLED in service.log())
        await wait_for(
            "the cut to be counted",
            lambda: metric(service, "http_requests_cut_total", reason="client_gone") == 1,
        )
        assert metric(service, "app_panics_total") == 0  # answering nobody is no failure


async def test_a_stop_signal_drains_then_a_second_one_stops_gracefully(
    db_config: sqldb.DBConfig, tmp_path: Path
) -> None:
    # A drain far longer than the test: only the second signal can end it.
    with slow_sales(db_config, tmp_path, workers=2, drain_period="120s") as service:
        async with httpx.AsyncClient(timeout=WAIT) as client:
            service.process.send_signal(signal.SIGTERM)

            await wait_for("readiness 503", lambda: readiness(service.api_url) == 503)
            draining = {
                base: await client.get(f"{base}/v1/readiness")
                for base in (service.api_url, service.debug_url)
            }
            served = await client.get(f"{service.api_url}{SLOW_PATH}", params={"seconds": "0"})
            in_flight = asyncio.create_task(
                client.get(f"{service.api_url}{SLOW_PATH}", params={"seconds": "1"})
            )
            await wait_for(
                "the request in flight", lambda: metric(service, "http_requests_in_flight") == 1
            )
            service.process.send_signal(signal.SIGTERM)
            finished = await in_flight
            exit_code = await asyncio.to_thread(service.process.wait, WAIT)

    for response in draining.values():
        assert response.status_code == 503
        assert error_body(response) == errs.ErrorResponse(
            code=errs.ErrCode.UNAVAILABLE, message="not ready: draining before shutdown"
        )
    assert (served.status_code, served.text) == (200, "finished")
    assert (finished.status_code, finished.text) == (200, "finished")
    assert exit_code == 0
    log = service.log()
    assert log.index('"event":"draining"') < log.index('"event":"drain cut short by a second')


async def test_a_drain_ends_by_itself_then_the_service_exits_0(
    db_config: sqldb.DBConfig, tmp_path: Path
) -> None:
    with slow_sales(db_config, tmp_path, drain_period="1s") as service:
        service.process.send_signal(signal.SIGTERM)
        exit_code = await asyncio.to_thread(service.process.wait, WAIT)

    assert exit_code == 0
    log = service.log()
    assert log.index('"event":"draining"') < log.index('"event":"shutdown complete"')
    assert "drain cut short" not in log
