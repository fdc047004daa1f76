"""extensions/domains/ on its own: how a `domains` answer is normalised for the templates, and
every rule `domain_problem` enforces, each with its message (which names the domain and the rule).

Fast: no render. tests/test_answers.py proves Copier refuses these answers through the question's
validator; this file proves the rules themselves.
"""

from __future__ import annotations

import keyword
from typing import Any

import pytest
import yaml
from extension import domains_extension
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rendering import REPO_ROOT

ext = domains_extension()

DEFAULT_ANSWER = yaml.safe_load(
    yaml.safe_load((REPO_ROOT / "copier.yml").read_text(encoding="utf-8"))["domains"]["default"]
)
FIELDS = {"title": "text"}  # a valid field set, for answers whose point lies elsewhere


def one(answer: dict[str, Any]) -> dict[str, Any]:
    """The single normalised domain of a one-domain answer."""
    (domain,) = ext.normalise(answer)
    return domain


def field_of(spec: Any, name: str = "thing") -> dict[str, Any]:
    """The normalised field `name` of a one-field domain `widget`."""
    (found,) = one({"widget": {"fields": {name: spec}}})["fields"]
    return found


# --- normalisation ------------------------------------------------------------------------------


def test_default_answer_is_valid_and_normalises_in_order() -> None:
    assert ext.domain_problem(DEFAULT_ANSWER) == ""
    domains = ext.normalise(DEFAULT_ANSWER)
    assert [d["name"] for d in domains] == ["product", "home"]
    product, home = domains
    assert [f["name"] for f in product["fields"]] == ["name", "cost", "quantity"]
    assert [f["type"] for f in product["fields"]] == ["name", "money", "quantity"]
    assert [f["name"] for f in home["fields"]] == [
        "type",
        "address1",
        "address2",
        "zip_code",
        "city",
        "state",
        "country",
    ]
    assert [f["name"] for f in home["fields"] if f["optional"]] == ["address2"]


@pytest.mark.parametrize("answer", [None, {}], ids=["null", "empty"])
def test_no_domains_is_valid_and_renders_none(answer: Any) -> None:
    assert ext.domain_problem(answer) == ""
    assert ext.normalise(answer) == []


def test_a_refused_answer_normalises_to_nothing() -> None:
    assert ext.normalise({"Widget": {"fields": FIELDS}}) == []


def test_names_of_a_multi_word_domain() -> None:
    domain = one({"work_order": {"fields": FIELDS}})
    expected = {
        "name": "work_order",
        "pkg": "workorder",  # workorderbus, workorderapp, workorderdb
        "class_name": "WorkOrder",
        "title": "work order",
        "plural": "work_orders",  # the default plural: name + s
        "plural_class": "WorkOrders",
        "route": "work-orders",  # /v1/work-orders
        "table": "work_orders",
        "id_column": "work_order_id",
        "id_param": "work_order_id",
        "id_camel": "workOrderId",
    }
    assert {key: domain[key] for key in expected} == expected


def test_names_of_a_one_word_domain() -> None:
    domain = one({"product": {"fields": FIELDS}})
    assert (domain["pkg"], domain["class_name"], domain["plural"], domain["route"]) == (
        "product",
        "Product",
        "products",
        "products",
    )


@pytest.mark.parametrize(
    ("name", "plural", "plural_class", "route"),
    [
        ("person", "people", "People", "people"),
        ("delivery_batch", "delivery_batches", "DeliveryBatches", "delivery-batches"),
        ("sheep", "sheep", "Sheep", "sheep"),  # a plural may equal the name
    ],
)
def test_custom_plural_names_table_route_and_class(
    name: str, plural: str, plural_class: str, route: str
) -> None:
    domain = one({name: {"plural": plural, "fields": FIELDS}})
    assert (domain["plural"], domain["table"], domain["plural_class"], domain["route"]) == (
        plural,
        plural,
        plural_class,
        route,
    )
    assert domain["name"] == name  # the singular names the packages and the id
    assert domain["id_column"] == f"{name}_id"


