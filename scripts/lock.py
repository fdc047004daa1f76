"""Regenerate ``template/uv.lock.jinja`` from the working tree (``make lock``).

Usage: python scripts/lock.py [uv lock option ...]   e.g. --upgrade, --upgrade-package litestar

Renders the defaults into a temporary directory (the render already holds the current template
lock, so `uv lock` keeps every pin it can and only resolves what pyproject.toml changed), runs
`uv lock` there with the given options, and writes the lock back with the project's own name
replaced by ``{{ project_slug }}``. The lock does not depend on any other answer:
requires-python is the same floor for every python_version.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

from rendering import REPO_ROOT, read_answers, render

LOCK_TEMPLATE = REPO_ROOT / "template" / "uv.lock.jinja"
SLUG_PLACEHOLDER = "{{ project_slug }}"
JINJA_DELIMITERS = ("{{", "}}", "{%", "%}", "{#", "#}")

# The project's own entry in the lock: the one package whose source is the project directory.
_OWN_SOURCE = re.compile(r'^source = \{ (?:editable|virtual) = "\." \}$', re.MULTILINE)
_PACKAGE_HEADER = re.compile(r"^\[\[package\]\]$", re.MULTILINE)

# `uv run` (make lock) exports these for this repository's own venv; the render has its own.
_DROPPED_ENV = ("VIRTUAL_ENV", "UV_RUN_RECURSION_DEPTH")


def templatize(lock: str, slug: str) -> str:
    """``lock`` with the project's own name (the ``name = "<slug>"`` line of the package whose
    source is ``.``) replaced by the placeholder. Raises ``ValueError`` when the result would not
    render back to ``lock`` exactly for that slug, or would name the project anywhere else."""
    found = [delimiter for delimiter in JINJA_DELIMITERS if delimiter in lock]
    if found:
        raise ValueError(f"the lock contains Jinja delimiters {found}: wrap it in {{% raw %}}")
    name_line = f'name = "{slug}"'
    starts = [match.start() for match in _PACKAGE_HEADER.finditer(lock)] + [len(lock)]
    blocks = [lock[: starts[0]]] + [lock[a:b] for a, b in pairwise(starts)]
    own = [
        index
        for index, block in enumerate(blocks)
        if _OWN_SOURCE.search(block) and f"\n{name_line}\n" in block
    ]
    if len(own) != 1:
        raise ValueError(f"expected one package {name_line} with source '.', found {len(own)}")
    blocks[own[0]] = blocks[own[0]].replace(
        f"\n{name_line}\n", f'\nname = "{SLUG_PLACEHOLDER}"\n', 1
    )
    result = "".join(blocks)
    if f'"{slug}"' in result:
        raise ValueError(f'the lock names "{slug}" outside its own package entry')
    if result.replace(SLUG_PLACEHOLDER, slug) != lock:  # cannot happen: the only edit is undone
        raise ValueError("the templated lock does not render back to the lock")
    return result


def main(argv: list[str] | None = None) -> int:
    uv_lock_args = sys.argv[1:] if argv is None else argv
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lock-") as tmp:
        project = Path(tmp) / "project"
        try:
            render(project)
        except ValueError as error:
            print(f"lock: {error}", file=sys.stderr)
            return 1
        slug = read_answers(project)["project_slug"]
        env = {name: value for name, value in os.environ.items() if name not in _DROPPED_ENV}
        command = ["uv", "lock", *uv_lock_args]
        if subprocess.run(command, cwd=project, env=env, check=False).returncode:
            print(f"lock: `{' '.join(command)}` failed in a default render", file=sys.stderr)
            return 1
        try:
            text = templatize((project / "uv.lock").read_text(encoding="utf-8"), slug)
        except ValueError as error:
            print(f"lock: {error}", file=sys.stderr)
            return 1
    old = LOCK_TEMPLATE.read_text(encoding="utf-8") if LOCK_TEMPLATE.exists() else None
    LOCK_TEMPLATE.write_text(text, encoding="utf-8")
    state = "unchanged" if text == old else ("created" if old is None else "updated")
    rel = LOCK_TEMPLATE.relative_to(REPO_ROOT)
    print(f"{rel} {state} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
