"""The model the templates read: `normalise` turns a valid `domains` answer into one dict per
domain (the `Domain` below) with every name a template needs and, per field, its type's facts.
The templates only substitute these; no naming or typing rule lives in Jinja."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .fieldtypes import AUDIT_JSON, ENUM, FIELD_TYPES, REF, REF_TYPE, field_kind, ref_of, type_of
from .names import ANNOTATION_NAMES, camel_case, member_name, pascal_case, plural_of, sql_name
from .references import link_references, ref_samples
from .validation import domain_problem


@dataclass
class Field:
    name: str
    camel: str
    title: str
    type: str
    optional: bool
    app_type: str
    bus_type: str
    parse: str
    sql_type: str
    filter: str
    samples: list[Any]
    invalid: Any
    wrong_shape: Any
    enum_class: str = ""
    enum_members: list[dict[str, str]] = field(default_factory=list)
    to_app: str = ""
    to_db: str = ""
    to_bus: str = ""
    from_query: str = ""
    query_schema: str = ""
    body_schema: str = ""
    app_parse: str = ""  # the parser as the app layer names it, null-aware when optional
    app_bus_type: str = ""  # the business type as the app layer names it
    input_type: str = ""  # the annotation in request bodies (app_type unless stricter)
    column: str = ""  # the column as SQL writes it (quoted if a key word)
    query_parser: str = ""  # the app/query.py function parsing its filter's text
    to_json: str = ""  # expression turning business value `{v}` into its audit JSON value
    ref: dict[str, Any] | None = None  # a reference's target (see link_references), else None


@dataclass
class Domain:
    name: str  # singular snake_case: work_order
    pkg: str  # one word, the stem of the slice packages: workorderapp, workorderbus, workorderdb
    class_name: str  # WorkOrder
    title: str  # "work order"
    plural: str  # work_orders
    plural_class: str  # WorkOrders
    route: str  # work-orders, as in /v1/work-orders
    table: str  # work_orders
    table_sql: str  # the table as SQL writes it (quoted if a key word)
    id_column: str  # work_order_id
    id_param: str  # work_order_id, the path parameter
    id_camel: str  # workOrderId, the id's name in query strings
    fields: list[Field]
    parsers: list[str]  # the business.types modules the app converters use: types, scalars
    query_parsers: list[str]  # those the query-string parsers use
    filter_types: bool  # its filter holds a business.types value (an equality or range on one)
    json_types: list[str]  # what the JSON models need: "decimal.Decimal", "date", "datetime"
    has_enums: bool
    has_dates: bool  # a field of type date
    label: str  # the field that names a row in its audit trail (a required text or name), or ""
    shadowed: list[str]  # ANNOTATION_NAMES that fields are called: class bodies alias them
    refs: list[Field] = field(default_factory=list)  # its reference fields
    targets: list[dict[str, Any]] = field(default_factory=list)  # the domains they reference
    requires: list[str] = field(default_factory=list)  # those domains' names, for its migration
    referenced_by: list[str] = field(default_factory=list)  # the domains referencing it
    seed_order: list[dict[str, Any]] = field(default_factory=list)  # targets, transitively
    seed_users: list[str] = field(default_factory=list)  # the ids of the users they reference
    # The rows the database deletes with a user or a referenced row (`on_delete: cascade`), which
    # the bus deletes first, audited: its fields referencing users so, and per referenced domain
    # (as in `targets`) the `fields` referencing it so.
    user_cascades: list[str] = field(default_factory=list)
    cascade_targets: list[dict[str, Any]] = field(default_factory=list)
    # (business name, SQL column) of what its store locks rows by before a delete: the id, the
    # owner, and the cascading references.
    lock_columns: list[tuple[str, str]] = field(default_factory=list)
    seed_ids: list[str] = field(default_factory=list)  # referenced: its rows' ids in tests
    seed_body: dict[str, Any] = field(default_factory=dict)  # and the JSON they are made from


def normalise(domains: Any) -> list[dict[str, Any]]:
    """The answer as the templates use it; [] for an answer `domain_problem` refuses."""
    if not domains or domain_problem(domains):
        return []
    built = {name: _domain(name, spec) for name, spec in domains.items()}
    for domain in built.values():
        for f in domain.fields:
            qualified = f"{domain.pkg}bus.{f.parse}" if f.type == ENUM else f.parse
            f.app_parse = f"nullable({qualified})" if f.optional else qualified
            f.app_bus_type = f"{domain.pkg}bus.{f.bus_type}" if f.type == ENUM else f.bus_type
            f.column = sql_name(f.name)
            # Ends in `_from_query`, which no name of the template's own in app/query.py does.
            f.query_parser = f"_{f.name}_from_query"
            f.to_json = AUDIT_JSON[f.type]
            if f.type == ENUM:
                f.from_query = f"{domain.pkg}bus.{f.from_query}"
                f.to_bus = f"{domain.pkg}bus.{f.to_bus}"  # the store reaches it through the bus
    link_references(domains, built)
    return [asdict(domain) for domain in built.values()]


def _domain(name: str, spec: dict[str, Any]) -> Domain:
    plural = plural_of(name, spec)
    class_name = pascal_case(name)
    fields = [_field(class_name, fname, fspec) for fname, fspec in spec["fields"].items()]
    used = {imp for f in fields if f.type != ENUM for imp in type_of(f.type).imports}
    modules = sorted(used)  # of business.types: the package (`types.Money`) and `scalars`
    return Domain(
        name=name,
        pkg=name.replace("_", ""),
        class_name=class_name,
        title=name.replace("_", " "),
        plural=plural,
        plural_class=pascal_case(plural),
        route=plural.replace("_", "-"),
        table=plural,
        table_sql=sql_name(plural),
        id_column=f"{name}_id",
        id_param=f"{name}_id",
        id_camel=camel_case(f"{name}_id"),
        fields=fields,
        parsers=modules,
        filter_types=any(
            f.filter != "contains" and f.bus_type.startswith("types.") for f in fields
        ),
        query_parsers=[
            name
            for name in modules
            if any(re.search(rf"\b{name}\.", f.from_query) for f in fields if f.type != ENUM)
        ],
        json_types=sorted({f.app_type for f in fields} & {"decimal.Decimal", "date", "datetime"}),
        has_enums=any(f.type == ENUM for f in fields),
        has_dates=any(f.type == "date" for f in fields),
        label=next((f.name for f in fields if f.type in ("text", "name") and not f.optional), ""),
        shadowed=sorted({f.name for f in fields} & ANNOTATION_NAMES),
        refs=[f for f in fields if f.type == REF],
    )


def _field(class_name: str, name: str, spec: Any) -> Field:
    kind, optional, enum = field_kind(spec)
    assert kind is not None  # checked by domain_problem
    camel = camel_case(name)
    if kind == ENUM:
        # `Choice` ends no class name the template gives a domain (`<Class>Filter`, `<Class>View`,
        # ...), so no field name makes an enum class take one of theirs.
        enum_class = class_name + pascal_case(name) + "Choice"
        return Field(
            name=name,
            camel=camel,
            title=name.replace("_", " "),
            type=ENUM,
            optional=optional,
            app_type="str",
            input_type="str",
            bus_type=enum_class,
            parse=f"{enum_class}.parse",
            sql_type="TEXT",
            filter="equals",
            samples=sorted(enum),
            invalid="NOT " + enum[0],
            wrong_shape=123,
            enum_class=enum_class,
            enum_members=[{"name": member_name(v), "value": v} for v in enum],
            to_app="{v}.value",
            to_db="{v}.value",
            to_bus=f"{enum_class}.parse({{v}})",
            from_query=f"{enum_class}.parse({{v}})",
            query_schema=f"apidoc.choice({sorted(enum)!r})",
            body_schema=f"apidoc.choice({sorted(enum)!r})",
        )
    ft = REF_TYPE if kind == REF else FIELD_TYPES[kind]
    ref = ref_of(spec)
    return Field(
        name=name,
        camel=camel,
        title=name.replace("_", " "),
        type=kind,
        optional=optional,
        app_type=ft.app_type,
        input_type=ft.input_type or ft.app_type,
        bus_type=ft.bus_type,
        parse=ft.parse,
        sql_type=ft.sql_type,
        filter=ft.filter,
        samples=ref_samples(ref[0]) if ref else list(ft.samples),
        invalid=ft.invalid,
        wrong_shape=ft.wrong_shape,
        to_app=ft.to_app,
        to_db=ft.to_db,
        to_bus=ft.to_bus,
        from_query=ft.from_query,
        query_schema=ft.query_schema,
        body_schema=ft.body_schema,
        ref=None if ref is None else {"target": ref[0], "on_delete": ref[1]},
    )