def test_field_names() -> None:
    field = field_of("text", "zip_code")
    assert (field["name"], field["camel"], field["title"]) == ("zip_code", "zipCode", "zip code")


@pytest.mark.parametrize(
    ("name", "camel"),
    [("non_2xx", "non2Xx"), ("ab_1c", "ab1C"), ("address1", "address1"), ("p50_ms", "p50Ms")],
)
def test_json_names_are_msgspecs(name: str, camel: str) -> None:
    """msgspec's rename="camel" title-cases each later part, digits first included."""
    assert field_of("text", name)["camel"] == camel


@pytest.mark.parametrize("name", ["str", "date", "datetime", "int", "bool"])
def test_a_field_named_like_an_annotation_makes_its_domain_alias_that_type(name: str) -> None:
    [domain] = ext.normalise(_with_field("text", name))
    assert domain["shadowed"] == [name]
    assert ext.annotation(name, domain) == f"_{name}"
    assert ext.annotation("Text", domain) == "Text"
    assert ext.type_aliases(domain, [name]).endswith(f"\n_{name} = {name}")
    assert ext.type_aliases(domain, ["Text"]) == ""


@pytest.mark.parametrize("kind", sorted(ext.FIELD_TYPES))
def test_every_field_type_is_accepted_required_and_optional(kind: str) -> None:
    required = field_of(kind)
    assert (required["type"], required["optional"]) == (kind, False)
    assert required["sql_type"] == ext.FIELD_TYPES[kind].sql_type
    assert required["app_parse"] == ext.FIELD_TYPES[kind].parse
    optional = field_of(f"{kind}?")
    assert (optional["type"], optional["optional"]) == (kind, True)
    assert optional["app_parse"] == f"nullable({ext.FIELD_TYPES[kind].parse})"


@pytest.mark.parametrize("kind", sorted(ext.FIELD_TYPES))
def test_optional_forms_are_equivalent(kind: str) -> None:
    """`T?` and `{type: T, optional: true}` mean the same; so do `T` and `{type: T}`."""
    assert field_of(f"{kind}?") == field_of({"type": kind, "optional": True})
    assert field_of(kind) == field_of({"type": kind}) == field_of({"type": kind, "optional": False})


def test_enum_field() -> None:
    field = one({"home": {"fields": {"type": {"enum": ["SINGLE FAMILY", "CONDO"]}}}})["fields"][0]
    assert field["type"] == "enum"
    assert field["optional"] is False
    assert field["enum_class"] == "HomeTypeChoice"  # class + field, both in PascalCase
    assert field["enum_members"] == [
        {"name": "SINGLE_FAMILY", "value": "SINGLE FAMILY"},
        {"name": "CONDO", "value": "CONDO"},
    ]
    assert field["app_parse"] == "homebus.HomeTypeChoice.parse"  # the app layer qualifies it
    assert field["app_bus_type"] == "homebus.HomeTypeChoice"
    assert field["sql_type"] == "TEXT"


@pytest.mark.parametrize(
    "spec",
    [
        {"enum": ["A", "B"], "optional": True},
        {"type": "enum", "enum": ["A", "B"], "optional": True},
    ],
    ids=["enum-optional", "type-enum-optional"],
)
def test_optional_enum(spec: dict[str, Any]) -> None:
    field = field_of(spec, "grade")
    assert (field["type"], field["optional"], field["enum_class"]) == (
        "enum",
        True,
        "WidgetGradeChoice",
    )
    assert field["app_parse"] == "nullable(widgetbus.WidgetGradeChoice.parse)"


@pytest.mark.parametrize(
    ("value", "member"),
    [
        ("CONDO", "CONDO"),
        ("single family", "SINGLE_FAMILY"),
        ("in-transit", "IN_TRANSIT"),
        ("  padded  ", "PADDED"),
        ("a / b", "A_B"),
        ("2 rooms", "V_2_ROOMS"),  # an identifier cannot start with a digit
        ("-", "V_"),  # nothing left of the value
    ],
)
def test_enum_member_names(value: str, member: str) -> None:
    (found,) = field_of({"enum": [value]})["enum_members"]
    assert found == {"name": member, "value": value}


