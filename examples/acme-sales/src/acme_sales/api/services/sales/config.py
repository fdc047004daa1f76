"""The sales service's settings: `SALES_*` environment variables or the matching flags."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from acme_sales import __version__
from acme_sales.foundation import config
from acme_sales.foundation.config import group, setting
from acme_sales.foundation.logger import LogConfig
from acme_sales.foundation.otel import ENV_HELP, TraceConfig
from acme_sales.foundation.server import WebConfig
from acme_sales.foundation.sqldb import DBConfig

SERVICE = "sales"
PREFIX = "SALES"


@dataclass(frozen=True)
class AuthClientConfig:
    host: str = setting("http://localhost:6000", help="base URL of the auth service")
    timeout: timedelta = setting(timedelta(seconds=5), help="deadline for each auth service call")


@dataclass(frozen=True)
class SalesConfig:
    build: str = setting("develop", help="build reference (git sha or tag) the image was made from")
    web: WebConfig = group(WebConfig, help="HTTP listeners and shutdown")
    log: LogConfig = group(LogConfig, help="logging")
    db: DBConfig = group(DBConfig, help="Postgres")
    auth: AuthClientConfig = group(AuthClientConfig, help="the auth service")
    trace: TraceConfig = group(TraceConfig, help="tracing (OpenTelemetry)")


def load(argv: Sequence[str], environ: Mapping[str, str]) -> SalesConfig:
    return config.load(
        SalesConfig,
        prefix=PREFIX,
        argv=argv,
        environ=environ,
        description="The sales API.",
        version=f"{SERVICE} {__version__}",
        also_reads=ENV_HELP,
    )
