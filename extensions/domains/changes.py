"""One domain's change: its recorded fields against the answer's, made into the statements of
its next migration, or refused when the change would lose or rewrite data the domain does not
say what to do with (`drop`, `retype`, `backfill`)."""

from __future__ import annotations

from typing import Any

from .fieldtypes import ENUM, FIELD_TYPES, field_kind, ref_of
from .names import plural_of, sql_name


def step(
    name: str,
    spec: dict[str, Any],
    past: list[dict[str, Any]],
    fields: dict[str, Any],
    domain: dict[str, Any],
) -> tuple[str, dict[str, Any] | None, list[str], list[str]]:
    """The next migration of domain `name` (`spec` its answer, `domain` as normalised), from the
    fields its recorded migrations `past` bring its table to, to the answer's `fields`:
    (problem, record entry or None when nothing changed, SQL statements, notes)."""
    plural = past[0].get("plural", f"{name}s")
    if plural_of(name, spec) != plural:
        return (
            f"domains: {name!r} has the plural {plural!r} in its migrations, which named its "
            "table; a migrated domain's plural cannot change",
            None,
            [],
            [],
        )
    before: dict[str, Any] = past[-1]["fields"]
    if _comparable(before) == _comparable(fields):  # reordering fields or enum values: no change
        return "", None, [], []
    table = domain["table_sql"]
    columns = {f["name"]: f for f in domain["fields"]}
    drop, retype = spec.get("drop", []), spec.get("retype", [])
    backfill = spec.get("backfill", {})
    statements: list[str] = []
    notes: list[str] = []
    used: dict[str, Any] = {}
    for field_name in before:
        if field_name not in fields and field_name not in drop:
            return (
                f"domains: {name}.{field_name} is gone from `fields` but its column holds data; "
                f"add `drop: [{field_name}]` to {name!r} to drop the column, or keep the field",
                None,
                [],
                [],
            )
        if field_name not in fields:
            statements.append(f"ALTER TABLE {table} DROP COLUMN {sql_name(field_name)};")
            used.setdefault("drop", []).append(field_name)
    for field_name, now in fields.items():
        f = columns[field_name]
        column = f["column"]
        was = before.get(field_name)
        kind, optional, enum = field_kind(now)
        references = _references_clause(f)
        if was is not None and ref_of(was) != ref_of(now):
            return (
                f"domains: {name}.{field_name} changes from {_describe(was)} to "
                f"{_describe(now)}; a reference's target and delete rule are fixed once "
                f"migrated: add a new field (and `drop: [{field_name}]`) instead",
                None,
                [],
                [],
            )
        if was is None and references:  # a new reference: its column is looked up by id
            index = f"CREATE INDEX {domain['table']}_{field_name}_idx ON {table} ({column});"
        else:
            index = ""
        if was is None:
            if optional:
                statements.append(
                    f"ALTER TABLE {table} ADD COLUMN {column} {f['sql_type']} NULL{references};"
                )
                statements += [index] if index else []
                continue
            if field_name not in backfill:
                return _needs_backfill(name, field_name, "a new required field"), None, [], []
            value = _sql_literal(backfill[field_name])
            statements.append(
                f"ALTER TABLE {table} ADD COLUMN {column} {f['sql_type']} NOT NULL DEFAULT {value}"
                f"{references};"
            )
            statements.append(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT;")
            statements += [index] if index else []
            used.setdefault("backfill", {})[field_name] = backfill[field_name]
            continue
        old_kind, old_optional, old_enum = field_kind(was)
        if old_kind != kind or (kind == ENUM and not set(old_enum) <= set(enum)):
            if field_name not in retype:
                return (
                    f"domains: {name}.{field_name} changes from {_describe(was)} to "
                    f"{_describe(now)}, which rewrites or refuses values its rows hold; add "
                    f"`retype: [{field_name}]` to {name!r} to allow it",
                    None,
                    [],
                    [],
                )
            used.setdefault("retype", []).append(field_name)
            old_sql = FIELD_TYPES[old_kind].sql_type if old_kind in FIELD_TYPES else "TEXT"
            if old_sql != f["sql_type"]:
                statements.append(
                    f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {f['sql_type']} "
                    f"USING {column}::{f['sql_type']};"
                )
            else:
                notes.append(
                    f"{field_name}: {_describe(was)} -> {_describe(now)}, the same SQL type "
                    f"({f['sql_type']}); the service checks the new rule"
                )
                statements.append(_type_comment(table, column, now))
            if kind == ENUM:
                allowed = ", ".join(_sql_literal(v) for v in enum)
                statements.append(
                    "DO $$\nBEGIN\n"
                    f"    IF EXISTS (SELECT 1 FROM {table} WHERE {column} NOT IN ({allowed})) "
                    "THEN\n"
                    f"        RAISE EXCEPTION '{domain['table']}.{field_name} holds values "
                    "its enum no longer has: update those rows first';\n"
                    "    END IF;\nEND $$;"
                )
        elif kind == ENUM and set(enum) != set(old_enum):
            added = ", ".join(v for v in enum if v not in old_enum)
            notes.append(
                f"{field_name} accepts {added}: its column is TEXT and the service checks the "
                "values, so only the column's comment changes"
            )
            statements.append(_type_comment(table, column, now))
        if old_optional and not optional:
            if field_name not in backfill:
                return _needs_backfill(name, field_name, "a field made required"), None, [], []
            value = _sql_literal(backfill[field_name])
            statements.append(f"UPDATE {table} SET {column} = {value} WHERE {column} IS NULL;")
            statements.append(f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;")
            used.setdefault("backfill", {})[field_name] = backfill[field_name]
        elif optional and not old_optional:
            statements.append(f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL;")
    return "", {"fields": fields, **used}, statements, notes


def _references_clause(f: dict[str, Any]) -> str:
    """` REFERENCES <table> (<id>) ON DELETE ...` for a reference field's column, else ""."""
    ref = f.get("ref")
    if not ref:
        return ""
    return f" {ref['sql']}"


def _type_comment(table: str, column: str, spec: Any) -> str:
    """A statement recording a field's type on its column, for a change SQL does not see."""
    return f"COMMENT ON COLUMN {table}.{column} IS {_sql_literal(_describe(spec))};"


def _needs_backfill(domain: str, field_name: str, what: str) -> str:
    return (
        f"domains: {domain}.{field_name} is {what}, and rows already in the table have no value "
        f"for it; give one with `backfill: {{{field_name}: VALUE}}` in {domain!r}, or make the "
        "field optional"
    )


def _describe(spec: Any) -> str:
    kind, optional, enum = field_kind(spec)
    ref = ref_of(spec)
    shown = f"enum ({', '.join(map(str, enum))})" if kind == ENUM else str(kind)
    if ref is not None:
        shown = f"ref {ref[0]} (on delete {ref[1]})"
    return f"{shown} (optional)" if optional else shown


def _comparable(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        name: (kind, optional, sorted(enum), ref_of(spec))
        for name, spec in fields.items()
        for kind, optional, enum in [field_kind(spec)]
    }


def _sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text.replace("'", "''") + "'"
