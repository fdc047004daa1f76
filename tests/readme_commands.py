"""Commands a README gives, found and run exactly as written."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Run, Runner

# How the READMEs run Copier: with the extensions the template loads.
UVX_COPIER = "uvx --with copier-template-extensions --with ruff"
FENCED = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks_after(text: str, anchor: str, lang: str) -> tuple[str]:
    """The first fenced ``lang`` block after ``anchor`` (said once) in a README."""
    __tracebackhide__ = True
    assert text.count(anchor) == 1, f"the README no longer says {anchor!r} (once)"
    blocks = [body for kind, body in FENCED.findall(text[text.index(anchor) :]) if kind == lang]
    assert blocks, f"no {lang} block after {anchor!r}"
    return (blocks[0],)


def run_as_written(project: Path, command: str, run_in_project: Runner) -> Run:
    """A README's command line, by bash, in the project, with nothing of this repository's env
    (git's identity from pytest-gitconfig's files, which Copier's own commits need)."""
    git_env = {name: value for name, value in os.environ.items() if name.startswith("GIT_")}
    return run_in_project(
        project,
        ["bash", "-c", command],
        env=git_env,
        label=f"{command.removeprefix(UVX_COPIER).lstrip()} [README]",
    )
