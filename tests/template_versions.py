"""Git helpers for `copier update` tests: commit a rendered project, and release a newer version of
the template to update it to.

pytest-copier's ``copier_template`` is a git repository tagged 99.99.99, shared by the whole
session: never tag it. Clone it (``clone_template``), render from the clone with
``dataclasses.replace(copier, template=clone)``, then ``release_template_version`` on the clone::

    repo = clone_template(copier_template, tmp_path / "template")
    versioned = dataclasses.replace(copier, template=repo)
    project = versioned.copy(tmp_path / "project")
    init_project_repo(project.path)
    release_template_version(repo, "100.0.0", lambda root: ...edit files under root...)
    project.update()
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

CONFLICT_MARKER = re.compile(r"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return its output; fail the test with that output on error.

    The identity and the default branch come from pytest-gitconfig's session-wide gitconfig.
    """
    __tracebackhide__ = True
    result = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode:
        pytest.fail(
            f"`git {' '.join(args)}` in {repo} exited with {result.returncode}:\n"
            f"{result.stdout}{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def commit_all(repo: Path, message: str) -> None:
    """Stage everything in ``repo`` (a throwaway repository) and commit it."""
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--no-verify", "-m", message)


def init_project_repo(project: Path) -> None:
    """`git init && git add -A && git commit` in a freshly rendered project (update needs it)."""
    git(project, "init", "--quiet")
    commit_all(project, "Rendered from the template")


def dirty_paths(repo: Path) -> list[str]:
    """``git status --porcelain`` of ``repo`` (untracked and ignored-but-new files included)."""
    return git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()


def clone_template(template: Path, dst: Path) -> Path:
    """A private clone of a template repository, tags included."""
    git(dst.parent, "clone", "--quiet", str(template), str(dst))
    return dst


def release_template_version(repo: Path, version: str, edit: Callable[[Path], object]) -> str:
    """Apply ``edit(repo)`` to a template repository, commit it, tag it ``version`` (a PEP 440
    version newer than the last tag, e.g. 100.0.0) and return the new commit's sha."""
    edit(repo)
    commit_all(repo, f"Template {version}")
    git(repo, "tag", version)
    return git(repo, "rev-parse", "HEAD").strip()


def append_line(path: Path, line: str) -> None:
    """Append one line to a text file (which ends with a newline)."""
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")


def assert_clean_merge(project: Path) -> None:
    """No merge leftovers (.rej, .orig) and no conflict markers in any file of ``project``."""
    __tracebackhide__ = True
    tracked = git(project, "ls-files", "--cached", "--others", "--exclude-standard").splitlines()
    leftovers = [path for path in tracked if path.endswith((".rej", ".orig"))]
    assert not leftovers, f"the update left merge leftovers: {leftovers}"
    conflicted = [
        path
        for path in tracked
        if (project / path).is_file()
        and CONFLICT_MARKER.search((project / path).read_text(encoding="utf-8", errors="replace"))
    ]
    assert not conflicted, f"conflict markers after the update in {conflicted}"