def test_conversion_expressions_are_null_aware_for_optional_fields() -> None:
    required, optional = one({"widget": {"fields": {"cost": "money", "tip": "money?"}}})["fields"]
    assert ext.to_app_expr(required, "x") == "x.value"
    assert ext.to_app_expr(optional, "x") == "None if x is None else x.value"
    assert ext.to_db_expr(optional, "x") == "None if x is None else x.value"
    assert ext.to_db_expr(optional, "x", nullable=False) == "x.value"
    assert ext.to_bus_expr(optional, "x") == "None if x is None else types.Money.parse(x)"
    plain = field_of("int?")
    assert ext.to_app_expr(plain, "x") == "x"  # nothing to convert: None stays None


def test_normalised_domains_carry_what_their_imports_need() -> None:
    domain = one(
        {"widget": {"fields": {"a": "text", "b": "date?", "c": "money", "d": {"enum": ["X"]}}}}
    )
    assert domain["parsers"] == ["scalars", "types"]  # types.Money, scalars.calendar_date
    assert domain["json_types"] == ["date", "decimal.Decimal"]
    assert (domain["has_enums"], domain["has_dates"]) == (True, True)


# --- every rule, with its message ---------------------------------------------------------------

MAX = ext.MAX_NAME  # of a field name
MAX_DOMAIN = ext.MAX_DOMAIN_NAME
BUILT_IN = " and ".join(sorted(ext.BUILT_IN_DOMAINS))
TYPES = ", ".join(ext.FIELD_TYPES)


def _with_field(spec: Any, name: str = "thing", domain: str = "widget") -> dict[str, Any]:
    return {domain: {"fields": {name: spec}}}


