"""admin useradd and admin users, run as the operator runs them: as a separate process."""

from __future__ import annotations

import json
import uuid

import asyncpg
import pytest

from acme_sales.api.tooling.admin.main import main
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.business.types import Email, Role
from acme_sales.foundation import sqldb
from tests.support import users
from tests.support.admin import run_admin


async def test_useradd_reads_the_password_from_stdin_and_prints_the_id(
    db_config: sqldb.DBConfig, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    code, stdout, stderr = await run_admin(
        "useradd 'Ann Lee' ann@Example.com --role ADMIN --role USER --department Sales",
        db=db_config,
        stdin="a-long-secret\n",
    )

    assert code == 0, stderr
    user_id = uuid.UUID(stdout.strip())
    user = await UserDB(db_pool).query_by_id(user_id)
    assert (str(user.name), str(user.email), user.roles, str(user.department)) == (
        "Ann Lee",
        "ann@example.com",
        (Role.ADMIN, Role.USER),
        "Sales",
    )
    assert user.password_hash.startswith(b"$2b$12$")  # the production cost, not the tests'
    bus = users.user_bus(db_pool)
    assert await bus.authenticate(Email.parse("ann@example.com"), "a-long-secret") == user
    audit = await db_pool.fetchrow("SELECT actor_id, action FROM audit WHERE obj_id = $1", user_id)
    assert audit is not None
    assert (audit["actor_id"], audit["action"]) == (None, "created")  # a system action


async def test_useradd_takes_the_password_flag_and_defaults_to_the_user_role(
    db_config: sqldb.DBConfig, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    code, stdout, stderr = await run_admin(
        "useradd Bob bob@example.com --password flag-secret", db=db_config
    )

    assert code == 0, stderr
    user = await UserDB(db_pool).query_by_id(uuid.UUID(stdout.strip()))
    assert user.roles == (Role.USER,)
    assert user.department is None
    assert await users.user_bus(db_pool).authenticate(user.email, "flag-secret") == user


async def test_useradd_tells_shared_flag_values_from_its_own_arguments(
    db_config: sqldb.DBConfig, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    code, stdout, stderr = await run_admin(
        "useradd --db-wait 5s Cid --log-level WARNING cid@example.com",
        db=db_config,
        stdin="a-long-secret\n",
    )

    assert code == 0, stderr
    user = await UserDB(db_pool).query_by_id(uuid.UUID(stdout.strip()))
    assert (str(user.name), str(user.email)) == ("Cid", "cid@example.com")
    assert stderr == ""  # --log-level reached the config: the INFO line was not written


async def test_useradd_refuses_a_taken_email(
    db_config: sqldb.DBConfig, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    await users.seed_users(users.user_bus(db_pool), 1, Role.USER)  # user.aa@example.com

    code, stdout, stderr = await run_admin(
        "useradd Dee user.aa@example.com", db=db_config, stdin="a-long-secret\n"
    )

    assert code == 1
    assert stdout == ""
    assert stderr == "admin useradd: email is not unique\n"


@pytest.mark.parametrize(
    ("arguments", "stdin", "message"),
    [
        ("Al al@example.com", "a-long-secret", "NAME: must be 3 to 20 characters"),
        ("Ann ann@", "", "EMAIL: must be an email address such as name@example.com"),
        ("Ann a@b.co --role ROOT", "", "--role: unknown role 'ROOT'"),
        ("Ann a@b.co --role USER --role USER", "", "--role: role 'USER' is listed more than once"),
        ("Ann a@b.co --department -", "", "--department: must be 3 to 20"),
        ("Ann a@b.co", "short\n", "password: must be 8 to 72 characters long"),
        ("Ann a@b.co", "", "password: must be 8 to 72 characters long"),
        ("Ann a@b.co --password short", "", "--password: must be 8 to 72 characters long"),
    ],
)
async def test_useradd_refuses_bad_input_with_a_usage_error(
    db_config: sqldb.DBConfig,
    db_pool: asyncpg.Pool[asyncpg.Record],
    arguments: str,
    stdin: str,
    message: str,
) -> None:
    code, stdout, stderr = await run_admin(f"useradd {arguments}", db=db_config, stdin=stdin)

    assert code == 2
    assert stdout == ""
    assert stderr.startswith(f"admin useradd: {message}")
    assert await db_pool.fetchval("SELECT count(*) FROM users") == 0


async def test_useradd_without_its_arguments_shows_its_usage(db_config: sqldb.DBConfig) -> None:
    code, _, stderr = await run_admin("useradd Ann", db=db_config)

    assert code == 2
    assert "usage: admin useradd" in stderr
    assert "EMAIL" in stderr


async def test_users_lists_a_page_as_json_lines_without_hashes(
    db_config: sqldb.DBConfig, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    seeded = await users.seed_users(users.user_bus(db_pool), 3, Role.USER)
    by_id = sorted(seeded, key=lambda user: user.id)

    code, stdout, stderr = await run_admin("users --page 2 --rows 2", db=db_config)

    assert code == 0, stderr
    listed = [json.loads(line) for line in stdout.splitlines()]
    assert listed == [
        {
            "id": str(by_id[2].id),
            "name": str(by_id[2].name),
            "email": str(by_id[2].email),
            "roles": ["USER"],
            "department": None,
            "enabled": True,
            "dateCreated": by_id[2].date_created.isoformat(),
            "dateUpdated": by_id[2].date_updated.isoformat(),
        }
    ]
    assert "$2b$" not in stdout


async def test_users_refuses_a_bad_page(db_config: sqldb.DBConfig) -> None:
    code, stdout, stderr = await run_admin("users --rows 500", db=db_config)

    assert code == 2
    assert stdout == ""
    assert stderr == "admin users: rows must be between 1 and 100\n"


def test_useradd_help_shows_its_arguments_and_the_shared_flags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["useradd", "--help"])

    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert "usage: admin useradd" in shown
    assert all(word in shown for word in ("NAME", "EMAIL", "--role", "--password", "--db-host"))
