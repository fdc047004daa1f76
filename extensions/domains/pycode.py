"""The Python the templates write for a domain, as text: a field's conversions between layers,
annotations that a field's name would shadow, and ruff's formatting of the generated code."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any


def to_app_expr(field: dict[str, Any], value: str) -> str:
    """Python expression turning business value `value` of `field` into its JSON value."""
    return _maybe_none(field, value, field["to_app"])


def to_db_expr(field: dict[str, Any], value: str, nullable: bool = True) -> str:
    """Python expression turning business value `value` of `field` into its SQL parameter."""
    return _maybe_none({**field, "optional": field["optional"] and nullable}, value, field["to_db"])


def to_json_expr(field: dict[str, Any], value: str) -> str:
    """Python expression turning business value `value` of `field` into its audit JSON value."""
    return _maybe_none(field, value, field["to_json"])


def to_bus_expr(field: dict[str, Any], value: str) -> str:
    """Python expression turning SQL value `value` of `field` into its business value."""
    return _maybe_none(field, value, field["to_bus"])


def _maybe_none(field: dict[str, Any], value: str, template: str) -> str:
    expression = template.replace("{v}", value)
    if not field["optional"] or expression == value:
        return expression
    return f"None if {value} is None else {expression}"


def annotation(type_name: str, domain: dict[str, Any]) -> str:
    """`type_name` as the domain's class bodies write it: through its alias when a field shadows
    it, or the module it is reached through (`types.Money` -> `_types.Money`)."""
    head, dot, rest = type_name.partition(".")
    return f"_{head}{dot}{rest}" if head in domain["shadowed"] else type_name


def type_aliases(domain: dict[str, Any], used: list[str]) -> str:
    """Module-level aliases for the types and modules in `used` that a field of the domain
    shadows."""
    names = sorted({name.partition(".")[0] for name in used} & set(domain["shadowed"]))
    if not names:
        return ""
    return "\n".join(
        ["# Fields are called like these: the class bodies below name them by aliases no field"]
        + ["# can take, since a later annotation there would mean the field."]
        + [f"_{name} = {name}" for name in names]
    )


def pyformat(source: str, package: str, python_version: str = "3.11") -> str:
    """`source` as the rendered project's ruff formats it: imports sorted, code formatted.

    Generated code varies with the names in the answers, so no hand layout suits every answer;
    formatting it while rendering keeps every render lint-clean, and deterministic for updates.
    """
    ruff = _ruff()
    settings = [
        "--isolated",
        "--line-length=100",
        f"--target-version=py{python_version.replace('.', '')}",
        "--config",
        f"lint.isort.known-first-party=['{package}']",
        # As template/pyproject.toml.jinja has it: `tests.*` right after the package, whatever
        # the package is called.
        "--config",
        "lint.isort.section-order=['future', 'standard-library', 'third-party', 'first-party', "
        "'tests', 'local-folder']",
        "--config",
        "lint.isort.no-lines-before=['tests']",
        "--config",
        "lint.isort.sections={tests=['tests']}",
    ]
    sorted_imports = _run(
        [
            ruff,
            "check",
            "--fix",
            "--select=I",
            "--exit-zero",
            *settings,
            "--stdin-filename=generated.py",
            "-",
        ],
        source,
    )
    return _run([ruff, "format", *settings, "--stdin-filename=generated.py", "-"], sorted_imports)


def _ruff() -> str:
    try:
        from ruff.__main__ import find_ruff_bin

        return str(find_ruff_bin())
    except ImportError:
        found = shutil.which("ruff")
        if found:
            return found
    raise RuntimeError(
        "rendering domains needs ruff next to copier: "
        "uvx --with copier-template-extensions --with ruff copier ..."
    )


def _run(command: list[str], source: str) -> str:
    done = subprocess.run(command, input=source, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ruff could not format generated code:\n{done.stderr}\n{source}")
    return done.stdout
