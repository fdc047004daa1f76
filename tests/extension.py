"""extensions/domains.py, imported by path as Copier loads it (it is not a package of this repo)."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

EXTENSION = Path(__file__).resolve().parent.parent / "extensions" / "domains.py"
MODULE_NAME = "template_extensions_domains"


@cache
def domains_extension() -> ModuleType:
    """The module, loaded once (its dataclasses need it registered in sys.modules)."""
    spec = importlib.util.spec_from_file_location(MODULE_NAME, EXTENSION)
    assert spec is not None and spec.loader is not None, f"cannot load {EXTENSION}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = module
    spec.loader.exec_module(module)
    return module


def generated_test_files(answer: dict[str, object]) -> dict[str, list[str]]:
    """Per domain name, the rendered test files its slice generates (relative to the project)."""
    return {
        domain["name"]: [
            f"tests/business/domain/{domain['pkg']}bus/test_{domain['pkg']}bus.py",
            f"tests/api/services/sales/test_{domain['pkg']}_api.py",
        ]
        for domain in domains_extension().normalise(answer)
    }
