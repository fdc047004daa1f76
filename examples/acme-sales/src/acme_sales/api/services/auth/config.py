"""The auth service's settings: `AUTH_*` environment variables or the matching flags."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from acme_sales import __version__
from acme_sales.app.domain.authapp.limits import Rate, RateUnit
from acme_sales.foundation import config
from acme_sales.foundation.config import ConfigError, group, setting
from acme_sales.foundation.keyfolder import DEFAULT_RESCAN_INTERVAL
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

# Token requests one client address may make, per worker process. Each costs a bcrypt check
# (about 0.3 s of a core), so the limit keeps one address from keeping the workers busy with
# guesses, while a person or a service signing in (a few tokens an hour) never comes near it,
# nor do many users behind one NAT address. Per second, so a client that is refused waits a
# second, not minutes. "off" when a proxy in front limits already.
DEFAULT_TOKEN_RATE = "20/second"  # noqa: S105  (a rate, not a secret)

# Token requests naming one account, per worker process, whatever the address: a person signs in
# a few times an hour, and a guesser spread over many addresses gets ten tries a minute. An
# attacker can spend an account's allowance to keep its owner out for the rest of a minute; that
# is the price of slowing guesses, and a minute bounds it.
DEFAULT_ACCOUNT_TOKEN_RATE = "10/minute"  # noqa: S105  (a rate, not a secret)

_RATE = re.compile(r"^(?P<count>[1-9][0-9]*)/(?P<unit>second|minute|hour|day)$")


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
    user_cache_ttl: timedelta = setting(
        timedelta(seconds=30),
        help=(
            "how long a user's state (enabled, roles, password) is kept without news; changes"
            " arrive at once by Postgres notifications, this is the safety net"
        ),
    )
    keys_rescan_interval: timedelta = setting(
        DEFAULT_RESCAN_INTERVAL,
        help="least time between two rescans of the key folder for key files added since the "
        "start (a rescan happens when an unknown kid is asked for, or the JWKS is listed)",
    )
    token_rate: str = setting(
        DEFAULT_TOKEN_RATE,
        help="token requests allowed per client address and worker process, as N/second, "
        "N/minute, N/hour or N/day; off for no limit",
    )
    account_token_rate: str = setting(
        DEFAULT_ACCOUNT_TOKEN_RATE,
        help="token requests allowed per account named (the email) and worker process, from any "
        "address, as N/second, N/minute, N/hour or N/day; off for no limit",
    )


@dataclass(frozen=True)
class AuthConfig:
    build: str = setting("develop", help="build reference (git sha or tag) the image was made from")
    web: AuthWebConfig = group(AuthWebConfig, help="HTTP listeners and shutdown")
    log: LogConfig = group(LogConfig, help="logging")
    db: DBConfig = group(DBConfig, help="Postgres")
    auth: TokenConfig = group(TokenConfig, help="keys and tokens")
    trace: TraceConfig = group(TraceConfig, help="tracing (OpenTelemetry)")


def load(argv: Sequence[str], environ: Mapping[str, str]) -> AuthConfig:
    cfg = config.load(
        AuthConfig,
        prefix=PREFIX,
        argv=argv,
        environ=environ,
        description="The auth service: tokens, authentication and authorization rules.",
        version=f"{SERVICE} {__version__}",
        also_reads=ENV_HELP,
    )
    problems = []
    for flag, raw in (
        ("token-rate", cfg.auth.token_rate),
        ("account-token-rate", cfg.auth.account_token_rate),
    ):
        try:
            parse_rate(raw)
        except ValueError as err:
            env = f"{PREFIX}_AUTH_{flag.upper().replace('-', '_')}"
            problems.append(f"--auth-{flag} / {env}={raw!r}: {err}")
    if problems:
        raise ConfigError(problems)
    return cfg


def parse_rate(raw: str) -> Rate | None:
    """`20/second` as ("second", 20); None for `off`. ValueError saying what is expected."""
    text = raw.strip().lower().replace(" ", "")
    if text == "off":
        return None
    match = _RATE.match(text)
    if match is None:
        raise ValueError("must be N/second, N/minute, N/hour or N/day (N at least 1), or off")
    return cast("RateUnit", match["unit"]), int(match["count"])
