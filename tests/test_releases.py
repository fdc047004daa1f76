"""Every release in CHANGELOG.md carries its projects and their databases to the working tree.

For each recorded release: render it, commit, edit as a team would, migrate and seed a database of
its own with the release's `admin`; then `copier update` to the working tree (tagged as the next
version in a template repository holding every release in order), `uv lock` as the README says,
and `admin migrate` the same database again. The oldest release's project then passes `make test`.

Slow: each release is a render, two `uv sync`s and an update.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import copier
import pytest
import yaml
from postgres import Database
from readme_commands import blocks_after, run_as_written
from releases import Release, full_commit, releases
from rendering import REPO_ROOT
from template_versions import assert_clean_merge, commit_all, git, init_project_repo

if TYPE_CHECKING:
    from conftest import Runner

pytestmark = pytest.mark.slow

RELEASES = releases()
RECORDED = [release for release in RELEASES if release.commit is not None]
# What a template release is made of (the rest of the repository is its tooling).
TEMPLATE_PATHS = ("copier.yml", "template", "extensions", "hooks")
SYNC_TIMEOUT = 900.0  # a cold uv cache downloads every dependency
USER_README_LINE = "Our team's note: ask #sales-oncall before deploying."
USER_MODULE = '"""Our own helpers, which no template release knows about."""\n'


def _working_tree_version() -> str:
    """The version the working tree is released as: the newest release while its commit is not
    recorded, else the next patch version's development release."""
    newest = RELEASES[0]
    if newest.commit is None:
        return newest.version
    major, minor, patch = newest.version.split(".")
    return f"{major}.{minor}.{int(patch) + 1}.dev0"


def _replace_tree(repo: Path, files: Callable[[Path], None]) -> None:
    """Empty `repo`'s work tree (not .git), then let `files` write the release into it."""
    for entry in repo.iterdir():
        if entry.name != ".git":
            git(repo, "rm", "-r", "--quiet", "--force", "--ignore-unmatch", entry.name)
    files(repo)


def _archive(commit: str) -> Callable[[Path], None]:
    def extract(repo: Path) -> None:
        listed = git(REPO_ROOT, "ls-tree", "--name-only", commit, "--", *TEMPLATE_PATHS).split()
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit, "--", *listed],
            cwd=REPO_ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x"], cwd=repo, input=archive, check=True)

    return extract


def _working_tree(repo: Path) -> None:
    listed = git(
        REPO_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "--", *TEMPLATE_PATHS
    ).split("\n")
    for path in filter(None, listed):
        source = REPO_ROOT / path
        if source.is_file():
            target = repo / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            target.chmod(source.stat().st_mode)


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template repository: every recorded release, oldest first, each a commit tagged with
    its version, then the working tree tagged as the next version."""
    repo = tmp_path_factory.mktemp("releases") / "template"
    repo.mkdir()
    git(repo, "init", "--quiet")
    for release in reversed(RECORDED):
        assert release.commit is not None
        _replace_tree(repo, _archive(full_commit(release.commit)))
        commit_all(repo, f"Template {release.version}")
        git(repo, "tag", release.version)
    _replace_tree(repo, _working_tree)
    commit_all(repo, "The working tree")
    git(repo, "tag", _working_tree_version())
    return repo


@pytest.fixture
def database(tmp_path: Path, run_in_project: Runner) -> Iterator[Callable[[Path], Database]]:
    """A database of its own for a project (created on first use, dropped afterwards)."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip("needs TEST_DATABASE_URL, a Postgres server where it may create a database")
    made: list[Database] = []

    def for_project(project: Path) -> Database:
        db = Database(project, server, f"release_{uuid.uuid4().hex[:16]}", run_in_project)
        db.sql("create")
        made.append(db)
        return db

    yield for_project
    for db in made:
        db.sql("drop")


def _team_edits(project: Path) -> None:
    """What a team does to its project between updates: notes in the README, a module of its own."""
    readme = project / "README.md"
    title, rest = readme.read_text(encoding="utf-8").split("\n", 1)
    readme.write_text(f"{title}\n\n{USER_README_LINE}\n{rest}", encoding="utf-8")
    package = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))[
        "package_name"
    ]
    (project / "src" / package / "business" / "ours.py").write_text(USER_MODULE, encoding="utf-8")
    commit_all(project, "Our own changes")


