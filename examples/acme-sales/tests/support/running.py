"""The services as real processes (supervisor, granian workers, debug listener), for tests that
need what only a real process has: several workers, signals, metrics files, exporters.

Each runs in a session of its own, so stopping it stops its workers too: no process is left.
"""

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from acme_sales.foundation import sqldb
from acme_sales.foundation.config import to_environ
from tests.support.ports import unused_port
from tests.support.processes import stop, wait_for_workers, wait_until_answering

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Process:
    process: "subprocess.Popen[bytes]"
    api_url: str
    debug_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()


@contextmanager
def running(
    module: str,
    *,
    prefix: str,
    db: sqldb.DBConfig,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    workers: int = 1,
) -> Iterator[Process]:
    """`python -m MODULE` on free ports with JSON logs in `log_path`, until the block ends."""
    api_port, debug_port = unused_port(), unused_port()
    settings = {
        **to_environ(db, prefix=f"{prefix}_DB"),
        f"{prefix}_WEB_API_HOST": "127.0.0.1",
        f"{prefix}_WEB_API_PORT": str(api_port),
        f"{prefix}_WEB_DEBUG_HOST": "127.0.0.1",
        f"{prefix}_WEB_DEBUG_PORT": str(debug_port),
        f"{prefix}_WEB_WORKERS": str(workers),
        # Stopped with a signal to the whole group: there is nothing to drain for.
        f"{prefix}_WEB_DRAIN_PERIOD": "0s",
        f"{prefix}_LOG_FORMAT": "json",
    }
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=PROJECT_ROOT,
            env={**os.environ, **settings, **(env or {})},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = Process(
        process, f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{debug_port}", log_path
    )
    try:
        wait_until_answering(f"{started.api_url}/v1/liveness")
        if workers > 1:
            wait_for_workers(f"{started.api_url}/v1/liveness", workers)
        yield started
    finally:
        stop(process)


@contextmanager
def both(
    db: sqldb.DBConfig,
    keys_folder: Path,
    folder: Path,
    *,
    env: Mapping[str, str] | None = None,
    sales_env: Mapping[str, str] | None = None,
    sales_workers: int = 1,
) -> Iterator[tuple[Process, Process]]:
    """The auth service (keys from `keys_folder`) and the sales service pointed at it, logs in
    `folder`, until the block ends: (sales, auth). `env` goes to both, `sales_env` to sales."""
    with (
        running(
            "acme_sales.api.services.auth",
            prefix="AUTH",
            db=db,
            log_path=folder / "auth.log",
            env={**(env or {}), "AUTH_AUTH_KEYS_FOLDER": str(keys_folder)},
        ) as auth,
        running(
            "acme_sales.api.services.sales",
            prefix="SALES",
            db=db,
            log_path=folder / "sales.log",
            env={**(env or {}), "SALES_AUTH_HOST": auth.api_url, **(sales_env or {})},
            workers=sales_workers,
        ) as sales,
    ):
        yield sales, auth
