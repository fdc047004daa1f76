"""Answer validation: `domain_problem`, the first rule a `domains` answer breaks, which copier.yml's
validator shows so that a bad answer is refused before anything is written."""

from __future__ import annotations

import keyword
import re
from typing import Any

from .fieldtypes import ENUM, FIELD_TYPES, REF, field_kind, ref_spec_problem
from .names import (
    BUILT_IN_APP_PACKAGES,
    BUILT_IN_DOMAINS,
    BUILTIN_NAMES,
    IMPLICIT_FIELDS,
    MAX_DOMAIN_NAME,
    MAX_NAME,
    MAX_PLURAL,
    ROUTE_PARAMETERS,
    SNAKE,
    TAKEN_PLURALS,
    camel_case,
    member_name,
    pascal_case,
    plural_of,
)
from .references import reference_problem

# The keys that change a migrated domain (see evolution.py), beside `fields` and `plural`.
EVOLUTION_KEYS = ("drop", "retype", "backfill")
# What a backfill value of each type must look like (the service's own rules, as text).
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_MONEY = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")
_NAME_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9' -]{2,19}$")


def domain_problem(domains: Any) -> str:
    """The first rule a `domains` answer breaks, naming the domain and the rule; "" when none."""
    if domains is None or domains == {}:
        return ""
    if not isinstance(domains, dict):
        return "domains must be a mapping of domain name to its spec (see the README)"
    plurals: dict[str, str] = {}
    packages: dict[str, str] = {}
    for name, spec in domains.items():
        problem = _name_problem(name) or _spec_problem(name, spec)
        if problem:
            return problem
        package = name.replace("_", "")
        if package in packages:
            return (
                f"domains: {name!r} and {packages[package]!r} would share the packages "
                f"{package}bus/{package}app; rename one"
            )
        packages[package] = name
        plural = plural_of(name, spec)
        if plural in TAKEN_PLURALS:
            return (
                f"domains: {name!r} has the plural {plural!r}, a table or route the service "
                "already has; give it a different `plural`"
            )
        if plural == f"{name}_views":
            return (
                f"domains: {name!r} has the plural {plural!r}: its list route's handler would be "
                f"query_{plural}, the name of its admin view route's; give it a different `plural`"
            )
        if plural in plurals:
            return (
                f"domains: {name!r} and {plurals[plural]!r} have the same plural {plural!r}; "
                "give one a different `plural`"
            )
        plurals[plural] = name
    for plural, name in plurals.items():
        if f"v{plural}" in plurals:  # /v1/v<plural> lists a domain's rows with their owners
            other = plurals[f"v{plural}"]
            return (
                f"domains: {other!r} has the plural 'v{plural}', so its route "
                f"/v1/v{plural.replace('_', '-')} would be the one listing {name!r} rows with "
                f"their owners; give {other!r} a different `plural`"
            )
    return reference_problem(domains)


def _name_problem(name: Any) -> str:
    if not isinstance(name, str) or not SNAKE.match(name):
        return f"domains: {name!r} must be a singular snake_case name such as work_order"
    if len(name) > MAX_DOMAIN_NAME:
        return f"domains: {name!r} must be at most {MAX_DOMAIN_NAME} characters"
    if keyword.iskeyword(name):
        return f"domains: {name!r} is a Python keyword"
    if pascal_case(name) in BUILTIN_NAMES:
        return (
            f"domains: {name!r} would be the class {pascal_case(name)}, a Python built-in that the "
            "generated code uses by that name; choose another name"
        )
    if name in BUILT_IN_DOMAINS or name.replace("_", "") in BUILT_IN_DOMAINS:
        taken = " and ".join(sorted(BUILT_IN_DOMAINS))
        return (
            f"domains: {name!r} would be the built-in {name.replace('_', '')} domain's packages "
            f"({taken} are built in, with their tables and routes); choose another name"
        )
    package = name.replace("_", "")
    if package in BUILT_IN_APP_PACKAGES:
        return (
            f"domains: {name!r} would render into app/domain/{package}app, which holds "
            f"{BUILT_IN_APP_PACKAGES[package]}; choose another name"
        )
    return ""


def _spec_problem(name: str, spec: Any) -> str:
    if not isinstance(spec, dict):
        return f"domains: {name!r} must be a mapping with `fields` (and optionally `plural`)"
    unknown = set(spec) - {"fields", "plural", *EVOLUTION_KEYS}
    if unknown:
        return (
            f"domains: {name!r} has unknown keys {sorted(unknown)}; use `fields` and `plural` "
            "(and, to change a migrated domain, `drop`, `retype` or `backfill`)"
        )
    plural = spec.get("plural")
    if plural is not None and (not isinstance(plural, str) or not SNAKE.match(plural)):
        return f"domains: {name!r} plural {plural!r} must be snake_case"
    if plural is not None and len(plural) > MAX_PLURAL:
        return f"domains: {name!r} plural {plural!r} must be at most {MAX_PLURAL} characters"
    fields = spec.get("fields")
    if not isinstance(fields, dict) or not fields:
        return f"domains: {name!r} needs `fields`, a mapping of field name to type"
    json_names: dict[str, str] = {}
    filters: dict[str, str] = {}
    for field_name, field_spec in fields.items():
        problem = _field_problem(name, field_name, field_spec)
        if problem:
            return problem
        camel = camel_case(field_name)
        if camel in json_names:
            return (
                f"domains: {name}.{field_name} and {name}.{json_names[camel]} have the same "
                f"JSON name {camel!r}; rename one"
            )
        json_names[camel] = field_name
        for query_name in sorted(_filter_names(field_name, field_spec)):
            if query_name in filters:
                return (
                    f"domains: {name}.{field_name} and {name}.{filters[query_name]} would both "
                    f"filter the list by {query_name!r}; rename one"
                )
            filters[query_name] = field_name
    return _evolution_keys_problem(name, spec)


