"""The auth service's settings: `AUTH_*` environment variables or the matching flags."""

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

SERVICE = "auth"
PREFIX = "AUTH"

# Defaults the admin tool's genkey and gentoken share, so that what they make works here as is.
DEFAULT_KEYS_FOLDER = "deploy/keys"
DEFAULT_ISSUER = "acme-sales"
DEFAULT_TTL = timedelta(hours=1)


@dataclass(frozen=True)
class AuthWebConfig(WebConfig):
    api_port: int = setting(6000, help="port the API listens on")
    debug_port: int = setting(6010, help="port of the debug listener (checks, /metrics)")


@dataclass(frozen=True)
class TokenConfig:
    keys_folder: str = setting(
        DEFAULT_KEYS_FOLDER,
        help="folder of PEM private keys; each file's name (without .pem) is its kid",
    )
    issuer: str = setting(DEFAULT_ISSUER, help="issuer written into and required of tokens")
    ttl: timedelta = setting(DEFAULT_TTL, help="how long a new token stays valid")


@dataclass(frozen=True)
class AuthConfig:
    build: str = setting("develop", help="build reference (git sha or tag) the image was made from")
    web: AuthWebConfig = group(AuthWebConfig, help="HTTP listeners and shutdown")
    log: LogConfig = group(LogConfig, help="logging")
    db: DBConfig = group(DBConfig, help="Postgres")
    auth: TokenConfig = group(TokenConfig, help="keys and tokens")
    trace: TraceConfig = group(TraceConfig, help="tracing (OpenTelemetry)")


def load(argv: Sequence[str], environ: Mapping[str, str]) -> AuthConfig:
    return config.load(
        AuthConfig,
        prefix=PREFIX,
        argv=argv,
        environ=environ,
        description="The auth service: tokens, authentication and authorization rules.",
        version=f"{SERVICE} {__version__}",
        also_reads=ENV_HELP,
    )
