"""admin users [--page N] [--rows N]: one page of users, one JSON object per line.

Password hashes are left out: the output is meant to be read and shared.
"""

import argparse
import json
from typing import Any

from acme_sales.api.tooling.admin.command import (
    CommandWithArguments,
    UsageError,
    connect,
)
from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.business.domain.userbus import User, UserBus, UserFilter, order
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.business.sdk.page import DEFAULT_NUMBER, DEFAULT_ROWS, MAX_ROWS, Page
from acme_sales.business.types import ParseError
from acme_sales.foundation.logger import Logger


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--page", metavar="N", help=f"page number, from 1 (default {DEFAULT_NUMBER})"
    )
    parser.add_argument(
        "--rows", metavar="N", help=f"users per page, 1 to {MAX_ROWS} (default {DEFAULT_ROWS})"
    )


async def run(cfg: AdminConfig, log: Logger, args: argparse.Namespace) -> None:
    try:
        page = Page.parse(args.page, args.rows)
    except ParseError as err:
        raise UsageError(str(err)) from None  # the message names page or rows itself
    async with connect(cfg) as conn:
        found = await UserBus(UserDB(conn)).query(UserFilter(), order.DEFAULT, page)
    for user in found:
        print(json.dumps(_to_json(user)))
    log.info("users listed", page=page.number, rows=page.rows, shown=len(found))


def _to_json(user: User) -> dict[str, Any]:
    # The same names as the HTTP API's user; the password hash deliberately not among them.
    return {
        "id": str(user.id),
        "name": str(user.name),
        "email": str(user.email),
        "roles": [str(role) for role in user.roles],
        "department": None if user.department is None else str(user.department),
        "enabled": user.enabled,
        "dateCreated": user.date_created.isoformat(),
        "dateUpdated": user.date_updated.isoformat(),
    }


COMMAND = CommandWithArguments(
    name="users",
    help="list users, one JSON object per line (no password hashes)",
    add_arguments=add_arguments,
    run=run,
)
