"""Local ports for tests."""

import socket


def unused_port() -> int:
    """A local port nothing listens on (the OS picks a free one, then we let it go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
