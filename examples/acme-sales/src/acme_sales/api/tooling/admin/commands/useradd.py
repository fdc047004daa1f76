"""admin useradd NAME EMAIL [--role ROLE]... [--department NAME] [--password PASSWORD]

Without --password, the password is asked for twice at a terminal, or read as the first line of
standard input otherwise (`printf '%s\\n' "$PASSWORD" | admin useradd ...`), so it need not
appear in the process list or the shell history.
"""

import argparse
import asyncio
import getpass
import sys
from collections.abc import Callable
from typing import TypeVar

from acme_sales.api.tooling.admin.command import (
    CommandWithArguments,
    UsageError,
    connect,
)
from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.business.domain.auditbus import AuditBus
from acme_sales.business.domain.auditbus.stores.auditdb import AuditDB
from acme_sales.business.domain.userbus import NewUser, UserBus
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.business.types import Email, Name, ParseError, Password, Role
from acme_sales.foundation.logger import Logger

Raw = TypeVar("Raw")
Parsed = TypeVar("Parsed")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the user's name, e.g. 'Ann Lee'")
    parser.add_argument("email", metavar="EMAIL", help="the address the user signs in with")
    parser.add_argument(
        "--role",
        dest="roles",
        action="append",
        metavar="{" + ",".join(Role) + "}",
        help=f"a role to grant; repeat for several (default {Role.USER})",
    )
    parser.add_argument("--department", metavar="NAME", help="the user's department, if any")
    parser.add_argument(
        "--password",
        help="the password; visible to others in the process list and kept in shell history, "
        "so prefer the prompt or standard input",
    )


async def run(cfg: AdminConfig, log: Logger, args: argparse.Namespace) -> None:
    # Everything on the command line is checked before the password is asked for.
    name = _parse("NAME", Name.parse, args.name)
    email = _parse("EMAIL", Email.parse, args.email)
    roles = _parse("--role", Role.parse_many, args.roles or [Role.USER])
    department = (
        None if args.department is None else _parse("--department", Name.parse, args.department)
    )
    password = await asyncio.to_thread(_read_password, args.password)
    new_user = NewUser(
        name=name, email=email, roles=roles, department=department, password=password
    )
    async with connect(cfg) as conn:
        # Audited as a system action: the operator has no user id of their own.
        users = UserBus(UserDB(conn), audit=AuditBus(AuditDB(conn)))
        user = await users.create(new_user, actor_id=None)
    log.info(
        "user created",
        user_id=str(user.id),
        email=str(user.email),
        roles=[str(role) for role in user.roles],
    )
    print(user.id)


def _read_password(from_flag: str | None) -> Password:
    if from_flag is not None:
        return _parse("--password", Password.parse, from_flag)
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        confirm = getpass.getpass("Password again: ")
        return _parse("password", lambda raw: Password.parse_confirmed(raw, confirm), password)
    line = sys.stdin.readline()
    return _parse("password", Password.parse, line.removesuffix("\n").removesuffix("\r"))


def _parse(label: str, parse: Callable[[Raw], Parsed], raw: Raw) -> Parsed:
    try:
        return parse(raw)
    except ParseError as err:
        raise UsageError(f"{label}: {err}") from None


COMMAND = CommandWithArguments(
    name="useradd",
    help="create a user and print its id (password from a prompt or stdin)",
    add_arguments=add_arguments,
    run=run,
)
