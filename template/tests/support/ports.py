"""Local ports for tests."""

import os
import socket

# Every port handed out in this process: none is handed out twice.
_handed_out: set[int] = set()


def unused_port() -> int:
    """A local port nothing listens on (the OS picks a free one, then we let it go).

    Between letting it go and a service binding it, another process could be given the same
    port. Never this one again (no port is handed out twice in a session), and never another
    pytest-xdist worker: each worker takes its own share of the ports (the OS hands out ports of
    one parity, so the share goes by port // 2), so two workers never race for one.
    """
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    held: list[socket.socket] = []  # refused ports stay bound, so the OS offers others
    try:
        while True:
            sock = socket.socket()
            held.append(sock)
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
            if (port // 2) % workers == worker and port not in _handed_out:
                _handed_out.add(port)
                return port
    finally:
        for sock in held:
            sock.close()
