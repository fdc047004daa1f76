"""Evolution (extensions/domains/evolution.py and changes.py) on its own: the migrations a changed
`domains` answer needs beyond a project's record, and every change it refuses without the domain's
explicit `drop`, `retype` or `backfill`, each with its message (which names the domain, the field
and the rule).

Fast: no render. tests/test_update.py proves Copier renders these migrations, refuses through the
question's validator, and that a real database takes them with its rows.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from extension import domains_extension
from rendering import REPO_ROOT

ext = domains_extension()

DEFAULT: dict[str, Any] = yaml.safe_load(
    yaml.safe_load((REPO_ROOT / "copier.yml").read_text(encoding="utf-8"))["domains"]["default"]
)
RECORD = ext.evolve(None, DEFAULT).history


def changed(domain: str, **spec: Any) -> dict[str, Any]:
    """The default answer with `domain`'s spec updated by `spec` (fields merged)."""
    answer = copy.deepcopy(DEFAULT)
    fields = spec.pop("fields", {})
    answer[domain]["fields"] = {
        name: kind for name, kind in {**answer[domain]["fields"], **fields}.items() if kind
    }
    answer[domain].update(spec)
    return answer


def statements(answer: dict[str, Any], record: Any = RECORD) -> dict[str, list[str]]:
    evolution = ext.evolve(record, answer)
    assert evolution.problem == ""
    return {step["file"]: step["statements"] for step in evolution.steps}


def test_a_fresh_render_records_each_domain_at_its_first_migration() -> None:
    evolution = ext.evolve(None, DEFAULT)
    assert evolution.steps == [] and evolution.problem == ""
    assert evolution.history["product"] == [
        {"plural": "products", "fields": {"name": "name", "cost": "money", "quantity": "quantity"}}
    ]
    assert evolution.history["home"][0]["fields"]["type"] == {"enum": ["SINGLE FAMILY", "CONDO"]}
    assert evolution.history["home"][0]["fields"]["address2"] == "text?"


def test_an_unchanged_or_reordered_answer_needs_nothing() -> None:
    reordered = copy.deepcopy(DEFAULT)
    reordered["product"]["fields"] = dict(reversed(reordered["product"]["fields"].items()))
    reordered["home"]["fields"]["type"] = {"enum": ["CONDO", "SINGLE FAMILY"]}
    for answer in (DEFAULT, reordered):
        evolution = ext.evolve(RECORD, answer)
        assert (evolution.steps, evolution.history) == ([], RECORD)


def test_added_fields_and_nullability() -> None:
    answer = changed(
        "product",
        fields={"quantity": "quantity?", "color": "text?", "weight": "int"},
        backfill={"weight": 7},
    )
    assert statements(answer) == {
        "product.0002": [
            "ALTER TABLE products ALTER COLUMN quantity DROP NOT NULL;",
            "ALTER TABLE products ADD COLUMN color TEXT NULL;",
            "ALTER TABLE products ADD COLUMN weight INTEGER NOT NULL DEFAULT 7;",
            "ALTER TABLE products ALTER COLUMN weight DROP DEFAULT;",
        ]
    }
    (step,) = ext.evolve(RECORD, answer).steps
    assert step["view"] and [f["name"] for f in step["d"]["fields"]][-2:] == ["color", "weight"]


def test_a_field_made_required_fills_its_nulls_from_the_backfill() -> None:
    answer = changed("home", fields={"address2": "text"}, backfill={"address2": "n/a"})
    assert statements(answer)["home.0002"] == [
        "UPDATE homes SET address2 = 'n/a' WHERE address2 IS NULL;",
        "ALTER TABLE homes ALTER COLUMN address2 SET NOT NULL;",
    ]


def test_an_enum_value_added_changes_only_the_record_and_the_columns_comment() -> None:
    answer = changed("home", fields={"type": {"enum": ["SINGLE FAMILY", "CONDO", "TOWNHOUSE"]}})
    (step,) = ext.evolve(RECORD, answer).steps
    assert step["statements"] == [
        "COMMENT ON COLUMN homes.type IS 'enum (SINGLE FAMILY, CONDO, TOWNHOUSE)';"
    ]
    assert not step["view"]


def test_explicit_drop_and_retype() -> None:
    answer = changed(
        "product", fields={"quantity": None, "cost": "int"}, drop=["quantity"], retype=["cost"]
    )
    assert statements(answer)["product.0002"] == [
        "ALTER TABLE products DROP COLUMN quantity;",
        "ALTER TABLE products ALTER COLUMN cost TYPE INTEGER USING cost::INTEGER;",
    ]


def test_an_enum_value_removed_checks_the_rows() -> None:
    answer = changed("home", fields={"type": {"enum": ["CONDO"]}}, retype=["type"])
    comment, check = statements(answer)["home.0002"]
    assert comment == "COMMENT ON COLUMN homes.type IS 'enum (CONDO)';"
    assert "IF EXISTS (SELECT 1 FROM homes WHERE type NOT IN ('CONDO'))" in check


