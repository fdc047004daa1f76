"""README.md against the rules it states, so that neither changes without the other: the field
types, name limits, names refused and evolution keys of `domains` against extensions/domains/
(the validator itself), and the table of questions against copier.yml.

The README is read as a reader reads it: its markdown tables row by row, and the code spans of a
sentence (found by the words around them, on one line whatever the wrapping). Fast: no render.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from extension import domains_extension
from rendering import REPO_ROOT

ext = domains_extension()

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
PROSE = " ".join(README.split())
COPIER = yaml.safe_load((REPO_ROOT / "copier.yml").read_text(encoding="utf-8"))

# How the README's JSON column says the shape of a request body's annotation (a quoted example
# instead for the types JSON has no word for: dates and times).
JSON_SHAPES = {"str": "string", "int": "integer", "bool": "boolean", "uuid.UUID": "UUID string"}


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table(*header: str) -> list[list[str]]:
    """The rows (lists of cells) of the README's one markdown table with this header row."""
    lines = README.splitlines()
    starts = [i for i, line in enumerate(lines) if cells(line) == list(header)]
    assert len(starts) == 1, f"README.md has no single table headed {' | '.join(header)}"
    rows = []
    for line in lines[starts[0] + 2 :]:  # past the header and its |---| line
        if not line.strip().startswith("|"):
            break
        rows.append(cells(line))
    return rows


def spans(text: str) -> list[str]:
    """The code spans of markdown `text`, without their backticks."""
    return re.findall(r"`([^`]+)`", text)


def listed(before: str, after: str) -> set[str]:
    """The code spans of the README's prose between `before` (said once) and the next `after`,
    placeholders such as `<domain>_id` left out."""
    assert PROSE.count(before) == 1, f"README.md no longer says {before!r} (once)"
    rest = PROSE.split(before, 1)[1]
    assert after in rest, f"README.md says nothing ending in {after!r} after {before!r}"
    return {span for span in spans(rest.split(after, 1)[0]) if "<" not in span}


def field_of(spec: Any) -> dict[str, Any]:
    """Field `thing` of a domain `widget` with type `spec`, as the templates get it (beside a
    domain `product`, which a reference may name)."""
    answer = {"product": {"fields": {"title": "text"}}, "widget": {"fields": {"thing": spec}}}
    assert ext.domain_problem(answer) == "", f"the validator refuses the README's type {spec!r}"
    (widget,) = (domain for domain in ext.normalise(answer) if domain["name"] == "widget")
    return widget["fields"][0]


# --- `domains`: field types ----------------------------------------------------------------------

FIELD_TYPE_ROWS = {spans(row[0])[0]: row for row in table("field type", "JSON", "Postgres", "rule")}


def test_the_field_type_table_has_a_row_for_every_type_and_no_other() -> None:
    named = {
        kind
        for kind in FIELD_TYPE_ROWS
        if isinstance(yaml.safe_load(kind), str)  # `{enum: [A, B]}` and `{ref: product}` apart
    }
    assert named == set(ext.FIELD_TYPES), "README.md's field types are not FIELD_TYPES"
    kinds = {field_of(yaml.safe_load(kind))["type"] for kind in FIELD_TYPE_ROWS}
    assert kinds == {*ext.FIELD_TYPES, ext.ENUM, ext.REF}


@pytest.mark.parametrize("kind", list(FIELD_TYPE_ROWS))
def test_a_field_types_json_postgres_and_rule_are_the_validators(kind: str) -> None:
    _, json_shape, postgres, rule = FIELD_TYPE_ROWS[kind]
    field = field_of(yaml.safe_load(kind))
    assert spans(postgres)[:1] == [field["sql_type"]], f"{kind}: Postgres type"
    assert ("foreign key" in postgres) == (field["ref"] is not None), f"{kind}: foreign key"
    examples = re.findall(r'"([^"]*)"', json_shape)
    assert all(example in map(str, field["samples"]) for example in examples), (
        f"{kind}: the JSON example {examples} is not a value the type takes ({field['samples']})"
    )
    shape = JSON_SHAPES.get(field["input_type"])
    if shape:
        assert shape in json_shape, f"{kind}: JSON takes a {field['input_type']}: {shape}"
    else:
        assert json_shape.strip("`") == f'"{field["samples"][0]}"', f"{kind}: JSON example"
    # A type whose business rule refuses some values of the right shape says which.
    assert bool(rule) == (field["invalid"] is not None), f"{kind}: rule"


# --- `domains`: names ----------------------------------------------------------------------------


def test_the_name_limits_are_the_validators() -> None:
    found = re.search(
        r"a domain's name has at most (\d+) characters, its plural (\d+), a field's (\d+)", PROSE
    )
    assert found, "README.md no longer states the longest domain names, plurals and field names"
    assert tuple(map(int, found.groups())) == (ext.MAX_DOMAIN_NAME, ext.MAX_PLURAL, ext.MAX_NAME)


def test_the_names_a_domain_may_not_take_are_the_validators() -> None:
    assert listed("collide: the built-in ", " domains") == ext.BUILT_IN_DOMAINS
    assert listed(
        "(their tables, routes and packages), ", " (the packages of the service's"
    ) == set(ext.BUILT_IN_APP_PACKAGES)
    assert listed("a plural the service already uses for a table or route (", ": its list") == (
        ext.TAKEN_PLURALS
    )


def test_the_names_a_field_may_not_take_are_the_validators() -> None:
    assert listed("a column every domain has (", ")") == ext.IMPLICIT_FIELDS
    assert listed("a parameter the route already has (", ")") == ext.ROUTE_PARAMETERS


def test_the_delete_rules_of_a_reference_are_the_validators() -> None:
    clauses = listed("with a foreign key to that table's id (", ")")
    rules = {
        clause.removeprefix("ON DELETE ").lower() for clause in clauses if "ON DELETE" in clause
    }
    assert rules == set(ext.ON_DELETE)


def test_the_keys_a_changed_domain_needs_are_the_validators() -> None:
    needs = [row[1] for row in table("change", "the domain needs", "the migration")]
    keys = {span.split(":")[0] for cell in needs for span in spans(cell)}
    assert keys == set(ext.EVOLUTION_KEYS)


# --- the questions: copier.yml -------------------------------------------------------------------

QUESTION_ROWS = {
    name: row for row in table("question", "default", "rule") for name in spans(row[0])
}
ASKED = {
    name: question
    for name, question in COPIER.items()
    if not name.startswith("_") and question.get("when") is not False
}


def test_the_questions_table_has_every_question_copier_asks() -> None:
    assert set(QUESTION_ROWS) == set(ASKED)


@pytest.mark.parametrize("name", sorted(ASKED))
def test_a_questions_default_and_limits_are_copiers(name: str) -> None:
    _, default, rule = QUESTION_ROWS[name]
    question = ASKED[name]
    if re.fullmatch(r"`[^`]+`", default):  # one literal value (not "from the name")
        assert default.strip("`") == str(question["default"]), f"{name}: default"
    stated = {int(n) for n in re.findall(r"at most (\d+) characters", rule)}
    enforced = {int(n) for n in re.findall(r"length > (\d+)", question.get("validator", ""))}
    assert stated == enforced, f"{name}: the README's length limits are not the validator's"
    if "choices" in question:
        assert f"one of {', '.join(question['choices'])}" in rule, f"{name}: choices"