# (test id, answer, the exact message)
REFUSED: list[tuple[str, Any, str]] = [
    # the answer as a whole
    (
        "answer-not-a-mapping",
        ["product"],
        "domains must be a mapping of domain name to its spec (see the README)",
    ),
    (
        "answer-a-string",
        "product",
        "domains must be a mapping of domain name to its spec (see the README)",
    ),
    # domain names
    *[
        (
            f"name-not-snake-case-{name}",
            {name: {"fields": FIELDS}},
            f"domains: {name!r} must be a singular snake_case name such as work_order",
        )
        for name in ["WorkOrder", "work-order", "work order", "work__order", "_work", "2nd", "é"]
    ],
    (
        "name-not-a-string",
        {1: {"fields": FIELDS}},
        "domains: 1 must be a singular snake_case name such as work_order",
    ),
    *[
        (
            f"name-keyword-{name}",
            {name: {"fields": FIELDS}},
            f"domains: {name!r} is a Python keyword",
        )
        for name in ["class", "import", "return", "async"]
    ],
    *[
        (
            f"name-built-in-{name}",  # CREATE TABLE users, audit rows, userbus, auditbus, ...
            {name: {"fields": FIELDS}},
            f"domains: {name!r} would be the built-in {name.replace('_', '')} domain's packages "
            f"({BUILT_IN} are built in, with their tables and routes); choose another name",
        )
        for name in ["user", "audit", "us_er", "au_dit"]
    ],
    *[
        (
            f"name-python-built-in-{name}",  # class Exception would shadow the built-in it raises
            {name: {"fields": FIELDS}},
            f"domains: {name!r} would be the class {ext.pascal_case(name)}, a Python built-in that "
            "the generated code uses by that name; choose another name",
        )
        for name in ["exception", "value_error", "key_error", "base_exception"]
    ],
    *[
        (
            f"name-built-in-app-package-{name}",
            {name: {"fields": FIELDS}},
            f"domains: {name!r} would render into app/domain/{name.replace('_', '')}app, which "
            f"holds {ext.BUILT_IN_APP_PACKAGES[name.replace('_', '')]}; choose another name",
        )
        for name in ["check", "auth", "tran", "ch_eck"]
    ],
    (
        "name-too-long",
        {"a" * (MAX_DOMAIN + 1): {"fields": FIELDS}},
        f"domains: {'a' * (MAX_DOMAIN + 1)!r} must be at most {MAX_DOMAIN} characters",
    ),
    # the spec
    *[
        (
            f"spec-not-a-mapping-{case}",
            {"widget": spec},
            "domains: 'widget' must be a mapping with `fields` (and optionally `plural`)",
        )
        for case, spec in [("list", ["title"]), ("string", "text"), ("null", None)]
    ],
    (
        "spec-unknown-keys",
        {"widget": {"fields": FIELDS, "table": "gadgets", "columns": {}}},
        "domains: 'widget' has unknown keys ['columns', 'table']; use `fields` and `plural` "
        "(and, to change a migrated domain, `drop`, `retype` or `backfill`)",
    ),
    *[
        (
            f"spec-missing-fields-{case}",
            {"widget": spec},
            "domains: 'widget' needs `fields`, a mapping of field name to type",
        )
        for case, spec in [
            ("absent", {"plural": "widgets"}),
            ("empty", {"fields": {}}),
            ("list", {"fields": ["title"]}),
            ("null", {"fields": None}),
        ]
    ],
    *[
        (
            f"plural-not-snake-case-{case}",
            {"widget": {"plural": plural, "fields": FIELDS}},
            f"domains: 'widget' plural {plural!r} must be snake_case",
        )
        for case, plural in [("upper", "Widgets"), ("dash", "wid-gets"), ("int", 5), ("empty", "")]
    ],
    (
        "same-plural-custom",
        {
            "person": {"plural": "people", "fields": FIELDS},
            "human": {"plural": "people", "fields": FIELDS},
        },
        "domains: 'human' and 'person' have the same plural 'people'; "
        "give one a different `plural`",
    ),
    (
        "same-plural-default",
        {"item": {"fields": FIELDS}, "thing": {"plural": "items", "fields": FIELDS}},
        "domains: 'thing' and 'item' have the same plural 'items'; give one a different `plural`",
    ),
    # packages, plurals and columns that would break the render or the migration
    (
        "same-package",  # Copier would write workorderbus/ twice
        {"work_order": {"fields": FIELDS}, "workorder": {"fields": FIELDS}},
        "domains: 'workorder' and 'work_order' would share the packages "
        "workorderbus/workorderapp; rename one",
    ),
    *[
        (
            f"plural-taken-{plural}",  # CREATE TABLE users, GET /v1/users, ...
            {"person": {"plural": plural, "fields": FIELDS}},
            f"domains: 'person' has the plural {plural!r}, a table or route the service already "
            "has; give it a different `plural`",
        )
        for plural in sorted(ext.TAKEN_PLURALS)
    ],
    (
        "plural-is-the-views-route",  # query_<plural> would be query_<name>_views
        {"report": {"plural": "report_views", "fields": FIELDS}},
        "domains: 'report' has the plural 'report_views': its list route's handler would be "
        "query_report_views, the name of its admin view route's; give it a different `plural`",
    ),
    (
        "plural-is-another-domains-view-route",  # GET /v1/vproducts: product's rows with owners
        {"product": {"fields": FIELDS}, "vproduct": {"fields": FIELDS}},
        "domains: 'vproduct' has the plural 'vproducts', so its route /v1/vproducts would be the "
        "one listing 'product' rows with their owners; give 'vproduct' a different `plural`",
    ),
    (
        "plural-taken-by-default",  # schema_migration + s: the runner's own table
        {"schema_migration": {"fields": FIELDS}},
        "domains: 'schema_migration' has the plural 'schema_migrations', a table or route the "
        "service already has; give it a different `plural`",
    ),
    *[
        (
            f"field-filter-is-a-route-parameter-{name}",
            _with_field(spec, name),
            f"domains: widget.{name}: its query filter {parameter!r} would be a parameter the "
            "list route already has (endCreatedDate, orderBy, page, rows, startCreatedDate, "
            "userId); choose another field name",
        )
        for name, spec, parameter in [
            ("page", "int", "page"),
            ("rows", "text?", "rows"),
            ("order_by", "text", "orderBy"),
            ("start_created_date", "text", "startCreatedDate"),
        ]
    ],
    (
        "fields-share-a-json-name",  # both are `a1` on the wire
        {"widget": {"fields": {"a_1": "text", "a1": "int"}}},
        "domains: widget.a1 and widget.a_1 have the same JSON name 'a1'; rename one",
    ),
    (
        "fields-share-a-filter",  # dueFrom: the lower bound of `due`, and `due_from`
        {"widget": {"fields": {"due": "date", "due_from": "text"}}},
        "domains: widget.due_from and widget.due would both filter the list by 'dueFrom'; "
        "rename one",
    ),
    # field names
    *[
        (
            f"field-not-snake-case-{name}",
            _with_field("text", name),
            f"domains: widget.{name}: a field name must be snake_case",
        )
        for name in ["zipCode", "zip-code", "Zip", "_zip", "1st"]
    ],
    (
        "field-too-long",
        _with_field("text", "f" * (MAX + 1)),
        f"domains: widget.{'f' * (MAX + 1)}: a field name must be at most {MAX} characters",
    ),
    *[
        (
            f"field-keyword-{name}",
            _with_field("text", name),
            f"domains: widget.{name}: a field name must not be a Python keyword",
        )
        for name in ["class", "from", "import", "lambda", "global"]
    ],
    *[
        (
            f"field-implicit-{name}",
            _with_field("text", name),
            f"domains: widget.{name}: {name!r} is an implicit column of every domain "
            "(date_created, date_updated, id, user_id, user_name, widget_id)",
        )
        # user_name: the domain's view adds the owner's name under it
        for name in ["id", "user_id", "date_created", "date_updated", "user_name", "widget_id"]
    ],
    (
        "field-implicit-multi-word-domain-id",
        _with_field("text", "work_order_id", domain="work_order"),
        "domains: work_order.work_order_id: 'work_order_id' is an implicit column of every domain "
        "(date_created, date_updated, id, user_id, user_name, work_order_id)",
    ),
    # field types
    *[
        (
            f"field-type-unknown-{case}",
            _with_field(spec),
            f"domains: widget.thing: unknown field type {spec!r}; use one of {TYPES} "
            "(a trailing ? makes it optional), {enum: [...]} or {ref: <domain>}",
        )
        for case, spec in [
            ("string", "string"),
            ("capitalised", "Text"),
            ("double-question-mark", "text??"),
            ("question-mark-first", "?text"),
            ("number", 5),
            ("null", None),
            ("list", ["text"]),
            ("mapping-unknown-type", {"type": "string"}),
            ("mapping-no-type", {"optional": True}),
            ("mapping-optional-not-bool", {"type": "text", "optional": "yes"}),
            ("mapping-unknown-key", {"type": "text", "default": "x"}),
            ("mapping-enum-with-other-type", {"type": "text", "enum": ["A"]}),
        ]
    ],
    # references
    (
        "ref-bare-type",
        _with_field("ref"),
        "domains: widget.thing: a reference names its domain: {ref: product} (or {ref: user})",
    ),
    (
        "ref-unknown-key",
        _with_field({"ref": "user", "type": "text"}),
        "domains: widget.thing: a reference takes `ref`, `optional` and `on_delete`, not ['type']",
    ),
    (
        "ref-not-a-name",
        _with_field({"ref": 5}),
        "domains: widget.thing: `ref` must name a domain of the answer (or user), such as "
        "{ref: product}",
    ),
    (
        "ref-on-delete-unknown",
        _with_field({"ref": "user", "on_delete": "set null"}),
        "domains: widget.thing: `on_delete` must be one of restrict, cascade",
    ),
    (
        "ref-optional-not-bool",
        _with_field({"ref": "user", "optional": "yes"}),
        "domains: widget.thing: `optional` must be true or false",
    ),
    (
        "ref-unknown-domain",
        _with_field({"ref": "gadget"}),
        "domains: widget.thing references 'gadget', which is not a domain of the answer; a "
        "reference names one of them (widget) or user",
    ),
    (
        "ref-itself",
        _with_field({"ref": "widget"}),
        "domains: widget.thing references its own domain 'widget'; a domain cannot reference "
        "itself (its first row could reference none, and each domain's migration and tests "
        "create the rows it references first)",
    ),
    (
        "ref-cycle",
        {
            "a": {"fields": {"to_b": {"ref": "b"}}},
            "b": {"fields": {"to_c": {"ref": "c"}}},
            "c": {"fields": {"to_a": {"ref": "a", "optional": True}}},
        },
        "domains: the references a -> b -> c -> a form a cycle; a domain's table is created "
        "after the tables it references, so references must not lead back to where they "
        "start; remove one of them",
    ),
    *[
        (
            f"enum-empty-{case}",
            _with_field(spec),
            "domains: widget.thing: an enum needs at least one value",
        )
        for case, spec in [
            ("list", {"enum": []}),
            ("null", {"enum": None}),
            ("not-a-list", {"enum": "A"}),
            ("typed", {"type": "enum", "enum": []}),
        ]
    ],
    *[
        (
            f"enum-value-not-a-string-{case}",
            _with_field({"enum": values}),
            "domains: widget.thing: enum values must be non-empty strings",
        )
        for case, values in [("int", ["A", 1]), ("blank", ["A", "  "]), ("null", ["A", None])]
    ],
    *[
        (
            f"enum-duplicates-{case}",
            _with_field({"enum": values}),
            "domains: widget.thing: enum values must be distinct (also after upper-casing): "
            f"{values}",
        )
        for case, values in [
            ("same", ["A", "B", "A"]),
            ("case", ["condo", "CONDO"]),
            ("punctuation", ["in transit", "IN-TRANSIT"]),
        ]
    ],
]


