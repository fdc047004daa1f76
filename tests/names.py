"""The identifiers generated code binds, read from a rendered project, and a spec that uses them.

Issue 12 asks that a domain or field may be called like any name the template's own code uses.
Rather than a hand-kept list, the names come from the rendered source itself: every Python file
a domain's answer shaped (it mentions one of the domain's names) is parsed, and every identifier
it binds or passes is collected: modules and names imported, classes, functions, parameters,
variables, attributes assigned, keyword arguments, and identifier-like string constants (JSON
keys, query parameters, SQL aliases), each also in snake_case when written in camelCase.
`colliding_domains` then builds a `domains` answer whose field names are all of those the
validator accepts (over every field type, required and optional) and whose domain names are the
names the generated code binds most often.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from extension import domains_extension

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _snake(name: str) -> str:
    return CAMEL_BOUNDARY.sub("_", name).lower()


def _bound(node: ast.AST) -> Iterator[str]:
    """The names `node` binds, uses or passes by name (one node, not its children)."""
    match node:
        case ast.Name(id=name):  # bound, or used: a field must not shadow what is used either
            yield name
        case ast.arg(arg=name):
            yield name
        case ast.FunctionDef(name=name) | ast.AsyncFunctionDef(name=name) | ast.ClassDef(name=name):
            yield name
        case ast.alias(name=name, asname=asname):
            yield asname or name.split(".")[0]
            yield from name.split(".")
        case ast.keyword(arg=str(name)):
            yield name
        case ast.Attribute(attr=name, ctx=ast.Store()):
            yield name
        case ast.ExceptHandler(name=str(name)):
            yield name
        case ast.Global(names=names) | ast.Nonlocal(names=names):
            yield from names
        case ast.Constant(value=str(text)) if IDENTIFIER.fullmatch(text):
            yield text


def generated_identifiers(project: Path, marks: Iterable[str]) -> Counter[str]:
    """How often each identifier is bound in the project's files that mention any of `marks`."""
    marks = tuple(marks)
    counts: Counter[str] = Counter()
    for path in sorted(project.rglob("*.py")):
        if ".venv" in path.parts:
            continue
        source = path.read_text()
        if not any(mark in source for mark in marks):
            continue
        for node in ast.walk(ast.parse(source)):
            for name in _bound(node):
                counts[name] += 1
                if _snake(name) != name:
                    counts[_snake(name)] += 1
    return counts


def domain_marks(domains: dict[str, Any]) -> set[str]:
    """Text that only code shaped by these domains contains: their names in every spelling (their
    fields live in the same files; field names alone are words any file may hold)."""
    ext = domains_extension()
    marks: set[str] = set()
    for domain in ext.normalise(domains):
        marks |= {domain["name"], domain["pkg"], domain["class_name"], domain["plural"]}
    return marks


def field_kinds() -> list[Any]:
    """Every field type (an enum, a reference), required then optional: the specs a field
    cycles through."""
    ext = domains_extension()
    # A reference names `user`: every answer has it, whatever its domains are called.
    required: list[Any] = [
        *ext.FIELD_TYPES,
        {"enum": ["PENDING", "IN PROGRESS", "DONE"]},
        {"ref": "user"},
    ]
    optional = [
        {**kind, "optional": True} if isinstance(kind, dict) else f"{kind}?" for kind in required
    ]
    return required + optional


def colliding_domains(identifiers: Counter[str], domain_count: int) -> dict[str, Any]:
    """A `domains` answer named after `identifiers`, every spec in it accepted by the validator.

    Domains: the `domain_count` identifiers bound most often that the validator accepts as a
    domain name. Fields: every identifier the validator accepts as a field of one of them, dealt
    round-robin to the domains and through `field_kinds()`; a name refused in a domain (its own
    id, say) goes to the next one.
    """
    ext = domains_extension()
    ranked = sorted(identifiers, key=lambda name: (-identifiers[name], name))
    probe = {"fields": {"probe_field": "text"}}
    chosen: dict[str, Any] = {}
    for name in ranked:
        if len(chosen) == domain_count:
            break
        if not ext.domain_problem({**chosen, name: probe}):
            chosen[name] = probe
    assert len(chosen) == domain_count, f"only {len(chosen)} identifiers work as domain names"
    domains: dict[str, Any] = {name: {"fields": {}} for name in chosen}
    kinds = field_kinds()
    names = list(domains)
    dealt = 0
    for field in sorted(identifiers):
        for attempt in range(len(names)):
            domain = names[(dealt + attempt) % len(names)]
            fields = domains[domain]["fields"]
            fields[field] = kinds[dealt % len(kinds)]
            if not ext.domain_problem({domain: domains[domain]}):
                dealt += 1
                break
            del fields[field]
    return domains


def field_count(domains: dict[str, Any]) -> int:
    return sum(len(spec["fields"]) for spec in domains.values())


def names_a_domain_could_take(project: Path, marks: Iterable[str]) -> set[str]:
    """Every module and class name the files shaped by the domains (those mentioning `marks`)
    define or import, as a domain name would spell it (`Page` -> page, `AsyncIterator` ->
    async_iterator), and the names whose classes would be those the domains' code defines
    (`UnknownOwnerError` ends as a domain's `<Class>NotFoundError` does? then its stem too).

    A domain called so must render, lint, type-check and pass: the generated code reaches other
    modules' classes through their modules, so no such name is refused for shadowing one.
    """
    marks = tuple(marks)
    own = tuple(mark for mark in marks if mark[:1].isupper())
    modules: set[str] = set()
    classes: set[str] = set()
    for path in sorted(project.rglob("*.py")):
        source = path.read_text()
        if ".venv" in path.parts or not any(mark in source for mark in marks):
            continue
        modules.add(path.stem)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.alias):
                for part in [*node.name.split("."), node.asname or ""]:
                    (classes if part[:1].isupper() else modules).add(part)
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules.update(node.module.split("."))
            elif isinstance(node, ast.ClassDef):
                classes.add(node.name)
    # The affixes the template puts around a domain's class (New<Class>, <Class>NotFoundError):
    # a class of the code's own with such an affix names the domain that would define it too.
    affixes = {
        (name[: name.index(mark)], name[name.index(mark) + len(mark) :])
        for name in classes
        for mark in own
        if mark in name
    }
    stems = {
        name[len(prefix) : len(name) - len(suffix)]
        for name in classes
        for prefix, suffix in affixes
        if (prefix or suffix)
        and name.startswith(prefix)
        and name.endswith(suffix)
        and len(name) > len(prefix) + len(suffix)
    }
    names = {_snake(name) for name in classes | stems if not any(m in name for m in own)}
    names |= {name for name in modules if name and not any(m in name for m in marks)}
    return {name for name in names if name.isidentifier() and name == name.lower()}


def accepted_domain_names(names: Iterable[str]) -> dict[str, Any]:
    """A `domains` answer with each of `names` the validator accepts beside the others, each
    with a text field (and its first a reference, so references are exercised too)."""
    ext = domains_extension()
    chosen: dict[str, Any] = {}
    for name in sorted(names):
        spec: dict[str, Any] = {"fields": {"label": "text"}}
        if not ext.domain_problem({**chosen, name: spec}):
            chosen[name] = spec
    return chosen
