"""A database of its own on the test server for a rendered project, reached through that project's
virtualenv (asyncpg is its dependency, not this repository's)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Runner

# Run by the rendered project's own interpreter (asyncpg is its dependency, not this repo's):
# `python -c PG_SCRIPT action server_url database [arg]`; prints one JSON value (or nothing).
PG_SCRIPT = """
import asyncio, json, sys
import asyncpg

async def main(action, url, name, *args):
    if action in ("create", "drop"):
        conn = await asyncpg.connect(url)
        try:
            if action == "create":
                await conn.execute(f'CREATE DATABASE "{name}"')
            else:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
        return
    conn = await asyncpg.connect(url, database=name)
    try:
        if action == "migrations":
            by_version = await conn.fetchval(
                "SELECT count(*) FROM information_schema.columns"
                " WHERE table_name = 'schema_migrations' AND column_name = 'version'"
            )
            rows = await conn.fetch(
                # Template 0.1.0 recorded core migrations by version: named by their file's stem.
                "SELECT lpad(version::text, 4, '0') || '_' || description AS name,"
                " 'core' AS kind, checksum, applied_at FROM schema_migrations ORDER BY name"
                if by_version else
                "SELECT name, kind, checksum, applied_at FROM schema_migrations ORDER BY name"
            )
            print(json.dumps({r["name"]: [r["kind"], r["checksum"], r["applied_at"].isoformat()]
                              for r in rows}))
        elif action == "rows":  # a table's row count, or null when there is no such table
            if await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", args[0]):
                print(json.dumps(await conn.fetchval(f"SELECT count(*) FROM {args[0]}")))
            else:
                print("null")
        elif action == "execute":
            await conn.execute(args[0])
    finally:
        await conn.close()

asyncio.run(main(*sys.argv[1:]))
"""


@dataclass
class Database:
    """A database of its own on the test server, reached through a rendered project's venv."""

    project: Path
    server: str
    name: str
    run: Runner

    def settings_for(self, prefix: str) -> dict[str, str]:
        """A service's settings for this database (``prefix``: ``SALES`` or ``AUTH``)."""
        url = urlsplit(self.server)
        return {
            f"{prefix}_DB_USER": unquote(url.username or "postgres"),
            f"{prefix}_DB_PASSWORD": unquote(url.password or ""),
            f"{prefix}_DB_HOST": url.hostname or "localhost",
            f"{prefix}_DB_PORT": str(url.port or 5432),
            f"{prefix}_DB_NAME": self.name,
        }

    @property
    def settings(self) -> dict[str, str]:
        """The rendered project's settings for this database (what `admin` reads), JSON logs."""
        return self.settings_for("SALES") | {"SALES_LOG_FORMAT": "json"}

    def sql(self, action: str, *args: str) -> Any:
        command = [".venv/bin/python", "-c", PG_SCRIPT, action, self.server, self.name, *args]
        output = self.run(self.project, command, label=f"postgres {action}").output.strip()
        return json.loads(output.splitlines()[-1]) if output else None

    def migrations(self) -> dict[str, list[str]]:
        """schema_migrations: name -> [kind, checksum, applied_at]."""
        rows: dict[str, list[str]] = self.sql("migrations")
        return rows

    def admin(self, *args: str) -> list[dict[str, Any]]:
        """Run `admin` with this database's settings; return its JSON log events."""
        run = self.run(
            self.project, ["uv", "run", "admin", *args], env=self.settings, label=f"admin {args[0]}"
        )
        return [json.loads(line) for line in run.output.splitlines() if line.startswith("{")]

    def migrate(self) -> dict[str, Any]:
        """`admin migrate`, which must exit 0; its "migrations complete" event."""
        events = self.admin("migrate")
        done = [event for event in events if event.get("event") == "migrations complete"]
        assert len(done) == 1, f"admin migrate logged no completion: {events}"
        return done[0] | {"warnings": [e for e in events if e.get("level") == "warning"]}
