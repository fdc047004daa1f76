"""The rendered README's run-both-services steps, run as written on a fresh default render (slow).

`make migrate-seed`, `make keys`, `make run-auth` and `make run` (both left running, as in their
own terminals), `make token`, `make users TOKEN=$(make -s token)`: against a database of its own
on the test server and on ports nobody listens on (the services' own port settings, which the
Makefile's client targets follow). Also what the README promises around them: `make token` prints
the token alone and fails, saying why, when the auth service is down or refuses; `make token-user`
gives the plain user's token; the services' logs come through logfmt. Every process started is
stopped at the end, its whole process group, and none is left behind.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pytest
from conftest import clean_env
from postgres import Database

if TYPE_CHECKING:
    from conftest import Run, Runner

SYNC_TIMEOUT = 900.0  # as tests/test_render.py: a cold uv cache downloads every dependency
START_TIMEOUT = 120.0  # a service answers its liveness probe within this
STOP_TIMEOUT = 40.0  # SIGINT to its group: the 20s shutdown timeout, and some

README_INTRO = "Run both services against a local Postgres:"
# The README's steps, each with what the test does with it. When the README changes, this does.
EXPECTED_STEPS = [
    "make migrate-seed",
    "make keys",
    "make run-auth",
    "make run",
    "make token",
    "make users TOKEN=$(make -s token)",
]
PORT_SETTINGS = (
    "SALES_WEB_API_PORT",
    "SALES_WEB_DEBUG_PORT",
    "AUTH_WEB_API_PORT",
    "AUTH_WEB_DEBUG_PORT",
)
LONG_RUNNING = {"make run-auth": "auth", "make run": "sales"}
SEEDED = {"admin@example.com": ["ADMIN"], "user@example.com": ["USER"]}
JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def readme_steps(project: Path) -> list[str]:
    """The commands of the README's run-both-services block, comments dropped."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    found = re.search(re.escape(README_INTRO) + r"\s*```bash\n(.*?)```", readme, re.DOTALL)
    assert found, f"README.md has no bash block after {README_INTRO!r}"
    return [
        re.sub(r"\s+#.*$", "", line).strip() for line in found.group(1).splitlines() if line.strip()
    ]


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def jwt_part(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def group_members(pgid: int) -> list[str]:
    """The live (not zombie) processes of a process group: "pid command" each."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone meanwhile
        fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            members.append(text[: text.rindex(")") + 1])
    return members


class Service:
    """A long-running README step (`make run-auth`, `make run`) in a process group of its own."""

    def __init__(self, project: Path, step: str, env: dict[str, str], log: Path) -> None:
        self.step = step
        self.log = log
        self._log_file: IO[str] = log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            ["bash", "-c", step],
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: make, uv, the service, its workers, logfmt
        )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_answering(self, url: str) -> None:
        __tracebackhide__ = True
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(
                    f"`{self.step}` exited with {self.proc.returncode}:\n{self.output()}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        pytest.fail(f"`{self.step}`: {url} did not answer:\n{self.output()}", pytrace=False)

    def stop(self) -> list[str]:
        """Ctrl-C, as in its terminal, to the whole group; SIGKILL what is left after
        STOP_TIMEOUT. Returns the processes that were still alive then (none, when all is well)."""
        pgid = self.proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGINT)
        deadline = time.monotonic() + STOP_TIMEOUT
        while group_members(pgid) and time.monotonic() < deadline:
            self.proc.poll()  # reap the leader
            time.sleep(0.2)
        leftovers = group_members(pgid)
        if leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._log_file.close()
        return leftovers


@pytest.fixture
def synced_render(default_render: Path, tmp_path: Path, run_in_project: Runner) -> Path:
    project = tmp_path / "project"
    shutil.copytree(default_render, project, symlinks=True)
    run_in_project(
        project, ["uv", "sync", "--locked"], timeout=SYNC_TIMEOUT, label="uv sync --locked [loop]"
    )
    return project


@pytest.fixture
def database(synced_render: Path, run_in_project: Runner) -> Iterator[Database]:
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip("needs TEST_DATABASE_URL, a Postgres server where it may create a database")
    db = Database(synced_render, server, f"dl_{uuid.uuid4().hex[:16]}", run_in_project)
    db.sql("create")
    try:
        yield db
    finally:
        db.sql("drop")


@pytest.mark.slow
def test_readme_run_both_services_steps(
    synced_render: Path, database: Database, run_in_project: Runner, tmp_path: Path
) -> None:
    project = synced_render
    steps = readme_steps(project)
    assert steps == EXPECTED_STEPS, "the README's steps changed: change this test with them"

    ports = {name: unused_port() for name in PORT_SETTINGS}
    sales_url = f"http://localhost:{ports['SALES_WEB_API_PORT']}"
    auth_url = f"http://localhost:{ports['AUTH_WEB_API_PORT']}"
    env = {
        **database.settings_for("SALES"),
        **database.settings_for("AUTH"),
        **{name: str(port) for name, port in ports.items()},
        "SALES_AUTH_HOST": auth_url,
    }

    def shell(step: str, check: bool = True, label: str = "") -> Run:
        return run_in_project(
            project, ["bash", "-c", step], env=env, check=check, label=f"{label or step} [loop]"
        )

    services: list[Service] = []
    try:
        for step in steps:
            if step in LONG_RUNNING:
                name = LONG_RUNNING[step]
                service = Service(project, step, clean_env() | env, tmp_path / f"{name}.log")
                services.append(service)
                service.wait_until_answering(
                    (auth_url if name == "auth" else sales_url) + "/v1/liveness"
                )
                continue
            check_step(step, shell(step), project)
            if step == "make keys":  # the auth service is not running yet: `make token` says so
                down = shell("make token", check=False)
                assert down.failure, down.output
                assert f"the auth service does not answer at {auth_url}" in down.output
                assert not JWT.search(down.output), down.output

        # The plain user's token: the same key, the USER role, refused the admin-only list.
        user = shell("make token-user")
        assert JWT.fullmatch(user.output.strip()), user.output
        assert jwt_part(user.output.strip(), 1)["roles"] == SEEDED["user@example.com"]
        refused = shell("make users TOKEN=$(make -s token-user)", check=False)
        assert refused.failure, refused.output
        assert '"code":"permission_denied"' in refused.output

        # A key the running auth service does not know: refused, saying so, exit non-zero.
        other_keys = tmp_path / "other-keys"
        genkey = ["uv", "run", "admin", "genkey", "--folder", str(other_keys)]
        run_in_project(project, genkey, label="admin genkey (another folder) [loop]")
        unknown = shell(f"make token KEYS={other_keys}", check=False, label="make token KEYS=...")
        assert unknown.failure, unknown.output
        assert f"the auth service at {auth_url} refused a token" in unknown.output
        assert "HTTP 404" in unknown.output
        no_token = shell("make users", check=False)
        assert no_token.failure, no_token.output
        assert "make users: give a token" in no_token.output
    finally:
        leftovers = {service.step: service.stop() for service in services}

    assert leftovers == {"make run-auth": [], "make run": []}, leftovers
    for service in services:
        output = service.output()
        prefix = LONG_RUNNING[service.step].upper() + " "
        lines = [line for line in output.splitlines() if line.strip()]
        logged = [line for line in lines if line.startswith(prefix)]
        assert logged, f"`{service.step}` logged nothing through logfmt:\n{output}"
        assert not [line for line in lines if line.startswith("{")], f"raw JSON lines:\n{output}"
        assert any("shutdown complete" in line for line in logged), output


def check_step(step: str, run: Run, project: Path) -> None:
    """What each step of the README must have done, seen from its output."""
    __tracebackhide__ = True
    output = run.output
    if step == "make migrate-seed":
        assert "migrations complete" in output, output
        assert "seed data complete" in output, output
    elif step == "make keys":
        keys = sorted(path.stem for path in (project / "deploy" / "keys").glob("*.pem"))
        assert len(keys) == 1, keys
        assert keys[0] in output, output
    elif step == "make token":
        # The token alone, on one line: what `TOKEN=$(make -s token)` needs.
        assert JWT.fullmatch(output.rstrip("\n")), f"not a bare token: {output!r}"
        token = output.strip()
        kid = next((project / "deploy" / "keys").glob("*.pem")).stem
        assert jwt_part(token, 0)["kid"] == kid
        assert jwt_part(token, 1)["roles"] == SEEDED["admin@example.com"]
    elif step == "make users TOKEN=$(make -s token)":
        page = json.loads(output)
        emails = {item["email"]: item["roles"] for item in page["items"]}
        assert emails == SEEDED, page
        assert page["total"] == len(SEEDED)
    else:
        pytest.fail(f"no check for the README step `{step}`", pytrace=False)
