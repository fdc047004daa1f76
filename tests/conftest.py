"""Shared fixtures: pytest-copier wiring, a cached default render, and a clean command runner.

Every command run inside a rendered project is timed; the timings (and anything tests add with
the ``report`` fixture, such as the rendered test suite's summary) are printed in a
"rendered project" section at the end of the pytest run, so they land in CI logs whatever the
capture mode.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

from rendering import render  # noqa: E402  (needs the sys.path entry above)

# What pytest-copier copies into its throwaway template repository: the template alone, not the
# .venv, .git, examples or caches of this checkout.
TEMPLATE_PATHS = ("copier.yml", "template", "hooks", "extensions")

# Environment a rendered project's commands see: nothing of this repository's virtualenv, only
# what finds the tools (PATH, pyenv), reaches package registries (certificates, proxies) and the
# test database, plus uv's own settings.
PASSED_ENV = (
    "CI",  # the rendered suite fails instead of skipping when a tool CI installs is missing
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "PYENV_VERSION",
    "PYENV_ROOT",
    "TEST_DATABASE_URL",
    "DOCKER_HOST",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
)
PASSED_ENV_PREFIXES = ("UV_", "TESTCONTAINERS_")
DROPPED_ENV = ("UV_RUN_RECURSION_DEPTH",)  # set by the `uv run` that started this pytest

DEFAULT_TIMEOUT = 600.0

_report_key = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def copier_template_paths() -> list[str]:
    return [path for path in TEMPLATE_PATHS if (REPO_ROOT / path).exists()]


def clean_env() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if (name in PASSED_ENV or name.startswith(PASSED_ENV_PREFIXES)) and name not in DROPPED_ENV
    }
    if sys.prefix != sys.base_prefix:  # running in this repository's venv: hide its bin/
        venv_bin = str(Path(sys.prefix) / "bin")
        env["PATH"] = os.pathsep.join(
            entry for entry in env.get("PATH", "").split(os.pathsep) if entry != venv_bin
        )
    return env


@dataclass(frozen=True)
class Run:
    command: str
    output: str
    seconds: float
    failure: str | None  # "exited with 2", "timed out after 600s", or None on success

    def describe(self, project: Path) -> str:
        return f"`{self.command}` in {project} {self.failure}; output:\n{self.output}"


Runner = Callable[..., Run]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_report_key] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = terminalreporter.config.stash.get(_report_key, [])
    if lines:
        terminalreporter.write_sep("-", "rendered project")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def report(pytestconfig: pytest.Config) -> Callable[[str], None]:
    """Add a line to the "rendered project" section of the terminal summary."""
    return pytestconfig.stash[_report_key].append


@pytest.fixture(scope="session")
def run_in_project(report: Callable[[str], None]) -> Runner:
    """Run a command in a rendered project with a clean environment and a timeout.

    Fails the test with the command's full output when it exits non-zero or times out, unless
    ``check=False``: then the caller inspects ``Run.failure``. ``label`` names the command in
    the timings printed at the end of the session; ``env`` adds variables (such as settings).
    """

    def run(
        project: Path,
        args: Sequence[str],
        timeout: float = DEFAULT_TIMEOUT,
        check: bool = True,
        label: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Run:
        __tracebackhide__ = True
        command = shlex.join(args)
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(args),
            cwd=project,
            env={**clean_env(), **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # a timeout kills the whole process group
        )
        try:
            output, _ = proc.communicate(timeout=timeout)
            failure = f"exited with {proc.returncode}" if proc.returncode else None
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
            failure = f"timed out after {timeout:.0f}s"
        seconds = time.perf_counter() - started
        report(f"{label or command:<40} {seconds:7.1f}s  {failure or 'ok'}")
        result = Run(command, output, seconds, failure)
        if failure and check:
            pytest.fail(result.describe(project), pytrace=False)
        return result

    return run


@pytest.fixture(scope="session")
def default_render(tmp_path_factory: pytest.TempPathFactory, report: Callable[[str], None]) -> Path:
    """The working tree rendered with the default answers, once per session. Do not modify it:
    copy it first (running a toolchain in it would leave caches behind)."""
    started = time.perf_counter()
    project = render(tmp_path_factory.mktemp("default-render") / "project")
    report(f"{'render (default answers)':<40} {time.perf_counter() - started:7.1f}s  ok")
    return project
