"""Render the working tree into a directory (``make render DEST=...``).

Usage: python scripts/render.py DEST [question=answer ...]

Unanswered questions take their defaults. DEST must be absent, empty, or a previous render
(it holds a .copier-answers.yml), which is then replaced.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from rendering import ANSWERS_FILE, render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("answers", nargs="*", metavar="question=answer")
    args = parser.parse_args(argv)
    data = {}
    for item in args.answers:
        question, sep, answer = item.partition("=")
        if not sep:
            parser.error(f"expected question=answer, got {item!r}")
        data[question] = answer
    dest: Path = args.dest.resolve()
    if dest.exists() and any(dest.iterdir()):
        if not (dest / ANSWERS_FILE).is_file():
            print(f"render: {dest} is not empty and not a previous render", file=sys.stderr)
            return 2
        shutil.rmtree(dest)
    started = time.perf_counter()
    try:
        render(dest, data)
    except ValueError as error:
        print(f"render: {error}", file=sys.stderr)
        return 1
    print(f"Rendered into {dest} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
