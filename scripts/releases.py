"""The template's releases, as CHANGELOG.md records them, and their git tags.

A release is a `## <version> — <date>` heading; the paragraph `Commit <sha>.` under it names the
commit tagged. The newest release may have no such line yet (its commit is recorded when the next
release is cut). Used by `make tags` and by tests/test_releases.py.

    python scripts/releases.py tags    # tag every recorded release that is not tagged yet
    python scripts/releases.py list    # version, date and commit of each release, newest first
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = REPO_ROOT / "CHANGELOG.md"

_HEADING = re.compile(r"^## (?P<version>\d+\.\d+\.\d+) — (?P<date>\d{4}-\d{2}-\d{2})$")
_COMMIT = re.compile(r"^Commit (?P<commit>[0-9a-f]{7,40})\.$")


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    commit: str | None  # None for the newest release until the next one records it


def releases(changelog: Path = CHANGELOG) -> list[Release]:
    """Every release in `changelog`, newest first; only the newest may lack its commit."""
    found: list[Release] = []
    lines = changelog.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if (heading := _HEADING.match(line)) is None:
            continue
        following = next((text for text in lines[number + 1 :] if text.strip()), "")
        commit = _COMMIT.match(following)
        found.append(Release(heading["version"], heading["date"], commit and commit["commit"]))
    if not found:
        raise ValueError(f"{changelog}: no release headings ('## 1.2.3 — 2026-01-31')")
    if missing := [r.version for r in found[1:] if r.commit is None]:
        raise ValueError(f"{changelog}: no 'Commit <sha>.' line under {', '.join(missing)}")
    return found


def full_commit(commit: str, repo: Path = REPO_ROOT) -> str:
    """The full sha of `commit` in `repo`; fails clearly in a clone without that history."""
    result = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise LookupError(
            f"commit {commit} is not in {repo} (a shallow clone? `git fetch --unshallow`)"
        )
    return result.stdout.strip()


def tag_all(repo: Path = REPO_ROOT) -> list[str]:
    """Tag every recorded release that has no tag yet; return the versions tagged."""
    existing = set(
        subprocess.run(
            ["git", "tag"], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.split()
    )
    tagged = []
    for release in releases(repo / "CHANGELOG.md"):
        if release.commit is None or release.version in existing:
            continue
        sha = full_commit(release.commit, repo)
        subprocess.run(["git", "tag", release.version, sha], cwd=repo, check=True)
        tagged.append(release.version)
    return tagged


def main(argv: list[str]) -> int:
    if argv == ["list"]:
        for release in releases():
            print(f"{release.version}  {release.date}  {release.commit or '(not recorded yet)'}")
        return 0
    if argv == ["tags"]:
        tagged = tag_all()
        print(f"tagged {', '.join(tagged)}" if tagged else "every recorded release is tagged")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