@pytest.mark.parametrize(
    ("answer", "message"), [pytest.param(a, m, id=case) for case, a, m in REFUSED]
)
def test_rule(answer: Any, message: str) -> None:
    assert ext.domain_problem(answer) == message
    assert ext.normalise(answer) == []


def test_rule_ids_are_unique() -> None:
    ids = [case for case, _, _ in REFUSED]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"a" * MAX_DOMAIN: {"fields": FIELDS}}, id="name-at-the-length-limit"),
        pytest.param(_with_field("text", "f" * MAX), id="field-at-the-length-limit"),
        pytest.param({"users_group": {"fields": FIELDS}}, id="name-containing-a-built-in"),
        pytest.param({"order_line": {"fields": FIELDS}}, id="name-starting-with-a-built-in"),
        pytest.param({"if_clause": {"fields": FIELDS}}, id="name-starting-with-a-keyword"),
        pytest.param(_with_field("text", "type"), id="field-soft-keyword-type"),
        pytest.param(_with_field("text", "match"), id="field-soft-keyword-match"),
        pytest.param(_with_field("text", "product_id", domain="widget"), id="field-other-id"),
        pytest.param(_with_field({"type": "enum", "enum": ["A"]}), id="enum-with-type"),
        pytest.param(_with_field({"enum": ["A"], "optional": False}), id="enum-optional-false"),
        pytest.param(
            {"widget": {"plural": "widgets", "fields": FIELDS}}, id="plural-same-as-default"
        ),
        pytest.param(_with_field({"ref": "user"}), id="ref-user"),
        pytest.param(
            _with_field({"ref": "user", "optional": True, "on_delete": "cascade"}),
            id="ref-user-optional-cascade",
        ),
        pytest.param(
            {
                "line": {"fields": {"product_id": {"ref": "product"}}},
                "product": {"fields": {"label": {"ref": "user"}}},
            },
            id="ref-to-a-later-domain",
        ),
        pytest.param(
            {
                "a": {"fields": {"to_b": {"ref": "b"}, "to_c": {"ref": "c"}}},
                "b": {"fields": {"to_c": {"ref": "c"}}},
                "c": {"fields": FIELDS},
            },
            id="ref-diamond",
        ),
    ],
)
def test_accepted(answer: dict[str, Any]) -> None:
    assert ext.domain_problem(answer) == ""
    assert ext.normalise(answer)


