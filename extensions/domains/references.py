"""References between domains (`{ref: product}`): the graph the answer's reference fields make,
whether it can be migrated (known targets, no cycle), the order tables are created in, and what
each reference and each domain's generated tests need of the domains they reference."""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from .fieldtypes import REF_TARGET_USER, ref_of

if TYPE_CHECKING:
    from .model import Domain

# The namespace of the ids the generated tests give the rows they reference (see ref_samples).
_REF_NAMESPACE = uuid.UUID("6f1c2b1e-8f0a-4c8e-9a51-3d0c7e6b2a10")


def _references(domains: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per domain, its reference fields' targets (field -> target domain), in field order."""
    return {
        name: {
            field_name: ref[0]
            for field_name, field_spec in spec["fields"].items()
            if (ref := ref_of(field_spec)) is not None
        }
        for name, spec in domains.items()
    }


def reference_problem(domains: dict[str, Any]) -> str:
    """Whether the references between domains can be made: known targets, no domain referring
    to itself, no cycle (each domain's table must be created after the tables it references)."""
    refs = _references(domains)
    for name, targets in refs.items():
        for field_name, target in targets.items():
            where = f"domains: {name}.{field_name}"
            if target == name:
                return (
                    f"{where} references its own domain {name!r}; a domain cannot reference "
                    "itself (its first row could reference none, and each domain's migration "
                    "and tests create the rows it references first)"
                )
            if target != REF_TARGET_USER and target not in domains:
                return (
                    f"{where} references {target!r}, which is not a domain of the answer; "
                    f"a reference names one of them ({', '.join(domains)}) or user"
                )
    # Depth-first search for a cycle, reported in the order it runs.
    state: dict[str, int] = {}  # 1: on the path being explored, 2: done

    def visit(name: str, path: list[str]) -> list[str]:
        state[name] = 1
        for target in dict.fromkeys(refs[name].values()):
            if target == REF_TARGET_USER:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target] if target in path else [name, target]
            if target not in state:
                cycle = visit(target, [*path, target])
                if cycle:
                    return cycle
        state[name] = 2
        return []

    for name in domains:
        if name not in state:
            cycle = visit(name, [name])
            if cycle:
                return (
                    f"domains: the references {' -> '.join(cycle)} form a cycle; a domain's "
                    "table is created after the tables it references, so references must not "
                    "lead back to where they start; remove one of them"
                )
    return ""


def _dependency_order(domains: dict[str, Any]) -> list[str]:
    """The domain names, each after the domains it references (the answer's order otherwise)."""
    refs = _references(domains)
    ordered: list[str] = []

    def place(name: str) -> None:
        if name in ordered:
            return
        for target in refs[name].values():
            if target != REF_TARGET_USER:
                place(target)
        ordered.append(name)

    for name in domains:
        place(name)
    return ordered


def link_references(domains: dict[str, Any], built: dict[str, Domain]) -> None:
    """Completes the domains `normalise` built: each reference field with what its code and SQL
    name of its target, each domain with the domains it references and is referenced by, and the
    rows its generated tests create first."""
    order = _dependency_order(domains)
    for domain in built.values():
        for f in domain.refs:
            assert f.ref is not None
            target = f.ref["target"]
            if target == REF_TARGET_USER:
                f.ref.update(table_sql="users", id_column="user_id", title="user", pkg="user")
                f.ref.update(class_name="User", route="users")
            else:
                f.ref.update(_target(built[target]))
                del f.ref["name"]
            f.ref["constraint"] = constraint_name(f"{domain.table}_{f.name}_fkey")
            f.ref["sql"] = (
                f"CONSTRAINT {f.ref['constraint']} "
                f"REFERENCES {f.ref['table_sql']} ({f.ref['id_column']}) "
                f"ON DELETE {f.ref['on_delete'].upper()}"
            )
    for name, domain in built.items():
        targets = list(dict.fromkeys(f.ref["target"] for f in domain.refs if f.ref))
        domain.requires = [t for t in targets if t != REF_TARGET_USER]
        domain.targets = [_target(built[t]) for t in domain.requires]
        cascades = [f for f in domain.refs if f.ref and f.ref["on_delete"] == "cascade"]
        domain.user_cascades = [f.name for f in cascades if f.ref["target"] == REF_TARGET_USER]
        domain.cascade_targets = [
            {**_target(built[t]), "fields": [f.name for f in cascades if f.ref["target"] == t]}
            for t in domain.requires
            if any(f.ref["target"] == t for f in cascades)
        ]
        domain.lock_columns = [("id", domain.id_column), ("user_id", "user_id")]
        domain.lock_columns += [(f.name, f.column) for f in cascades]
        domain.referenced_by = [
            other.name
            for other in built.values()
            if any(f.ref and f.ref["target"] == name for f in other.refs)
        ]
        closure = _closure(domains, name)
        # The rows its generated tests create first, each after those it references: every
        # field at its first sample (a reference's first sample is such a row's id).
        domain.seed_order = [
            {
                **_target(built[t]),
                "body": {f.camel: f.samples[0] for f in built[t].fields},
                "ids": ref_samples(t),
            }
            for t in order
            if t in closure
        ]
        if domain.referenced_by:  # the rows the referencing domains' tests create first
            domain.seed_ids = ref_samples(name)
            domain.seed_body = {f.camel: f.samples[0] for f in domain.fields}
        if any(
            f.ref and f.ref["target"] == REF_TARGET_USER
            for seeded in [name, *closure]
            for f in built[seeded].refs
        ):
            domain.seed_users = ref_samples(REF_TARGET_USER)


def ref_samples(target: str) -> list[str]:
    """The ids the generated tests give the rows of `target` they create for references to it,
    in ascending order (as Postgres orders UUIDs): the samples of every field referencing it."""
    return sorted(str(uuid.uuid5(_REF_NAMESPACE, f"{target}/{index}")) for index in range(3))


def constraint_name(name: str) -> str:
    """`name` as Postgres keeps it (at most 63 bytes): a longer one is cut and made unique again
    with a digest of the whole, so that the store can tell which reference a violation names."""
    if len(name) <= 63:
        return name
    return f"{name[:54]}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def _target(domain: Domain) -> dict[str, Any]:
    """What the code of a domain referencing `domain` names of it."""
    return {
        "name": domain.name,
        "pkg": domain.pkg,
        "class_name": domain.class_name,
        "title": domain.title,
        "plural": domain.plural,
        "route": domain.route,
        "table_sql": domain.table_sql,
        "id_column": domain.id_column,
    }


def _closure(domains: dict[str, Any], name: str) -> set[str]:
    """The domains `name` references, directly or through others (never `user`)."""
    refs = _references(domains)
    found: set[str] = set()
    waiting = [name]
    while waiting:
        for target in refs[waiting.pop()].values():
            if target != REF_TARGET_USER and target not in found:
                found.add(target)
                waiting.append(target)
    return found
