"""Render this template and normalise the result.

Shared by ``scripts/render_examples.py`` (``make examples``) and the tests, so that the committed
examples and the drift check in ``tests/test_examples.py`` are produced by the very same code.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import copier
import yaml
from copier.errors import DirtyLocalWarning

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = REPO_ROOT / "examples"
ANSWERS_FILE = ".copier-answers.yml"

# Answers-file keys that change with every commit or checkout location: dropped from examples.
VOLATILE_ANSWER_KEYS = ("_commit", "_src_path")

# Produced by running a rendered project's toolchain, never by the template: ignored when a
# rendered tree is scanned or compared. (uv.lock is not one of them: the template ships it.)
GENERATED_NAMES = frozenset(
    {
        ".venv",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".mypy_cache",
        ".import_linter_cache",
        ".coverage",
        "htmlcov",
    }
)

EXAMPLES_README = """\
# Examples

Everything under this directory is **generated** by `make examples`
(`scripts/render_examples.py`): the template rendered from the working tree with the default
answers. Never edit these files by hand; change `template/` or `copier.yml`, then run
`make examples` and commit the result together with the template change.

`tests/test_examples.py` renders the defaults afresh and fails when they differ from what is
committed here, so a stale example cannot go unnoticed.
"""


def render(dst: Path, data: Mapping[str, Any] | None = None) -> Path:
    """Render the working tree of this repository (uncommitted and untracked files included).

    Unanswered questions take their defaults. Raises ``ValueError`` when an answer is refused.
    """
    with warnings.catch_warnings():
        # vcs_ref="HEAD" on a dirty checkout is exactly what we want: no need to say so.
        warnings.simplefilter("ignore", DirtyLocalWarning)
        copier.run_copy(
            src_path=str(REPO_ROOT),
            dst_path=dst,
            data=dict(data or {}),
            defaults=True,
            vcs_ref="HEAD",
            # --trust: copier.yml loads Jinja extensions (extensions/domains/) for `domains`.
            unsafe=True,
            quiet=True,
        )
    return dst


def strip_volatile_answers(project: Path) -> None:
    """Drop the answers-file keys that depend on the commit and the checkout location."""
    answers_file = project / ANSWERS_FILE
    kept: list[str] = []
    skipping = False
    for line in answers_file.read_text(encoding="utf-8").splitlines(keepends=True):
        if line[:1] not in (" ", "\t", "-", "\n", ""):  # a new top-level key
            skipping = line.split(":", 1)[0] in VOLATILE_ANSWER_KEYS
        if not skipping:
            kept.append(line)
    answers_file.write_text("".join(kept), encoding="utf-8")


def read_answers(project: Path) -> dict[str, Any]:
    answers = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert isinstance(answers, dict), f"{ANSWERS_FILE} is not a mapping"
    return answers


def render_example(dst: Path) -> Path:
    """Render the defaults the way ``examples/<project_slug>/`` holds them."""
    render(dst)
    strip_volatile_answers(dst)
    return dst


def write_examples(examples_dir: Path = EXAMPLES_DIR) -> Path:
    """Replace ``examples_dir`` entirely with a fresh default render; return the project dir.

    Renders into a temporary directory first, so a refused render leaves the examples untouched.
    """
    with tempfile.TemporaryDirectory(prefix="render-examples-") as tmp:
        rendered = render_example(Path(tmp) / "project")
        slug = read_answers(rendered)["project_slug"]
        if examples_dir.exists():
            shutil.rmtree(examples_dir)
        examples_dir.mkdir(parents=True)
        (examples_dir / "README.md").write_text(EXAMPLES_README, encoding="utf-8")
        shutil.copytree(rendered, examples_dir / slug, symlinks=True)
    return examples_dir / slug


def iter_files(root: Path) -> Iterator[Path]:
    """Relative paths of the files under ``root``, skipping toolchain output (GENERATED_NAMES)."""
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in GENERATED_NAMES for part in rel.parts):
            continue
        if path.is_file() or path.is_symlink():
            yield rel


CONTENT_DIFFERS = "content differs"


def diff_trees(expected: Path, actual: Path) -> list[tuple[Path, str]]:
    """Every file that differs between two trees (paths and bytes), sorted by path, with why.

    ``expected`` is the fresh render, ``actual`` the committed copy.
    """
    expected_files = set(iter_files(expected))
    actual_files = set(iter_files(actual))
    problems: list[tuple[Path, str]] = []
    for rel in sorted(expected_files | actual_files):
        if rel not in actual_files:
            problems.append((rel, f"rendered, but missing from {actual}"))
        elif rel not in expected_files:
            problems.append((rel, f"in {actual}, but no longer rendered"))
        elif _content(expected / rel) != _content(actual / rel):
            problems.append((rel, CONTENT_DIFFERS))
    return problems


def _content(path: Path) -> bytes:
    if path.is_symlink():
        return b"symlink -> " + str(path.readlink()).encode()
    return path.read_bytes()
