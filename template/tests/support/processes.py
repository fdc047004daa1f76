"""Running a service as a real process and waiting for it."""

import contextlib
import os
import signal
import subprocess
import time

import httpx


def wait_until_answering(url: str, timeout: float = 30.0) -> httpx.Response:
    """Poll `url` until it answers at all (any status), or fail after `timeout` seconds."""
    give_up_at = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=1.0)
        except httpx.TransportError:
            if time.monotonic() > give_up_at:
                raise
            time.sleep(0.1)


def wait_for_workers(url: str, workers: int, timeout: float = 30.0) -> None:
    """Poll `url` (a liveness route, which names the process that answered) on a fresh connection
    each time until `workers` different processes have answered, or fail after `timeout` seconds.

    A service answers as soon as its first worker is up; the others may still be starting, and
    cannot yet take part in what a test asks of every worker (a stack dump, for one)."""
    give_up_at = time.monotonic() + timeout
    answered: set[int] = set()
    while len(answered) < workers:
        if time.monotonic() > give_up_at:
            raise TimeoutError(f"{len(answered)} of {workers} workers answered {url}")
        answered.add(httpx.get(url, timeout=5.0).json()["pid"])
        time.sleep(0.02)


def stop(process: "subprocess.Popen[bytes]", timeout: float = 15.0) -> None:
    """Stop a process started with `start_new_session=True`, and everything it started.

    SIGTERM to the whole group first (a clean stop: exporters flush, files are removed), then
    SIGKILL for whatever lingers, such as workers of a supervisor that was killed.
    """
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout)
    with contextlib.suppress(ProcessLookupError):  # nothing left in the group
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
