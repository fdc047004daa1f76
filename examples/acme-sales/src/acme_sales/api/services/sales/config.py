"""The sales service's settings: `SALES_*` environment variables or the matching flags."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from acme_sales import __version__
from acme_sales.foundation import config
from acme_sales.foundation.config import group, setting
from acme_sales.foundation.logger import LogFormat, LogLevel
from acme_sales.foundation.sqldb import DBConfig

SERVICE = "sales"
PREFIX = "SALES"


@dataclass(frozen=True, slots=True)
class WebConfig:
    api_host: str = setting("0.0.0.0", help="address the API listens on")  # noqa: S104
    api_port: int = setting(3000, help="port the API listens on")
    debug_host: str = setting("0.0.0.0", help="address of the debug listener")  # noqa: S104
    debug_port: int = setting(3010, help="port of the debug listener (checks; metrics later)")
    workers: int = setting(0, help="API worker processes; 0 means one per usable CPU")
    shutdown_timeout: timedelta = setting(
        timedelta(seconds=20),
        help="how long in-flight requests may run after SIGTERM/SIGINT before workers are killed",
    )
    cors_allowed_origins: tuple[str, ...] = setting(
        (), help="origins allowed to call the API from a browser; empty disables CORS"
    )


@dataclass(frozen=True, slots=True)
class LogConfig:
    level: LogLevel = setting("INFO", help="lowest level written")
    format: LogFormat = setting("json", help="json for production, console for development")


@dataclass(frozen=True, slots=True)
class SalesConfig:
    build: str = setting("develop", help="build reference (git sha or tag) the image was made from")
    web: WebConfig = group(WebConfig, help="HTTP listeners and shutdown")
    log: LogConfig = group(LogConfig, help="logging")
    db: DBConfig = group(DBConfig, help="Postgres")


def load(argv: Sequence[str], environ: Mapping[str, str]) -> SalesConfig:
    return config.load(
        SalesConfig,
        prefix=PREFIX,
        argv=argv,
        environ=environ,
        description="The sales API.",
        version=f"{SERVICE} {__version__}",
    )
