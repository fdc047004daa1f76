"""template/uv.lock.jinja: current with template/pyproject.toml.jinja, and valid for any answers."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lock import LOCK_TEMPLATE, SLUG_PLACEHOLDER, templatize
from rendering import read_answers, render

if TYPE_CHECKING:
    from conftest import Runner

FIX = "run `make lock` and commit template/uv.lock.jinja"

UV_LOCK_CHECK = ["uv", "lock", "--check"]


def _check_lock(project: Path, run_in_project: Runner, label: str) -> None:
    __tracebackhide__ = True
    run = run_in_project(project, UV_LOCK_CHECK, check=False, label=label)
    if run.failure:
        pytest.fail(
            "template/uv.lock.jinja is stale relative to template/pyproject.toml.jinja "
            f"(`uv lock --check` {run.failure} in a render); {FIX}. Output:\n{run.output}",
            pytrace=False,
        )


def test_template_lock_is_current(
    default_render: Path, tmp_path: Path, run_in_project: Runner
) -> None:
    assert LOCK_TEMPLATE.is_file(), f"{LOCK_TEMPLATE} does not exist: {FIX}"
    project = tmp_path / default_render.name
    shutil.copytree(default_render, project, symlinks=True)
    _check_lock(project, run_in_project, "uv lock --check (default answers)")


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param({"project_name": "Billing API", "python_version": "3.11"}, id="billing-3.11"),
        # Sorts after every dependency: the project's entry is out of uv's order, still accepted.
        pytest.param({"project_name": "Zeta Service", "python_version": "3.13"}, id="zeta-3.13"),
    ],
)
def test_rendered_lock_fits_other_answers(
    answers: dict[str, str], tmp_path: Path, run_in_project: Runner
) -> None:
    project = render(tmp_path / "project", answers)
    slug = read_answers(project)["project_slug"]
    lock = (project / "uv.lock").read_text(encoding="utf-8")
    assert f'name = "{slug}"\nversion = "0.1.0"\nsource = {{ editable = "." }}\n' in lock
    assert "acme" not in lock
    _check_lock(project, run_in_project, f"uv lock --check ({slug})")


def test_template_lock_names_the_project_once() -> None:
    text = LOCK_TEMPLATE.read_text(encoding="utf-8")
    assert text.count(SLUG_PLACEHOLDER) == 1, f"one {SLUG_PLACEHOLDER} expected: {FIX}"
    assert "acme" not in text, f"the default slug leaked into the template lock: {FIX}"


# --- scripts/lock.py's templatize ---------------------------------------------------------------

LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "acme-sales"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "litestar" },
]

[[package]]
name = "litestar"
version = "2.25.0"
source = { registry = "https://pypi.org/simple" }
"""


def test_templatize_replaces_only_the_project_name() -> None:
    text = templatize(LOCK, "acme-sales")
    assert 'name = "{{ project_slug }}"\nversion = "0.1.0"\nsource = { editable = "." }' in text
    assert text.replace(SLUG_PLACEHOLDER, "acme-sales") == LOCK


@pytest.mark.parametrize(
    ("lock", "slug", "message"),
    [
        (LOCK, "billing-api", "expected one package"),
        (LOCK.replace('"litestar"', '"acme-sales"'), "acme-sales", "outside its own package"),
        (LOCK.replace(">=3.11", ">=3.11 {{"), "acme-sales", "Jinja delimiters"),
    ],
    ids=["other-slug", "named-elsewhere", "jinja-delimiter"],
)
def test_templatize_refuses(lock: str, slug: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        templatize(lock, slug)
