"""admin genkey and admin gentoken, run as the operator runs them: as a separate process."""

from __future__ import annotations

import os
import stat
import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg
import jwt
import pytest

from acme_sales.api.services.auth.config import AuthConfig
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.business.domain.userbus import UpdateUser, User
from acme_sales.business.types import Role
from acme_sales.foundation import sqldb
from acme_sales.foundation.keystore import KeyStore
from tests.support import keys, services, users
from tests.support.admin import run_admin

# --- genkey -------------------------------------------------------------------------------------


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


async def test_genkey_writes_a_key_only_its_owner_can_read_and_prints_its_kid(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "new" / "keys"

    code, stdout, stderr = await run_admin(f"genkey --folder {folder}")

    assert code == 0, stderr
    kid = stdout.strip()
    assert stdout == f"{kid}\n"
    assert names(folder) == [f"{kid}.pem"]
    assert stat.S_IMODE((folder / f"{kid}.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    store = KeyStore.load_folder(folder)
    assert store.kids() == [kid]
    assert store.private_key(kid).key_size == 2048
    assert "PRIVATE KEY" not in stderr


async def test_genkey_adds_a_key_of_the_size_asked_beside_the_others(tmp_path: Path) -> None:
    keys.write_key(tmp_path, "old", keys.rsa_key("old"))

    code, stdout, stderr = await run_admin(f"genkey --folder {tmp_path} --bits 3072")

    assert code == 0, stderr
    kid = stdout.strip()
    store = KeyStore.load_folder(tmp_path)
    assert store.kids() == sorted(["old", kid])
    assert store.private_key(kid).key_size == 3072


@pytest.mark.parametrize("bits", ["1024", "many", "16385", ""])
async def test_genkey_refuses_a_bad_size(tmp_path: Path, bits: str) -> None:
    code, stdout, stderr = await run_admin(f"genkey --folder {tmp_path} --bits '{bits}'")

    assert code == 2
    assert stdout == ""
    assert stderr == "admin genkey: --bits: must be a whole number from 2048 to 16384\n"
    assert names(tmp_path) == []


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "file"
    path.write_text("not a folder\n")
    return path


async def test_genkey_refuses_a_folder_it_cannot_create_with_a_one_line_error(
    a_file: Path,
) -> None:
    folder = a_file / "keys"

    code, stdout, stderr = await run_admin(f"genkey --folder {folder}")

    assert code == 1
    assert stdout == ""
    assert stderr == f"admin genkey: cannot write a key into {folder}: Not a directory\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
async def test_genkey_refuses_a_read_only_folder_with_a_one_line_error(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o500)

    code, stdout, stderr = await run_admin(f"genkey --folder {folder}")

    assert code == 1
    assert stdout == ""
    assert stderr == f"admin genkey: cannot write a key into {folder}: Permission denied\n"


# --- gentoken -----------------------------------------------------------------------------------


@pytest.fixture
def keys_folder(tmp_path: Path) -> Path:
    """A folder with one key, kid services.KID."""
    return services.write_signing_key(tmp_path / "keys")


@pytest.fixture
async def admin(db_pool: asyncpg.Pool[asyncpg.Record]) -> User:
    return await users.user_bus(db_pool).create(users.new_user(0, Role.ADMIN), actor_id=None)


def auth_service_tokens(folder: Path) -> TokenService:
    """What the auth service verifies with, on its default settings and these keys."""
    defaults = AuthConfig().auth
    return TokenService(KeyStore.load_folder(folder), issuer=defaults.issuer, ttl=defaults.ttl)


async def test_gentoken_prints_a_token_alone_that_the_auth_service_verifies(
    db_config: sqldb.DBConfig, keys_folder: Path, admin: User
) -> None:
    code, stdout, stderr = await run_admin(
        f"gentoken {admin.id} --folder {keys_folder}", db=db_config
    )

    assert code == 0, stderr
    token = stdout.removesuffix("\n")
    assert stdout == f"{token}\n"  # one line and nothing else, for TOKEN=$(admin gentoken ...)
    assert jwt.get_unverified_header(token)["kid"] == services.KID
    claims = auth_service_tokens(keys_folder).verify(token)
    defaults = AuthConfig().auth
    assert (claims.sub, claims.roles, claims.iss) == (str(admin.id), ["ADMIN"], defaults.issuer)
    assert timedelta(seconds=claims.exp - claims.iat) == defaults.ttl
    assert token not in stderr


async def test_gentoken_token_is_accepted_by_both_services(
    db_config: sqldb.DBConfig,
    db_pool: asyncpg.Pool[asyncpg.Record],
    keys_folder: Path,
    admin: User,
) -> None:
    code, stdout, stderr = await run_admin(
        f"gentoken {admin.id} --folder {keys_folder}", db=db_config
    )
    assert code == 0, stderr
    bearer = {"Authorization": f"Bearer {stdout.strip()}"}

    async with services.running(db_config, db_pool, keys_folder) as api:
        identity = await api.auth.get("/v1/auth/authenticate", headers=bearer)
        listed = await api.sales.get("/v1/users", headers=bearer)

    assert identity.status_code == 200, identity.text
    assert identity.json()["userId"] == str(admin.id)
    assert listed.status_code == 200, listed.text  # an admin-only route
    assert [user["id"] for user in listed.json()["items"]] == [str(admin.id)]


async def test_gentoken_signs_with_the_key_ttl_and_issuer_asked_for(
    db_config: sqldb.DBConfig, tmp_path: Path, admin: User
) -> None:
    keys.write_key(tmp_path, "kid-a", keys.rsa_key("a"))
    keys.write_key(tmp_path, "kid-b", keys.rsa_key("b"))

    code, stdout, stderr = await run_admin(
        f"gentoken {admin.id} --folder {tmp_path} --kid kid-b --ttl 90s --issuer elsewhere",
        db=db_config,
    )

    assert code == 0, stderr
    token = stdout.strip()
    assert jwt.get_unverified_header(token)["kid"] == "kid-b"
    tokens = TokenService(KeyStore.load_folder(tmp_path), issuer="elsewhere", ttl=timedelta(1))
    claims = tokens.verify(token)
    assert claims.exp - claims.iat == 90


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("", "{folder} holds several keys; choose one with --kid: kid-a, kid-b"),
        ("--kid kid-c", "--kid: no key 'kid-c' in {folder}; its keys: kid-a, kid-b"),
        ("--kid kid-a --ttl soon", "--ttl: must be a duration such as 500ms, 5s, 2m or 1h"),
        ("--kid kid-a --ttl 0s", "--ttl: must be at least 1s"),
    ],
)
async def test_gentoken_refuses_unclear_options_with_a_usage_error(
    db_config: sqldb.DBConfig, tmp_path: Path, admin: User, options: str, message: str
) -> None:
    keys.write_key(tmp_path, "kid-a", keys.rsa_key("a"))
    keys.write_key(tmp_path, "kid-b", keys.rsa_key("b"))

    code, stdout, stderr = await run_admin(
        f"gentoken {admin.id} --folder {tmp_path} {options}", db=db_config
    )

    assert code == 2
    assert stdout == ""
    assert stderr == f"admin gentoken: {message.format(folder=tmp_path)}\n"


async def test_gentoken_refuses_what_is_not_a_user_id(
    db_config: sqldb.DBConfig, keys_folder: Path
) -> None:
    code, stdout, stderr = await run_admin(
        f"gentoken admin@example.com --folder {keys_folder}", db=db_config
    )

    assert code == 2
    assert stdout == ""
    assert stderr == (
        "admin gentoken: USER_ID: must be a user id (a UUID), not 'admin@example.com'\n"
    )


async def test_gentoken_refuses_an_unknown_user(
    db_config: sqldb.DBConfig, keys_folder: Path
) -> None:
    nobody = uuid.uuid4()

    code, stdout, stderr = await run_admin(
        f"gentoken {nobody} --folder {keys_folder}", db=db_config
    )

    assert (code, stdout, stderr) == (1, "", f"admin gentoken: no user with id {nobody}\n")


async def test_gentoken_refuses_a_disabled_user(
    db_config: sqldb.DBConfig,
    db_pool: asyncpg.Pool[asyncpg.Record],
    keys_folder: Path,
) -> None:
    bus = users.user_bus(db_pool)
    user = await bus.create(users.new_user(0, Role.USER), actor_id=None)
    await bus.update(user, UpdateUser(enabled=False), actor_id=None)

    code, stdout, stderr = await run_admin(
        f"gentoken {user.id} --folder {keys_folder}", db=db_config
    )

    assert code == 1
    assert stdout == ""
    assert stderr == f"admin gentoken: user {user.id} is disabled: it may not sign in\n"


async def test_gentoken_refuses_a_folder_without_keys_with_a_one_line_error(
    db_config: sqldb.DBConfig, tmp_path: Path, admin: User
) -> None:
    missing = tmp_path / "missing"

    code, stdout, stderr = await run_admin(f"gentoken {admin.id} --folder {missing}", db=db_config)

    assert code == 1
    assert stdout == ""
    assert stderr == (
        f"admin gentoken: key folder {missing} does not exist or is not a directory\n"
    )
