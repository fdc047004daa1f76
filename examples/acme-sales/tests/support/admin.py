"""Running the admin tool as the operator runs it: as a separate process."""

import asyncio
import os
import shlex
import sys

from acme_sales.api.tooling.admin import config
from acme_sales.foundation import sqldb
from acme_sales.foundation.config import to_environ


async def run_admin(
    command_line: str, *, db: sqldb.DBConfig | None = None, stdin: str = ""
) -> tuple[int, str, str]:
    """Run `admin COMMAND_LINE` (split as a shell would) against `db`, `stdin` piped in.

    Returns the exit code, the standard output and the standard error.
    """
    environ = dict(os.environ)
    if db is not None:
        environ |= to_environ(config.AdminConfig(db=db), prefix=config.PREFIX)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "acme_sales.api.tooling.admin",
        *shlex.split(command_line),
        env=environ,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await process.communicate(stdin.encode())
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()
