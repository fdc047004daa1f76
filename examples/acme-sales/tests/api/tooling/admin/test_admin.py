import asyncio
import os
import sys

import asyncpg
import pytest

from acme_sales.api.tooling.admin import config
from acme_sales.api.tooling.admin.main import COMMANDS, main
from acme_sales.foundation import sqldb
from acme_sales.foundation.config import to_environ
from tests.support.ports import unused_port


async def run_admin(*args: str, db: sqldb.DBConfig) -> tuple[int, str]:
    """Run `python -m ...admin ARGS` against `db`; return its exit code and stderr."""
    environ = os.environ | to_environ(config.AdminConfig(db=db), prefix=config.PREFIX)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "acme_sales.api.tooling.admin",
        *args,
        env=environ,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    assert process.returncode is not None
    return process.returncode, stderr.decode()


async def test_migrate_seed_prepares_an_empty_database(empty_db_config: sqldb.DBConfig) -> None:
    code, stderr = await run_admin("migrate-seed", db=empty_db_config)

    assert code == 0, stderr
    assert "seed data complete" in stderr
    conn = await asyncpg.connect(sqldb.dsn(empty_db_config), password=empty_db_config.password)
    try:
        emails = await conn.fetch("SELECT email FROM users ORDER BY email")
    finally:
        await conn.close()
    assert [row["email"] for row in emails] == ["admin@example.com", "user@example.com"]


async def test_unreachable_database_exits_non_zero_with_a_one_line_error(
    empty_db_config: sqldb.DBConfig,
) -> None:
    code, stderr = await run_admin(
        "migrate", "--db-port", str(unused_port()), "--db-wait", "500ms", db=empty_db_config
    )

    assert code == 1
    assert stderr.splitlines() == [stderr.strip()]
    assert stderr.startswith("admin migrate: database not ready after 0.5s")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_explains_itself_and_its_flags(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])

    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert COMMANDS[command].help in shown
    assert "--db-host" in shown
    assert "SALES_DB_HOST" in shown


def test_tool_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])

    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert all(name in shown for name in COMMANDS)


def test_bad_setting_exits_with_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "--db-port", "not-a-port"]) == 2
    assert "--db-port='not-a-port': must be an integer" in capsys.readouterr().err
