"""The admin tool's settings: the same `SALES_*` variables as the sales service, or flags."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from acme_sales import __version__
from acme_sales.foundation import config
from acme_sales.foundation.config import group, setting
from acme_sales.foundation.logger import LogFormat, LogLevel
from acme_sales.foundation.sqldb import DBConfig

TOOL = "admin"
PREFIX = "SALES"


@dataclass(frozen=True, slots=True)
class LogConfig:
    level: LogLevel = setting("INFO", help="lowest level written")
    format: LogFormat = setting("console", help="console for people, json for log pipelines")


@dataclass(frozen=True, slots=True)
class AdminConfig:
    db: DBConfig = group(DBConfig, help="Postgres")
    db_wait: timedelta = setting(
        timedelta(seconds=10), help="how long to wait for Postgres to answer before giving up"
    )
    log: LogConfig = group(LogConfig, help="logging")


def load(argv: Sequence[str], environ: Mapping[str, str], *, description: str) -> AdminConfig:
    return config.load(
        AdminConfig,
        prefix=PREFIX,
        argv=argv,
        environ=environ,
        description=description,
        version=f"{TOOL} {__version__}",
    )
