"""extensions/domains/, loaded as Copier loads it: through extensions/load_domains.py, imported by
path (neither is a package of this repository)."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

ENTRY = Path(__file__).resolve().parent.parent / "extensions" / "load_domains.py"
MODULE_NAME = "template_extensions_load_domains"


@cache
def domains_extension() -> ModuleType:
    """The package (its __init__ gathers what the tests use), loaded once."""
    spec = importlib.util.spec_from_file_location(MODULE_NAME, ENTRY)
    assert spec is not None and spec.loader is not None, f"cannot load {ENTRY}"
    entry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(entry)
    return entry.domains


def generated_test_files(answer: dict[str, object]) -> dict[str, list[str]]:
    """Per domain name, the rendered test files its slice generates (relative to the project)."""
    return {
        domain["name"]: [
            f"tests/business/domain/{domain['pkg']}bus/test_{domain['pkg']}bus.py",
            f"tests/api/services/sales/test_{domain['pkg']}_api.py",
        ]
        for domain in domains_extension().normalise(answer)
    }