def test_the_first_problem_is_reported() -> None:
    answer = {
        "widget": {"fields": FIELDS},
        "Gadget": {"fields": FIELDS},
        "class": {"fields": FIELDS},
    }
    assert ext.domain_problem(answer).startswith("domains: 'Gadget' must be")


def test_soft_keywords_and_the_services_own_module_names_are_domain_names() -> None:
    """A domain's name is never a bare Python name in the generated code (its packages end in
    app/bus/db, its classes are reached through them), so `type` or `page` is a name like any."""
    for name in [*keyword.softkwlist, "order", "query", "page", "event", "request", "role"]:
        if ext.SNAKE.match(name):
            assert ext.domain_problem({name: {"fields": FIELDS}}) == "", name
    for name in keyword.softkwlist:
        if ext.SNAKE.match(name):
            assert ext.domain_problem(_with_field("text", name)) == "", name


def test_a_v_plural_is_a_domain_of_its_own_when_no_domain_has_the_rest() -> None:
    assert ext.domain_problem({"vproduct": {"fields": FIELDS}}) == ""
    assert ext.domain_problem({"video": {"fields": FIELDS}, "audio": {"fields": FIELDS}}) == ""
    # ideo's rows with their owners are GET /v1/videos, video's list route
    assert "/v1/videos" in ext.domain_problem(
        {"video": {"fields": FIELDS}, "ideo": {"fields": FIELDS}}
    )