@pytest.mark.parametrize("release", RECORDED, ids=[release.version for release in RECORDED])
def test_an_update_from_a_release_carries_the_project_and_its_database(
    release: Release,
    template_repo: Path,
    tmp_path: Path,
    database: Callable[[Path], Database],
    run_in_project: Runner,
    report: Callable[[str], None],
) -> None:
    project = tmp_path / "project"
    copier.run_copy(
        str(template_repo),
        project,
        vcs_ref=release.version,
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    init_project_repo(project)
    _team_edits(project)
    run_in_project(
        project,
        ["uv", "sync", "--locked"],
        timeout=SYNC_TIMEOUT,
        label=f"uv sync [{release.version}]",
    )
    db = database(project)
    db.admin("migrate-seed")
    before = db.migrations()
    users = db.sql("rows", "users")
    assert users, "the release's seed data made no users"

    # This repository's README, as written but for the version: the working tree's.
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    (update,) = blocks_after(readme, "## Releases", "bash")
    newest = f"--vcs-ref {RELEASES[0].version}"
    assert update.strip().endswith(newest), "the README's update is not to the newest release"
    version = _working_tree_version()
    run_as_written(project, update.strip().replace(newest, f"--vcs-ref {version}"), run_in_project)

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["_commit"] == version
    assert_clean_merge(project)
    assert USER_README_LINE in (project / "README.md").read_text(encoding="utf-8")
    assert (project / "src" / answers["package_name"] / "business" / "ours.py").read_text(
        encoding="utf-8"
    ) == USER_MODULE

    # The README's steps after an update: lock (the project's uv.lock is never overwritten),
    # sync, then migrate the same database: the bookkeeping is upgraded, rows are kept.
    run_in_project(project, ["uv", "lock"], timeout=SYNC_TIMEOUT, label=f"uv lock [{version}]")
    run_in_project(
        project,
        ["uv", "sync", "--locked"],
        timeout=SYNC_TIMEOUT,
        label=f"uv sync [{release.version} -> {version}]",
    )
    run = db.migrate()
    after = db.migrations()
    assert set(before) <= set(after), "a migration applied before the update is no longer recorded"
    for name, (_kind, checksum, applied_at) in after.items():
        if name in before:
            assert (checksum, applied_at) == tuple(before[name][1:]), name
    newly = sorted(set(after) - set(before))
    report(f"release {release.version} -> {version}: applied {run['applied']}")
    assert len(newly) == len(run["applied"])
    assert db.sql("rows", "users") == users
    assert db.migrate()["applied"] == [], "a second run applied something again"

    if release == RECORDED[-1]:  # the oldest: the whole suite, as the README says
        run_in_project(
            project, ["make", "test"], label=f"make test [{release.version} -> {version}]"
        )


def _rendered(path: str) -> str:
    return path.removesuffix(".jinja")


def test_no_release_path_disappears_without_a_copier_migration() -> None:
    """A file the newest recorded release renders must still be rendered by the working tree, or
    copier.yml must carry projects along with a `_migrations` task for the next version.

    Copier's update merges file by file: a template file moved or renamed arrives fresh at its
    new path while a team's edits stay behind at the old one. So a move is never silent: it
    needs a migration task (and a test on a project rendered before the move)."""
    newest = next(release for release in RELEASES if release.commit is not None)
    assert newest.commit is not None
    then = _paths(
        git(REPO_ROOT, "ls-tree", "-r", "-z", "--name-only", newest.commit, "--", "template")
    )
    now = _paths(
        git(
            REPO_ROOT,
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
            "template",
        )
    )
    now = {path for path in now if (REPO_ROOT / path).is_file()}  # not deleted, uncommitted
    # A file that became a template (web.py -> web.py.jinja), or stopped being one, renders to
    # the same path: nothing moves in a project.
    rendered_now = {_rendered(path) for path in now}
    gone = sorted(path for path in then if _rendered(path) not in rendered_now)
    migrations = yaml.safe_load((REPO_ROOT / "copier.yml").read_text(encoding="utf-8")).get(
        "_migrations", []
    )
    carried = [m for m in migrations if _newer(str(m.get("version", "")), newest.version)]
    assert not gone or carried, (
        f"gone since {newest.version}, with no `_migrations` task after it in copier.yml: {gone}"
    )


def _paths(listing: str) -> set[str]:
    """The paths of a `git ... -z` listing (paths may hold spaces: Jinja in file names)."""
    return {path for path in listing.split("\0") if path}


def _newer(version: str, than: str) -> bool:
    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in text.removeprefix("v").split(".")[:3])

    return bool(version) and parts(version) > parts(than)
