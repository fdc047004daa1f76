"""Postgres notifications (LISTEN/NOTIFY) on a connection of their own, kept up for good.

A NOTIFY sent inside a transaction is delivered only when it commits, to every session listening
on its channel: every worker of every replica hears of a change as soon as it is visible. While
the connection is down nothing is heard, so each time it (re)connects the listener calls
`on_connect`, for the caller to drop whatever the missed notifications would have invalidated.
Only state changes are logged (connected, lost, failing), never one line per retry.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import asyncpg

from acme_sales.foundation.logger import Logger
from acme_sales.foundation.sqldb.config import DBConfig
from acme_sales.foundation.sqldb.pool import dsn

_UNREACHABLE = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class Listener:
    """Calls `on_notify(payload)` for each notification on `channel`, from start to stop."""

    def __init__(
        self,
        cfg: DBConfig,
        channel: str,
        *,
        on_notify: Callable[[str], None],
        on_connect: Callable[[], None],
        log: Logger,
        retry_after: float = 1.0,
        check_every: float = 10.0,
    ) -> None:
        """`check_every` seconds without news, the connection is checked with a query: a peer
        gone without a word (a dropped network path) is noticed then, not never."""
        self._cfg = cfg
        self._channel = channel
        self._on_notify = on_notify
        self._on_connect = on_connect
        self._log = log.bind(component="listener", channel=channel)
        self._retry_after = retry_after
        self._check_every = check_every
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start listening in the background (returns at once; connecting may take a while)."""
        self._task = asyncio.create_task(self._run(), name=f"listen {self._channel}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        failing = False
        while True:
            try:
                await self._listen_until_lost()
                self._log.warning("listener connection lost, reconnecting")
                failing = False
            except _UNREACHABLE as err:
                if not failing:
                    self._log.warning("listener cannot connect, retrying", error=str(err))
                    failing = True
            await asyncio.sleep(self._retry_after)

    async def _listen_until_lost(self) -> None:
        lost = asyncio.Event()
        conn = await asyncpg.connect(
            dsn(self._cfg),
            password=self._cfg.password,
            timeout=self._cfg.connect_timeout.total_seconds(),
            server_settings={"application_name": f"listen {self._channel}"},
        )
        try:
            conn.add_termination_listener(lambda _: lost.set())
            await conn.add_listener(self._channel, self._notified)
            # Anything missed while not listening is unknown: the caller starts afresh.
            self._on_connect()
            self._log.info("listening")
            while not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), self._check_every)
                if not lost.is_set():
                    try:
                        await conn.execute("SELECT 1", timeout=self._check_every)
                    except _UNREACHABLE:
                        lost.set()
        finally:
            if not conn.is_closed():
                await conn.close(timeout=1.0)

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: object) -> None:
        self._on_notify(str(payload))
