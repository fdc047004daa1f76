"""`copier update` on a rendered project: a no-op update is clean, a newer template version
arrives and merges with the user's edits, and the project's own uv.lock is never overwritten.

Fast: nothing here runs the rendered project's toolchain.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from pytest_copier.plugin import CopierFixture, CopierProject
from template_versions import (
    append_line,
    clone_template,
    commit_all,
    dirty_paths,
    init_project_repo,
    release_template_version,
)

ANSWERS_FILE = ".copier-answers.yml"
TEMPLATE_LINE = "Added by template version 100.0.0."
USER_LINE = "Added by the service's own team."


def _answers(project: Path) -> dict[str, object]:
    answers = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert isinstance(answers, dict)
    return answers


@pytest.fixture
def template_repo(copier_template: Path, tmp_path: Path) -> Path:
    """A clone of pytest-copier's template repository (tag 99.99.99) that a test may release
    newer versions of."""
    return clone_template(copier_template, tmp_path / "template")


@pytest.fixture
def versioned(copier: CopierFixture, template_repo: Path) -> CopierFixture:
    """pytest-copier's fixture, rendering from and updating to ``template_repo``."""
    return dataclasses.replace(copier, template=template_repo)


@pytest.fixture
def project(versioned: CopierFixture, tmp_path: Path) -> CopierProject:
    """The defaults rendered from template 99.99.99, committed to a fresh git repository."""
    rendered = versioned.copy(tmp_path / "project")
    init_project_repo(rendered.path)
    return rendered


def test_update_without_template_changes_is_a_no_op(project: CopierProject) -> None:
    project.update()
    assert dirty_paths(project.path) == [], "an update to the same version changed the project"
    assert _answers(project.path)["_commit"] == "99.99.99"


def test_update_to_a_newer_version_merges_with_user_edits(
    project: CopierProject, template_repo: Path
) -> None:
    readme = project.path / "README.md"
    title, rest = readme.read_text(encoding="utf-8").split("\n", 1)
    # Under the title, away from the template's change at the end: no conflict to resolve.
    readme.write_text(f"{title}\n\n{USER_LINE}\n{rest}", encoding="utf-8")
    commit_all(project.path, "Our own README line")
    release_template_version(
        template_repo,
        "100.0.0",
        lambda root: append_line(root / "template" / "README.md.jinja", TEMPLATE_LINE),
    )

    project.update()

    text = readme.read_text(encoding="utf-8")
    assert TEMPLATE_LINE in text, "the template change did not arrive"
    assert USER_LINE in text, "the update dropped the user's line"
    assert "<<<<<<<" not in text, f"conflict markers in README.md:\n{text}"
    changed = sorted(line[3:] for line in dirty_paths(project.path))
    assert changed == [ANSWERS_FILE, "README.md"], f"unexpected changes: {changed}"
    answers = _answers(project.path)
    assert answers["_commit"] == "100.0.0"
    src_path = Path(str(answers["_src_path"]))
    assert src_path.is_absolute(), f"_src_path is not absolute: {src_path}"
    assert src_path == template_repo


def test_update_keeps_the_projects_own_lock(project: CopierProject, template_repo: Path) -> None:
    """_skip_if_exists: [uv.lock]: once rendered, the lock belongs to the project (it re-locks
    and upgrades on its own schedule); a newer template lock must not overwrite or merge in."""
    lock = project.path / "uv.lock"
    append_line(lock, "# the project's own lock")
    ours = lock.read_text(encoding="utf-8")
    commit_all(project.path, "Our own lock")
    release_template_version(
        template_repo,
        "100.0.0",
        lambda root: append_line(root / "template" / "uv.lock.jinja", "# template 100.0.0"),
    )

    project.update()

    assert lock.read_text(encoding="utf-8") == ours
    assert dirty_paths(project.path) == [f" M {ANSWERS_FILE}"]
