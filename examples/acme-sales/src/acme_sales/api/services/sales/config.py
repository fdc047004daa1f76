"""The sales service's settings: `SALES_*` environment variables or the matching flags."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from acme_sales import __version__
from acme_sales.api.services.auth.config import DEFAULT_ISSUER
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
    mode: Literal["local", "remote"] = setting(
        "local",
        help=(
            "local: verify tokens here with the auth service's public keys (its JWKS) and decide"
            " with the policies in process; remote: ask the auth service on every request"
        ),
    )
    host: str = setting("http://localhost:6000", help="base URL of the auth service")
    timeout: timedelta = setting(timedelta(seconds=5), help="deadline for each auth service call")
    issuer: str = setting(
        DEFAULT_ISSUER, help="issuer required of tokens (local mode; the auth service's issuer)"
    )
    user_cache_ttl: timedelta = setting(
        timedelta(seconds=30),
        help=(
            "local mode: how long a user's state (enabled, roles, password) is kept without news;"
            " changes arrive at once by Postgres notifications, this is the safety net"
        ),
    )


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