def test_a_reference_added_to_a_migrated_domain_requires_the_domain_it_names() -> None:
    answer = changed(
        "home",
        fields={
            "product_id": {"ref": "product", "optional": True},
            "agent": {"ref": "user", "on_delete": "cascade"},
        },
        backfill={"agent": "00000000-0000-4000-8000-000000000001"},
    )
    (step,) = ext.evolve(RECORD, answer).steps
    assert step["statements"] == [
        "ALTER TABLE homes ADD COLUMN product_id UUID NULL CONSTRAINT homes_product_id_fkey "
        "REFERENCES products (product_id) ON DELETE RESTRICT;",
        "CREATE INDEX homes_product_id_idx ON homes (product_id);",
        "ALTER TABLE homes ADD COLUMN agent UUID NOT NULL DEFAULT "
        "'00000000-0000-4000-8000-000000000001' CONSTRAINT homes_agent_fkey REFERENCES users "
        "(user_id) ON DELETE CASCADE;",
        "ALTER TABLE homes ALTER COLUMN agent DROP DEFAULT;",
        "CREATE INDEX homes_agent_idx ON homes (agent);",
    ]
    assert step["requires"] == ["product"]  # its file says `-- requires domain: product`
    recorded = ext.evolve(RECORD, answer).history["home"][-1]["fields"]
    assert recorded["agent"] == {"ref": "user", "on_delete": "cascade"}
    changed_target = copy.deepcopy(answer)
    changed_target["home"]["fields"]["agent"] = {"ref": "product"}
    history = ext.evolve(RECORD, answer).history
    assert ext.evolve(history, changed_target).problem.startswith(
        "domains: home.agent changes from ref user (on delete cascade) to ref product (on delete "
        "restrict); a reference's target and delete rule are fixed once migrated"
    )


def test_recorded_migrations_render_again_and_the_next_is_numbered_after_them() -> None:
    first = changed("product", fields={"color": "text?"})
    record = ext.evolve(RECORD, first).history
    second = changed("product", fields={"color": None}, drop=["color"])
    found = statements(second, record)
    assert found == {
        "product.0002": ["ALTER TABLE products ADD COLUMN color TEXT NULL;"],
        "product.0003": ["ALTER TABLE products DROP COLUMN color;"],
    }
    assert ext.evolve(record, second).history["product"][2]["drop"] == ["color"]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        pytest.param(
            changed("product", fields={"quantity": None}),
            "domains: product.quantity is gone from `fields` but its column holds data; add "
            "`drop: [quantity]` to 'product' to drop the column, or keep the field",
            id="implicit-drop",
        ),
        pytest.param(
            changed("product", fields={"cost": "int"}),
            "domains: product.cost changes from money to int, which rewrites or refuses values "
            "its rows hold; add `retype: [cost]` to 'product' to allow it",
            id="implicit-retype",
        ),
        pytest.param(
            changed("product", fields={"name": "text"}),
            "domains: product.name changes from name to text",
            id="implicit-retype-same-sql-type",
        ),
        pytest.param(
            changed("home", fields={"type": {"enum": ["CONDO"]}}),
            "domains: home.type changes from enum (SINGLE FAMILY, CONDO) to enum (CONDO)",
            id="enum-value-removed",
        ),
        pytest.param(
            changed("product", fields={"weight": "int"}),
            "domains: product.weight is a new required field, and rows already in the table have "
            "no value for it; give one with `backfill: {weight: VALUE}` in 'product', or make the "
            "field optional",
            id="required-without-backfill",
        ),
        pytest.param(
            changed("home", fields={"address2": "text"}),
            "domains: home.address2 is a field made required",
            id="made-required-without-backfill",
        ),
        pytest.param(
            changed("product", plural="wares"),
            "domains: 'product' has the plural 'products' in its migrations",
            id="plural-changed",
        ),
    ],
)
def test_refused_with_the_rule(answer: dict[str, Any], message: str) -> None:
    assert ext.domain_problem(answer) == ""
    assert ext.evolve(RECORD, answer).problem.startswith(message)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"drop": "quantity"}, "domains: 'product' `drop` must be a list of field names"),
        ({"drop": ["cost"]}, "domains: product.cost is both in `fields` and in `drop`"),
        ({"retype": ["size"]}, "domains: product.size is in `retype` but not in `fields`"),
        ({"backfill": ["cost"]}, "domains: 'product' `backfill` must be a mapping"),
        ({"backfill": {"size": 1}}, "domains: product.size is in `backfill` but not in `fields`"),
        ({"backfill": {"quantity": -1}}, "domains: product.quantity backfill -1 must be from 0"),
        ({"backfill": {"cost": "1e2"}}, "domains: product.cost backfill '1e2' must be an amount"),
        ({"backfill": {"name": None}}, "domains: product.name backfill None must not be null"),
        (
            {"fields": {"name": "name", "owner": {"ref": "user"}}, "backfill": {"owner": "x"}},
            "domains: product.owner backfill 'x' must be the id (a UUID) of a referenced row",
        ),
    ],
)
def test_evolution_keys_are_checked_on_their_own(spec: dict[str, Any], message: str) -> None:
    answer = copy.deepcopy(DEFAULT)
    answer["product"].update(spec)
    assert ext.domain_problem(answer).startswith(message)


def test_a_project_without_a_record_is_read_from_its_last_answers(tmp_path: Any) -> None:
    (tmp_path / ".copier-answers.yml").write_text(yaml.safe_dump({"domains": DEFAULT}), "utf-8")
    hook = ext.EvolutionContext.__new__(ext.EvolutionContext)
    hook._last_answers = {}
    assert hook._legacy_record(str(tmp_path)) == RECORD
    assert hook._legacy_record(str(tmp_path / "nothing")) is None