@pytest.mark.parametrize("name", ["order", "group", "select", "user", "table", "end", "case"])
def test_sql_key_words_are_fields_like_any_other(name: str) -> None:
    """Generated SQL quotes them; no generated Python binds a field's name."""
    assert ext.domain_problem(_with_field("int", name)) == ""


def test_a_range_filter_may_share_a_paging_name_stem() -> None:
    """A date field `page` filters by `pageFrom` and `pageTo`, which no paging parameter is."""
    assert ext.domain_problem(_with_field("date", "page")) == ""


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("left", '"left"'),  # reserved but for functions and types: a column only when quoted
        ("similar", '"similar"'),
        ("order", '"order"'),  # reserved
        ("position", "position"),  # a key word that may name a column as it is
        ("label", "label"),
    ],
)
def test_sql_quotes_only_the_key_words_a_column_cannot_take_bare(name: str, written: str) -> None:
    assert ext.sql_name(name) == written


def test_columns_and_tables_carry_their_sql_names() -> None:
    answer = {"widget": {"plural": "select", "fields": {"left": "int", "x": "int"}}}
    [domain] = ext.normalise(answer)
    assert domain["table_sql"] == '"select"'
    assert [f["column"] for f in domain["fields"]] == ['"left"', "x"]


# --- property: any answer the validator accepts gives the templates distinct names -------------

