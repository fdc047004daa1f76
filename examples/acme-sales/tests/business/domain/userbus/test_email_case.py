"""One account per email whatever the case of its letters (migration 0003): ANN@example.com is
refused beside ann@example.com, signs in as ann, and is found by any spelling."""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import dataclasses
import shutil
from pathlib import Path

import asyncpg
import pytest

from acme_sales.business.domain.userbus import (
    DuplicateEmailError,
    UpdateUser,
    UserBus,
    UserFilter,
)
from acme_sales.business.sdk import migrate
from acme_sales.business.types import Email
from tests.support.users import PASSWORD, new_user, user_bus

EMAIL_CASE_MIGRATION = "0003_email_case_insensitive.sql"


@pytest.fixture
def bus(db_pool: asyncpg.Pool[asyncpg.Record]) -> UserBus:
    return user_bus(db_pool)


def spelled(email: Email, spelling: str) -> Email:
    return Email.parse(getattr(str(email), spelling)())


async def test_an_email_differing_only_in_case_is_taken(bus: UserBus) -> None:
    ann = await bus.create(new_user(0), actor_id=None)
    shouting = dataclasses.replace(new_user(1), email=spelled(ann.email, "upper"))
    with pytest.raises(DuplicateEmailError):
        await bus.create(shouting, actor_id=None)

    other = await bus.create(new_user(2), actor_id=None)
    with pytest.raises(DuplicateEmailError):
        await bus.update(other, UpdateUser(email=spelled(ann.email, "title")), actor_id=None)


@pytest.mark.parametrize("spelling", ["upper", "title", "lower"])
async def test_any_spelling_signs_in_and_finds_the_user(bus: UserBus, spelling: str) -> None:
    ann = await bus.create(new_user(0), actor_id=None)
    email = spelled(ann.email, spelling)

    assert await bus.authenticate(email, PASSWORD) == ann
    assert await bus.query_by_email(email) == ann
    assert await bus.count(UserFilter(email=email)) == 1


async def test_the_migration_names_how_to_find_emails_that_clash_by_case(
    empty_db_pool: asyncpg.Pool[asyncpg.Record], tmp_path: Path
) -> None:
    shipped = Path(str(migrate.SQL_DIR))
    for earlier in ("0001_create_users.sql", "0002_create_audit.sql"):
        shutil.copy(shipped / earlier, tmp_path / earlier)
    async with empty_db_pool.acquire() as conn:
        await migrate.migrate(conn, tmp_path)
        for email in ("ann@example.com", "Ann@example.com"):
            await conn.execute(
                "INSERT INTO users VALUES (gen_random_uuid(), 'Ann', $1, '{USER}', 'x', NULL,"
                " true, now(), now())",
                email,
            )
        shutil.copy(shipped / EMAIL_CASE_MIGRATION, tmp_path / EMAIL_CASE_MIGRATION)

        with pytest.raises(migrate.MigrationFailedError) as refused:
            await migrate.migrate(conn, tmp_path)
        await conn.execute("UPDATE users SET email = 'ann.b@example.com' WHERE email LIKE 'A%'")
        run = await migrate.migrate(conn, tmp_path)

    assert "differing only in the case of their letters: 1." in str(refused.value)
    assert "ann@" not in str(refused.value).lower()  # how to find them, never who they are
    assert [applied.filename for applied in run.applied] == [EMAIL_CASE_MIGRATION]
