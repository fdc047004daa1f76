"""The sales API keeps the contract its OpenAPI document states, as schemathesis judges it.

Both services run for real on a seeded database; schemathesis reads the document from /docs,
then sends generated requests, valid and invalid, to every operation, and chains them (its
stateful phase: create, then get, change and delete what was created), as the seeded user and
then as the seeded admin. Every check it has must pass: no 500, every status and body as
documented, invalid input refused, valid input accepted, methods as `Allow` says, deleted things
gone.

Bounded to FUZZ_EXAMPLES cases per operation (a few here; `make fuzz` runs many more).
"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import httpx
import pytest

from acme_sales.foundation import sqldb
from tests.support import running, services
from tests.support.admin import run_admin

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
SEED = os.environ.get("FUZZ_SEED", "1")  # "random": a new seed on every run
PASSWORD = "gophers"  # the seeded users' (seed.sql)
# The user goes first: the admin's run may delete or disable that user. Neither run ends its own
# session (tests/support/fuzz_hooks.py), and each must end still signed in.
CALLERS = ("user@example.com", "admin@example.com")


@pytest.fixture(scope="module")
def keys_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return services.write_signing_key(tmp_path_factory.mktemp("keys"))


def token(auth_url: str, email: str) -> str:
    """A token for the seeded user `email`, from the auth service as a client gets one."""
    response = httpx.get(
        f"{auth_url}/v1/auth/token/{services.KID}", auth=(email, PASSWORD), timeout=10
    )
    response.raise_for_status()
    return str(response.json()["token"])


def own_user(sales_url: str, bearer: str, caller_id: str) -> httpx.Response:
    return httpx.get(
        f"{sales_url}/v1/users/{caller_id}",
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=10,
    )


def schemathesis(sales_url: str, bearer: str, caller_id: str) -> int:
    """`schemathesis run` with every check and phase against the sales service, as `bearer`,
    the token of user `caller_id`; its report goes to this process's output (pytest shows it on
    failure, `make fuzz` always)."""
    seed = [] if SEED == "random" else ["--seed", SEED]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from schemathesis.cli import schemathesis; schemathesis()",
            "run",
            f"{sales_url}/docs/openapi.json",
            "--checks=all",
            "--phases=examples,coverage,fuzzing,stateful",  # all of them, whatever the default
            f"--max-examples={EXAMPLES}",
            "--header",
            f"Authorization: Bearer {bearer}",
            "--generation-database=none",  # nothing written into the project
            "--no-color",
            *seed,
        ],
        cwd=running.PROJECT_ROOT,
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.support.fuzz_hooks",
            "FUZZ_CALLER_ID": caller_id,
        },
        check=False,
        timeout=1800,
    )
    return done.returncode


async def test_the_api_keeps_its_documented_contract(
    db_config: sqldb.DBConfig,
    db_pool: asyncpg.Pool[asyncpg.Record],
    keys_folder: Path,
    tmp_path: Path,
) -> None:
    code, _, err = await run_admin("seed", db=db_config)
    assert code == 0, err
    with running.both(db_config, keys_folder, tmp_path) as (sales, auth):
        for email in CALLERS:
            caller_id = str(
                await db_pool.fetchval("SELECT user_id FROM users WHERE email = $1", email)
            )
            bearer = token(auth.api_url, email)
            code = schemathesis(sales.api_url, bearer, caller_id)
            assert code == 0, f"schemathesis as {email} found failures: see its report above"
            # Else the cases after the one that ended the session met only 401s.
            me = own_user(sales.api_url, bearer, caller_id)
            assert me.status_code == 200, f"{email} was signed out by the run: {me.text}"
