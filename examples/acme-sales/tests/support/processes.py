"""Running a service as a real process and waiting for it."""

import socket
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
