"""Opening the connection pool."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import asyncpg

from acme_sales.foundation.logger import get_logger
from acme_sales.foundation.sqldb.config import DBConfig
from acme_sales.foundation.sqldb.spans import statement_spans

_log = get_logger(component="sqldb")

# Whatever stops the first connections (database down, still starting, refusing us), the pool
# starts empty and status_check reports the reason.
_UNREACHABLE = (OSError, TimeoutError, asyncpg.PostgresError)


def dsn(cfg: DBConfig) -> str:
    """The connection URL without the password, so it can be logged and shown in errors."""
    user = quote(cfg.user, safe="")
    name = quote(cfg.name, safe="")
    host = f"[{cfg.host}]" if ":" in cfg.host else cfg.host  # an IPv6 address needs brackets
    sslmode = "require" if cfg.tls else "disable"
    return f"postgresql://{user}@{host}:{cfg.port}/{name}?sslmode={sslmode}"


async def open_pool(
    cfg: DBConfig,
    *,
    application_name: str = "acme-sales",
    statement_timeout: timedelta | None = None,
) -> asyncpg.Pool[asyncpg.Record]:
    """A pool on the database in `cfg`; it opens even while the database is down.

    When the database answers, the pool starts with `pool_min_size` connections. When it does not,
    the pool starts empty and connects on demand, so a service can start before its database;
    `status_check` is what tells whether the database answers. With `statement_timeout`, Postgres
    cancels any statement of the pool's connections that runs longer.
    """
    settings = {"timezone": "UTC", "application_name": application_name}
    if statement_timeout:
        settings["statement_timeout"] = str(int(statement_timeout.total_seconds() * 1000))
    try:
        return await _create_pool(cfg, settings, min_size=cfg.pool_min_size)
    except _UNREACHABLE as err:
        _log.warning(
            "database not answering yet, the pool starts empty",
            dsn=dsn(cfg),
            error=str(err) or type(err).__name__,
        )
    return await _create_pool(cfg, settings, min_size=0)


async def _create_pool(
    cfg: DBConfig, settings: dict[str, str], *, min_size: int
) -> asyncpg.Pool[asyncpg.Record]:
    return await asyncpg.create_pool(
        dsn(cfg),
        password=cfg.password,
        min_size=min_size,
        max_size=cfg.pool_max_size,
        timeout=cfg.connect_timeout.total_seconds(),
        server_settings=settings,
        connection_class=statement_spans(
            host=cfg.host, port=cfg.port, database=cfg.name, user=cfg.user
        ),
    )
