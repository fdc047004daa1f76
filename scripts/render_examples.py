"""Regenerate ``examples/`` from the working tree with the default answers (``make examples``)."""

from __future__ import annotations

import sys
import time

from rendering import EXAMPLES_DIR, REPO_ROOT, iter_files, write_examples


def main() -> int:
    started = time.perf_counter()
    try:
        project = write_examples(EXAMPLES_DIR)
    except ValueError as error:  # an answer refused by a validator: the defaults are broken
        print(f"render_examples: {error}", file=sys.stderr)
        return 1
    count = sum(1 for _ in iter_files(project))
    elapsed = time.perf_counter() - started
    print(f"Rendered {count} files into {project.relative_to(REPO_ROOT)}/ in {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