def _field_problem(domain: str, name: Any, spec: Any) -> str:
    where = f"domains: {domain}.{name}"
    if not isinstance(name, str) or not SNAKE.match(name):
        return f"{where}: a field name must be snake_case"
    if len(name) > MAX_NAME:
        return f"{where}: a field name must be at most {MAX_NAME} characters"
    if keyword.iskeyword(name):  # soft keywords (type, match) are fine as attribute names
        return f"{where}: a field name must not be a Python keyword"
    if name in IMPLICIT_FIELDS or name == f"{domain}_id":
        return (
            f"{where}: {name!r} is an implicit column of every domain "
            f"({', '.join(sorted(IMPLICIT_FIELDS | {domain + '_id'}))})"
        )
    filters = _filter_names(name, spec) & ROUTE_PARAMETERS
    if filters:
        return (
            f"{where}: its query filter {sorted(filters)[0]!r} would be a parameter the list "
            f"route already has ({', '.join(sorted(ROUTE_PARAMETERS))}); choose another field name"
        )
    if isinstance(spec, dict) and REF in spec:
        problem = ref_spec_problem(spec)
        if problem:
            return f"{where}: {problem}"
    if isinstance(spec, str) and spec.removesuffix("?") == REF:
        return f"{where}: a reference names its domain: {{ref: product}} (or {{ref: user}})"
    kind, _, enum = field_kind(spec)
    if kind is None:
        return (
            f"{where}: unknown field type {spec!r}; use one of "
            f"{', '.join(FIELD_TYPES)} (a trailing ? makes it optional), {{enum: [...]}} or "
            "{ref: <domain>}"
        )
    if kind == ENUM:
        if not enum:
            return f"{where}: an enum needs at least one value"
        if not all(isinstance(value, str) and value.strip() for value in enum):
            return f"{where}: enum values must be non-empty strings"
        members = [member_name(value) for value in enum]
        if len(set(members)) != len(members) or len(set(enum)) != len(enum):
            return f"{where}: enum values must be distinct (also after upper-casing): {enum}"
    return ""


def _filter_names(name: str, spec: Any) -> set[str]:
    """The query parameters that filter a list by the field."""
    kind, _, _ = field_kind(spec)
    camel = camel_case(name)
    if kind in FIELD_TYPES and FIELD_TYPES[kind].filter == "range":
        return {f"{camel}From", f"{camel}To"}
    return {camel}


def _evolution_keys_problem(name: str, spec: dict[str, Any]) -> str:
    """The rules `drop`, `retype` and `backfill` follow on their own (without the record)."""
    fields = spec["fields"]
    for key in ("drop", "retype"):
        names = spec.get(key, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return f"domains: {name!r} `{key}` must be a list of field names"
    for dropped in spec.get("drop", []):
        if dropped in fields:
            return (
                f"domains: {name}.{dropped} is both in `fields` and in `drop`; "
                "a dropped field's column is removed, so take it out of one of them"
            )
    for retyped in spec.get("retype", []):
        if retyped not in fields:
            return f"domains: {name}.{retyped} is in `retype` but not in `fields`"
    backfill = spec.get("backfill", {})
    if not isinstance(backfill, dict):
        return f"domains: {name!r} `backfill` must be a mapping of field name to value"
    for field_name, value in backfill.items():
        if field_name not in fields:
            return f"domains: {name}.{field_name} is in `backfill` but not in `fields`"
        kind, _, enum = field_kind(fields[field_name])
        rule = _backfill_problem(kind, enum, value)
        if rule:
            return f"domains: {name}.{field_name} backfill {value!r} {rule}"
    return ""


def _backfill_problem(kind: str | None, enum: list[Any], value: Any) -> str:
    """Why `value` cannot fill a column of field type `kind` ("" when it can)."""
    if value is None:
        return "must not be null: it fills a required field"
    if kind == ENUM:
        return "" if value in enum else f"must be one of the enum's values {enum}"
    if kind == REF:
        return "" if _UUID.match(str(value)) else "must be the id (a UUID) of a referenced row"
    if kind in ("int", "quantity"):
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be a whole number"
        low, high = (0, 1_000_000) if kind == "quantity" else (-(2**31), 2**31 - 1)
        return "" if low <= value <= high else f"must be from {low} to {high}"
    if kind == "bool":
        return "" if isinstance(value, bool) else "must be true or false"
    text = str(value)  # YAML reads an unquoted 2024-01-31 as a date
    checks = {
        "text": (bool(text.strip()) and len(text) <= 1000, "must be 1 to 1000 characters"),
        "name": (bool(_NAME_VALUE.match(text)), "must be a valid name (3 to 20 characters)"),
        "email": ("@" in text.strip("@"), "must be an email address"),
        "money": (bool(_MONEY.match(text)), 'must be an amount such as "19.99"'),
        "date": (bool(_DATE.match(text)), "must be a date such as 2024-01-31"),
        "datetime": (
            bool(_DATETIME.match(text)),
            "must be a time with a UTC offset such as 2024-01-31T09:30:00Z",
        ),
    }
    ok, rule = checks.get(kind or "", (False, "has no known type"))
    if not isinstance(value, str) and kind not in ("date", "datetime", "money"):
        return "must be a string"
    return "" if ok else rule