SNAKE_NAMES = st.from_regex(r"[a-z][a-z0-9]{0,5}(_[a-z0-9]{1,4}){0,2}", fullmatch=True)
FIELD_SPECS = st.sampled_from(
    [*ext.FIELD_TYPES, *(f"{kind}?" for kind in ext.FIELD_TYPES), {"enum": ["A", "B C"]}]
)
ANSWERS = st.dictionaries(
    SNAKE_NAMES,
    st.fixed_dictionaries({"fields": st.dictionaries(SNAKE_NAMES, FIELD_SPECS, min_size=1)}),
    min_size=1,
    max_size=3,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(ANSWERS)
def test_an_accepted_answer_gives_every_name_a_place_of_its_own(answer: dict[str, Any]) -> None:
    """What generated code writes from an accepted answer never takes one name twice in a scope:
    JSON keys, query parameters (and the route's own), enum classes, columns, Python names."""
    assume(ext.domain_problem(answer) == "")
    domains = ext.normalise(answer)
    assert len({d["pkg"] for d in domains}) == len({d["plural"] for d in domains}) == len(domains)
    for domain in domains:
        fields = domain["fields"]
        json_names = [f["camel"] for f in fields]
        assert len(set(json_names)) == len(json_names)
        assert not {"id", "userId", "dateCreated", "dateUpdated", "userName"} & set(json_names)
        query = [
            name
            for f in fields
            for name in (
                [f"{f['camel']}From", f"{f['camel']}To"] if f["filter"] == "range" else [f["camel"]]
            )
        ]
        assert len(set(query)) == len(query)
        assert not (ext.ROUTE_PARAMETERS | {domain["id_camel"]}) & set(query)
        enums = [f["enum_class"] for f in fields if f["enum_class"]]
        assert all(name.endswith("Choice") and name.isidentifier() for name in enums)
        assert len(set(enums)) == len(enums)
        columns = [f["column"] for f in fields]
        assert len(set(columns)) == len(columns)
        parsers = [f["query_parser"] for f in fields]
        assert all(p.startswith("_") and p.endswith("_from_query") for p in parsers)
        assert all(not keyword.iskeyword(f["name"]) and f["name"].isidentifier() for f in fields)
        assert set(domain["shadowed"]) <= {f["name"] for f in fields}


# --- references -------------------------------------------------------------------------------


def test_a_reference_is_a_uuid_column_with_a_foreign_key_and_its_own_facts() -> None:
    answer = {
        "line": {
            "fields": {
                "product_id": {"ref": "product"},
                "reviewer": {"ref": "user", "optional": True, "on_delete": "cascade"},
            }
        },
        "product": {"plural": "stock", "fields": FIELDS},
    }
    line, product = ext.normalise(answer)
    to_product, to_user = line["fields"]
    assert (to_product["type"], to_product["sql_type"], to_product["app_type"]) == (
        "ref",
        "UUID",
        "uuid.UUID",
    )
    assert to_product["ref"]["sql"] == (
        "CONSTRAINT lines_product_id_fkey REFERENCES stock (product_id) ON DELETE RESTRICT"
    )
    assert to_user["ref"]["sql"] == (
        "CONSTRAINT lines_reviewer_fkey REFERENCES users (user_id) ON DELETE CASCADE"
    )
    # Longer than Postgres keeps (63 bytes): cut, and still told apart by a digest of the whole.
    long = ext.constraint_name("p" * 40 + "_" + "f" * 20 + "_fkey")
    assert len(long) == 63
    assert long != ext.constraint_name("p" * 40 + "_" + "f" * 19 + "g_fkey")
    assert (to_product["filter"], to_product["camel"]) == ("equals", "productId")
    assert (
        to_product["samples"] == sorted(to_product["samples"]) and len(to_product["samples"]) == 3
    )
    assert to_product["samples"] == product["seed_ids"]
    assert line["requires"] == ["product"] and [t["name"] for t in line["targets"]] == ["product"]
    assert product["referenced_by"] == ["line"] and not line["referenced_by"]
    assert [t["name"] for t in line["seed_order"]] == ["product"]
    assert line["seed_users"] == to_user["samples"]


def test_the_rows_a_domain_references_are_seeded_in_dependency_order() -> None:
    answer = {
        "a": {"fields": {"to_b": {"ref": "b"}}},
        "b": {"fields": {"to_c": {"ref": "c"}}},
        "c": {"fields": FIELDS},
    }
    a, _, c = ext.normalise(answer)
    assert [t["name"] for t in a["seed_order"]] == ["c", "b"]
    assert a["requires"] == ["b"]  # its migration names only what its own table references
    assert c["referenced_by"] == ["b"]
