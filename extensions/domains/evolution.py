"""Evolution: a domain whose fields change after its migration was written.

A project records, in its answers file under `domain_migrations`, the spec each of a domain's
migrations brings its table to: entry 1 is `domains/<name>.sql`, entry N > 1 is
`domains/<name>.NNNN.sql`. Copier feeds the answers file back to all three renders of an update
(the old template's, the project's and the new template's), so each renders the same migrations
and the merge stays clean. When the `domains` answer no longer matches a domain's last entry,
the render adds the next migration, which alters the table and recreates the view; changes that
lose or rewrite data need the domain's explicit `drop`, `retype` or `backfill` keys (changes.py
writes a migration's SQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .changes import step
from .fieldtypes import ENUM, REF, REF_TARGET_USER, field_kind, ref_of
from .model import normalise
from .names import plural_of
from .validation import domain_problem

HISTORY_KEY = "domain_migrations"  # the answers file's record, next to the questions' answers
ANSWERS_FILE = ".copier-answers.yml"  # copier.yml's _answers_file


@dataclass
class Evolution:
    """What the record and the `domains` answer make of a render."""

    history: dict[str, list[dict[str, Any]]]  # the record to write: the answer's migrations
    steps: list[dict[str, Any]]  # the migrations to add: file, domain, statements, notes
    problem: str  # the first change refused, naming the domain, the field and the rule


def evolve(recorded: dict[str, Any] | None, domains: Any) -> Evolution:
    """Every domain migration after the first that an answer's domains have: those `recorded`
    (rendered again, so that each render of an update has the same files), then the next one of
    each domain whose fields no longer match its record. `recorded` None: a project without a
    record, every domain starts at its first migration."""
    history: dict[str, list[dict[str, Any]]] = {}
    steps: list[dict[str, Any]] = []
    if not domains or domain_problem(domains):
        return Evolution(history, steps, "")
    by_name = {d["name"]: d for d in normalise(domains)}
    for name, spec in domains.items():
        fields = {f: _canonical_field(s) for f, s in spec["fields"].items()}
        past = (recorded or {}).get(name)
        if not isinstance(past, list) or not past:
            history[name] = [{"plural": plural_of(name, spec), "fields": fields}]
            continue
        plural = past[0].get("plural", f"{name}s")
        for number in range(2, len(past) + 1):  # the recorded ones, as they were made
            entry = past[number - 1]
            then = {**entry, "plural": plural}
            # With the other domains, which the fields' references may name.
            replay = {**domains, name: {"plural": plural, "fields": entry["fields"]}}
            domain = next(d for d in normalise(replay) if d["name"] == name)
            _, _, statements, notes = step(name, then, past[: number - 1], entry["fields"], domain)
            steps.append(_step_file(name, number, domain, statements, notes))
        problem, made, statements, notes = step(name, spec, past, fields, by_name[name])
        if problem:
            return Evolution(history, steps, problem)
        history[name] = [*past, made] if made else list(past)
        if made:
            steps.append(_step_file(name, len(past) + 1, by_name[name], statements, notes))
    return Evolution(history, steps, "")


def _step_file(
    name: str, number: int, domain: dict[str, Any], statements: list[str], notes: list[str]
) -> dict[str, Any]:
    """Migration `number` of domain `name` (`domains/<name>.NNNN.sql`), as the templates read it."""
    return {
        "file": f"{name}.{number:04d}",
        "number": f"{number:04d}",
        "d": domain,
        "statements": statements,
        "notes": notes,
        # The domains whose tables the columns it adds reference: created before it.
        "requires": [
            f["ref"]["target"]
            for f in domain["fields"]
            if f["ref"]
            and f["ref"]["target"] != REF_TARGET_USER
            and any(f["ref"]["sql"] in s and f["column"] in s for s in statements)
        ],
        # Recreated around any ALTER TABLE: a view pins its columns and their types.
        "view": any(s.startswith("ALTER TABLE") for s in statements),
    }


def _canonical_field(spec: Any) -> Any:
    """A field spec as the record writes it: `type` or `type?`, `{enum: [...]}` (+ optional)."""
    kind, optional, enum = field_kind(spec)
    if kind == ENUM:
        return {ENUM: list(enum), "optional": True} if optional else {ENUM: list(enum)}
    ref = ref_of(spec)
    if ref is not None:
        target, on_delete = ref
        return {
            REF: target,
            **({"optional": True} if optional else {}),
            **({"on_delete": on_delete} if on_delete != "restrict" else {}),
        }
    return f"{kind}?" if optional else kind


def first_record(domains: Any) -> dict[str, Any] | None:
    """The record a project's last `domains` answer stands for when it has none (rendered before
    records were kept): each domain at its first migration. None for an answer refused."""
    if not isinstance(domains, dict) or domain_problem(domains):
        return None
    return {
        name: [
            {
                "plural": plural_of(name, spec),
                "fields": {f: _canonical_field(s) for f, s in spec["fields"].items()},
            }
        ]
        for name, spec in domains.items()
    }
