"""What copier.yml names: the Jinja extension and context hooks of the package domains/ beside.

copier-template-extensions imports a file named by path as a lone module
(`copier_template_extensions.<stem>`), outside any package, so the file it imports cannot reach
the package's modules by relative imports, and the template is not on sys.path. This file loads
domains/ as a package itself, from its path, and gives Copier the package's classes.
"""

from __future__ import annotations

import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType

PACKAGE = Path(__file__).resolve().parent / "domains"
# The package's name in sys.modules, where its modules' relative imports and dataclasses find it.
PACKAGE_NAME = "litestar_template_domains"


def load_package() -> ModuleType:
    """The package, executed afresh from PACKAGE.

    Each load replaces the previous one in sys.modules, as copier-template-extensions does with
    the files it imports: one process renders the old and the new template of an update, and
    each must run its own version of the package.
    """
    for name in [n for n in sys.modules if n == PACKAGE_NAME or n.startswith(f"{PACKAGE_NAME}.")]:
        del sys.modules[name]
    spec = spec_from_file_location(
        PACKAGE_NAME, PACKAGE / "__init__.py", submodule_search_locations=[str(PACKAGE)]
    )
    assert spec is not None and spec.loader is not None, f"cannot load {PACKAGE}"
    package = module_from_spec(spec)
    sys.modules[PACKAGE_NAME] = package
    spec.loader.exec_module(package)
    return package


domains = load_package()
DomainsExtension = domains.DomainsExtension
DomainsContext = domains.DomainsContext
EvolutionContext = domains.EvolutionContext
