"""admin gentoken USER_ID [--kid KID] [--ttl DURATION] [--folder DIR] [--issuer NAME]

Signs a token for a user as the auth service would, with the user's roles as stored now, and
prints it alone on standard output: `TOKEN=$(admin gentoken USER_ID)`. The user must exist and
be enabled. The defaults are the auth service's own, so the token verifies there as it is.
"""

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from acme_sales.api.services.auth.config import (
    DEFAULT_ISSUER,
    DEFAULT_KEYS_FOLDER,
    DEFAULT_TTL,
)
from acme_sales.api.tooling.admin.command import (
    CommandError,
    CommandWithArguments,
    UsageError,
    connect,
)
from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.business.domain.userbus import UserBus, UserNotFoundError
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.foundation.config import parse_duration
from acme_sales.foundation.keystore import KeyStore
from acme_sales.foundation.logger import Logger


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("user_id", metavar="USER_ID", help="the id of the user the token is for")
    parser.add_argument(
        "--kid", help="the id of the key to sign with (default: the folder's only key)"
    )
    parser.add_argument(
        "--ttl",
        metavar="DURATION",
        default=f"{DEFAULT_TTL.total_seconds():g}s",
        help="how long the token stays valid, such as 15m or 8h (default %(default)s)",
    )
    parser.add_argument(
        "--folder",
        default=DEFAULT_KEYS_FOLDER,
        metavar="DIR",
        help="the signing keys, the auth service's AUTH_AUTH_KEYS_FOLDER (default %(default)s)",
    )
    parser.add_argument(
        "--issuer",
        default=DEFAULT_ISSUER,
        metavar="NAME",
        help="the issuer the auth service requires, its AUTH_AUTH_ISSUER (default %(default)s)",
    )


async def run(cfg: AdminConfig, log: Logger, args: argparse.Namespace) -> None:
    # Everything that needs no database is checked before connecting to it.
    user_id = _parse_user_id(args.user_id)
    ttl = _parse_ttl(args.ttl)
    keys = KeyStore.load_folder(Path(args.folder))  # KeyStoreError names the folder or file
    kid = _choose_kid(keys, args.kid, folder=args.folder)
    tokens = TokenService(keys, issuer=args.issuer, ttl=ttl)
    async with connect(cfg) as conn:
        try:
            user = await UserBus(UserDB(conn)).query_by_id(user_id)
        except UserNotFoundError:
            raise CommandError(f"no user with id {user_id}") from None
    if not user.enabled:
        raise CommandError(f"user {user_id} is disabled: it may not sign in")
    now = datetime.now(UTC)
    token = tokens.generate(
        kid,
        user.id,
        [str(role) for role in user.roles],
        now=now,
        credentials=user.credentials_version,
    )
    log.info(
        "token generated",  # the token itself is a secret: never logged
        user_id=str(user.id),
        roles=[str(role) for role in user.roles],
        kid=kid,
        expires=(now + ttl).isoformat(timespec="seconds"),
    )
    print(token)


def _parse_user_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise UsageError(f"USER_ID: must be a user id (a UUID), not {raw!r}") from None


def _parse_ttl(raw: str) -> timedelta:
    try:
        ttl = parse_duration(raw)
    except ValueError as err:
        raise UsageError(f"--ttl: {err}") from None
    if ttl.total_seconds() < 1:
        raise UsageError("--ttl: must be at least 1s")
    return ttl


def _choose_kid(keys: KeyStore, kid: str | None, *, folder: str) -> str:
    kids = keys.kids()
    listed = ", ".join(kids)
    if kid is None:
        if len(kids) > 1:
            raise UsageError(f"{folder} holds several keys; choose one with --kid: {listed}")
        return kids[0]  # load_folder refuses a folder without keys
    if kid not in kids:
        raise UsageError(f"--kid: no key {kid!r} in {folder}; its keys: {listed}")
    return kid


COMMAND = CommandWithArguments(
    name="gentoken",
    help="sign a token for a user with a local key and print it (nothing else on stdout)",
    add_arguments=add_arguments,
    run=run,
)
