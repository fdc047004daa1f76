"""Running a service as a real process and waiting for it."""

import contextlib
import os
import signal
import socket
import subprocess
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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
