"""examples/ holds exactly what `make examples` renders from the working tree today."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
from rendering import (
    CONTENT_DIFFERS,
    EXAMPLES_DIR,
    EXAMPLES_README,
    diff_trees,
    iter_files,
    read_answers,
    render_example,
)

FIX = "run `make examples` and commit the result"


@pytest.fixture(scope="module")
def fresh_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_example(tmp_path_factory.mktemp("fresh-example") / "project")


def test_examples_match_a_fresh_render(fresh_example: Path) -> None:
    slug = read_answers(fresh_example)["project_slug"]
    committed = EXAMPLES_DIR / slug
    assert committed.is_dir(), f"{committed} does not exist: {FIX}"
    problems = diff_trees(fresh_example, committed)
    if problems:
        pytest.fail(
            f"examples/{slug} differs from a fresh render of the defaults; {FIX}:\n  "
            + "\n  ".join(f"{rel}: {why}" for rel, why in problems)
            + "".join(_text_diffs(fresh_example, committed, problems)),
            pytrace=False,
        )


def _text_diffs(
    fresh: Path, committed: Path, problems: list[tuple[Path, str]], limit: int = 3
) -> list[str]:
    """Unified diffs of the first few text files whose content differs (20 lines each)."""
    diffs: list[str] = []
    for rel, why in problems:
        if why != CONTENT_DIFFERS or len(diffs) >= limit:
            continue
        try:
            old = (committed / rel).read_text(encoding="utf-8").splitlines()
            new = (fresh / rel).read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        label = f"examples/.../{rel}"
        lines = list(difflib.unified_diff(old, new, label, "fresh render", lineterm=""))
        diffs.append("\n\n" + "\n".join(lines[:20]) + ("\n..." if len(lines) > 20 else ""))
    return diffs


def test_examples_hold_nothing_else(fresh_example: Path) -> None:
    slug = read_answers(fresh_example)["project_slug"]
    entries = sorted(path.name for path in EXAMPLES_DIR.iterdir()) if EXAMPLES_DIR.is_dir() else []
    assert entries == sorted(["README.md", slug]), f"unexpected content in examples/: {FIX}"
    readme = (EXAMPLES_DIR / "README.md").read_text(encoding="utf-8")
    assert readme == EXAMPLES_README, f"examples/README.md was edited by hand: {FIX}"


def test_example_answers_hold_no_volatile_keys() -> None:
    answers = next(EXAMPLES_DIR.glob("*/.copier-answers.yml"), None)
    assert answers is not None, f"no example rendered: {FIX}"
    text = answers.read_text(encoding="utf-8")
    assert "_commit:" not in text
    assert "_src_path:" not in text


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_no_example_file_is_git_ignored(fresh_example: Path) -> None:
    """A rendered file matching a .gitignore (ours or the rendered one) would never be committed,
    and the drift check would fail on every fresh clone."""
    slug = read_answers(fresh_example)["project_slug"]
    committed = EXAMPLES_DIR / slug
    if not committed.is_dir():
        pytest.skip(f"{committed} does not exist")
    paths = [str(committed / rel) for rel in iter_files(committed)]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=EXAMPLES_DIR.parent,
        input="\n".join(paths),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 128:
        pytest.skip(f"not a git checkout: {result.stderr.strip()}")
    ignored = result.stdout.splitlines()
    assert not ignored, f"git ignores these example files: {ignored}"
