"""The admin tool's entry point: `admin COMMAND [flags]`; `admin COMMAND --help` lists the flags."""

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

import asyncpg

from acme_sales.api.tooling.admin import config
from acme_sales.api.tooling.admin.command import Command
from acme_sales.api.tooling.admin.commands import migrate, migrate_seed, seed
from acme_sales.business.sdk.migrate import MigrationError
from acme_sales.foundation import logger, sqldb
from acme_sales.foundation.config import ConfigError

COMMANDS = {
    command.name: command for command in (migrate.COMMAND, seed.COMMAND, migrate_seed.COMMAND)
}

# Failures an operator can act on from their message alone; anything else keeps its traceback.
_EXPECTED = (sqldb.DBError, MigrationError, asyncpg.PostgresError, OSError)


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    command, flags = _choose_command(args)
    try:
        cfg = config.load(flags, os.environ, description=command.help)
    except ConfigError as err:
        print(f"{config.TOOL} {command.name}: {err}", file=sys.stderr)
        return 2
    # Logs go to stderr so that commands which print results keep stdout for them.
    logger.configure(
        service=config.TOOL, level=cfg.log.level, fmt=cfg.log.format, stream=sys.stderr
    )
    log = logger.get_logger(command=command.name)
    try:
        asyncio.run(command.run(cfg, log))
    except _EXPECTED as err:
        print(f"{config.TOOL} {command.name}: {err}", file=sys.stderr)
        return 1
    return 0


def _choose_command(args: list[str]) -> tuple[Command, list[str]]:
    """The command named first, and the flags that follow it (left for the config to parse)."""
    parser = argparse.ArgumentParser(
        prog=config.TOOL,
        description="Operator chores on the database: migrations and seed data.",
        epilog=f"Run '{config.TOOL} COMMAND --help' for a command's flags.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS.values():
        # The command's own --help is answered by the config parser, which knows every flag.
        commands.add_parser(command.name, help=command.help, add_help=False)
    chosen, flags = parser.parse_known_args(args)
    return COMMANDS[chosen.command], flags
