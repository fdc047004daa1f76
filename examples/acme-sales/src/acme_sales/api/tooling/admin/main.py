"""The admin tool's entry point: `admin COMMAND [flags]`; `admin COMMAND --help` lists the flags."""

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import asyncpg

from acme_sales.api.tooling.admin import config
from acme_sales.api.tooling.admin.command import (
    Command,
    CommandError,
    CommandWithArguments,
    UsageError,
)
from acme_sales.api.tooling.admin.commands import (
    genkey,
    gentoken,
    migrate,
    migrate_seed,
    seed,
    useradd,
    users,
)
from acme_sales.business.domain import userbus
from acme_sales.business.sdk.migrate import MigrationError
from acme_sales.foundation import logger, sqldb
from acme_sales.foundation.config import ConfigError, options
from acme_sales.foundation.keystore import KeyStoreError
from acme_sales.foundation.logger import Logger

Run = Callable[[config.AdminConfig, Logger], Coroutine[Any, Any, None]]

COMMANDS: dict[str, Command | CommandWithArguments] = {
    command.name: command
    for command in (
        migrate.COMMAND,
        seed.COMMAND,
        migrate_seed.COMMAND,
        useradd.COMMAND,
        users.COMMAND,
        genkey.COMMAND,
        gentoken.COMMAND,
    )
}

# Failures an operator can act on from their message alone; anything else keeps its traceback.
_EXPECTED = (
    CommandError,
    KeyStoreError,
    sqldb.DBError,
    MigrationError,
    asyncpg.PostgresError,
    OSError,
    userbus.DuplicateEmailError,
)

# Flags that make the config parser print and exit before anything runs.
_INFORMATIONAL = frozenset({"-h", "--help", "--version"})


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    command, rest = _choose_command(args)
    run, flags = _bind(command, rest)
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
        asyncio.run(run(cfg, log))
    except UsageError as err:
        print(f"{config.TOOL} {command.name}: {err}", file=sys.stderr)
        return 2
    except _EXPECTED as err:
        print(f"{config.TOOL} {command.name}: {err}", file=sys.stderr)
        return 1
    return 0


def _choose_command(args: list[str]) -> tuple[Command | CommandWithArguments, list[str]]:
    """The command named first, and the flags that follow it (left for the config to parse)."""
    parser = argparse.ArgumentParser(
        prog=config.TOOL,
        description="Operator chores: migrations, seed data, users, signing keys and tokens.",
        epilog=f"Run '{config.TOOL} COMMAND --help' for a command's flags.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS.values():
        # The command's own --help is answered by the config parser, which knows every flag.
        commands.add_parser(command.name, help=command.help, add_help=False)
    chosen, flags = parser.parse_known_args(args)
    return COMMANDS[chosen.command], flags


def _bind(command: Command | CommandWithArguments, args: list[str]) -> tuple[Run, list[str]]:
    """What to run, and the flags left for the shared settings."""
    if isinstance(command, Command):
        return command.run, args
    parser = argparse.ArgumentParser(prog=f"{config.TOOL} {command.name}", add_help=False)
    command.add_arguments(parser)
    if _INFORMATIONAL.intersection(args):
        # Show this command's own arguments; the config parser then shows the shared settings
        # and exits, so nothing runs.
        if "-h" in args or "--help" in args:
            parser.print_help()
            print()
        return _never_runs, args
    # The shared flags are declared here as well, so that in `--db-host HOST NAME` HOST is read
    # as the flag's value, not as NAME; they are handed on, unchanged, to the config parser.
    shared = {option.flag: f"shared__{option.dest}" for option in options(config.AdminConfig)}
    for flag, dest in shared.items():
        parser.add_argument(flag, dest=dest, help=argparse.SUPPRESS)
    arguments, unknown = parser.parse_known_args(args)
    flags = [
        f"{flag}={value}"
        for flag, dest in shared.items()
        if (value := vars(arguments).pop(dest)) is not None
    ]

    async def run(cfg: config.AdminConfig, log: Logger) -> None:
        await command.run(cfg, log, arguments)

    return run, flags + unknown


async def _never_runs(cfg: config.AdminConfig, log: Logger) -> None:
    raise AssertionError("the config parser exits after printing help or the version")
