"""The `domains` answer, understood once: validated, then normalised for the templates.

Copier loads this file through copier-template-extensions. It gives templates:

- the filter `domain_problem`: the first thing wrong with a `domains` answer ("" when none), used by
  the question's validator, so a bad answer is refused before anything is written;
- `domain_list` in every render's context: one dict per domain with every name a template needs
  (class, package, table, route, ...) and, per field, its type's facts (see FIELD_TYPES). The
  templates only substitute these; no naming or typing rule lives in Jinja.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import keyword
import re
import shutil
import subprocess
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import yaml
from copier_template_extensions import ContextHook
from jinja2 import Environment
from jinja2.ext import Extension

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

# Domains every render has, with their tables and routes: a domain may not take their names (nor
# a name whose packages would be theirs: `us_er` -> userbus). Generated code reaches other modules'
# classes through their modules (`types.Money`, `page.Page`), so a domain called `page`, `event`
# or `order` shadows nothing.
BUILT_IN_DOMAINS = frozenset({"user", "audit"})
# Python's built-in names (`Exception`, `ValueError`): a domain's class may not be one, since the
# domain's modules raise and catch them by name. Those of every version rendered for, whatever
# Python runs Copier (3.13 added PythonFinalizationError).
BUILTIN_NAMES = frozenset(dir(builtins)) | {"PythonFinalizationError"}
# The app packages of the service's own routes, beside the domains' under app/domain/: a domain
# named so would render into them. (Moving them out of app/domain needs a Copier migration that
# carries a project's edits along; until then these three names are taken.)
BUILT_IN_APP_PACKAGES = {
    "check": "the liveness and readiness routes",
    "auth": "the auth service's routes",
    "tran": "the transaction example's route",
}

# Longest domain and field names: generated lines must fit ruff's 100 columns even with the
# longest package name (a store's import path holds the package once and the domain twice).
MAX_DOMAIN_NAME = 16
MAX_PLURAL = MAX_DOMAIN_NAME + 1  # the longest name's own plural: generated prose holds plurals
MAX_NAME = 20


# Tables and routes the service already has: a domain's plural must not take them.
TAKEN_PLURALS = frozenset(
    {"users", "audit", "audits", "schema_migrations", "auth", "tranexample"}
    | {"liveness", "readiness"}  # the checks' routes: a domain's would stop the app starting
    | {"delegate"}  # the sales service's Buses holds the domain buses by plural, and its delegate
)

# PostgreSQL's key words that cannot name a column unquoted (`SELECT word, catcode FROM
# pg_get_keywords()` on PostgreSQL 15, plus 16's `system_user`): reserved (R), and reserved but for
# function or type names (T). Generated SQL quotes a column or table so named and leaves every
# other name bare, so the migrations of names that always worked stay byte for byte what a project
# already applied.
_SQL_RESERVED_WORDS = """
all analyse analyze and any array as asc asymmetric both case cast check collate column constraint
create current_catalog current_date current_role current_time current_timestamp current_user
default deferrable desc distinct do else end except false fetch for foreign from grant group having
in initially intersect into lateral leading limit localtime localtimestamp not null offset on only
or order placing primary references returning select session_user some symmetric system_user table
then to trailing true union unique user using variadic when where window with
"""
_SQL_TYPE_OR_FUNCTION_WORDS = """
authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull
join left like natural notnull outer overlaps right similar tablesample verbose
"""
SQL_QUOTED = frozenset((_SQL_RESERVED_WORDS + _SQL_TYPE_OR_FUNCTION_WORDS).split())

# The query parameters every list route has besides the fields' filters (and `<domain>Id`): no
# field's filter may take their names.
ROUTE_PARAMETERS = frozenset(
    {"page", "rows", "orderBy", "userId", "startCreatedDate", "endCreatedDate"}
)

# Lowercase names the generated classes use in annotations: types (`date`) and the modules they
# reach classes through (`types.Money`, `uuid.UUID`). A field may be called so, and a class body
# that binds the field's name would then mean the field by it in every later line: such a domain's
# classes name the type or module through a module alias no field can take (`_date`, `_types`).
ANNOTATION_NAMES = frozenset(
    {"str", "int", "bool", "date", "datetime"}
    | {"types", "uuid", "decimal", "msgspec", "unchanged"}
)


def sql_name(name: str) -> str:
    """`name` as generated SQL writes it: double-quoted when a key word, else bare."""
    return f'"{name}"' if name in SQL_QUOTED else name


# Columns every domain row has anyway, and the one its view adds.
IMPLICIT_FIELDS = frozenset({"id", "user_id", "date_created", "date_updated", "user_name"})


@dataclass(frozen=True)
class FieldType:
    """What one field type means in every layer."""

    app_type: str  # annotation of the JSON model field (msgspec decodes and validates the shape)
    bus_type: str  # annotation of the business model field
    parse: str  # callable turning the app value into the business value (raises ValueError)
    to_app: str  # expression turning business value `{v}` into the JSON value
    to_db: str  # expression turning business value `{v}` into the SQL parameter
    to_bus: str  # expression turning the SQL value `{v}` into the business value
    sql_type: str
    filter: str  # "contains" (case-insensitive substring), "equals" or "range"
    samples: tuple[Any, ...]  # valid JSON values, strictly ascending in the field's SQL order
    invalid: Any  # a JSON value of the right shape that the business rule refuses (None: none)
    wrong_shape: Any  # a JSON value of the wrong shape, refused while decoding
    from_query: str  # expression turning query-string text `{v}` into the filter's value
    query_schema: str  # what the OpenAPI document says that text is (an app/sdk/apidoc schema)
    body_schema: str  # the rule `parse` checks, for the document (app/sdk/apidoc), "" when none
    imports: tuple[str, ...] = ()  # modules of business.types its expressions use
    # The annotation in request bodies, when stricter than app_type: money is taken only as a
    # decimal string ("19.99"), since msgspec would take a JSON number (a float) or "1e2" as a
    # Decimal; the business parser then reads the string exactly.
    input_type: str = ""


FIELD_TYPES: dict[str, FieldType] = {
    "text": FieldType(
        app_type="str",
        bus_type="types.Text",
        parse="types.Text.parse",
        to_app="{v}.value",
        to_db="{v}.value",
        to_bus="types.Text.parse({v})",
        sql_type="TEXT",
        filter="contains",
        samples=("Alpha street", "Beta street", "Gamma street"),
        invalid="",
        wrong_shape=123,
        from_query="{v}",
        query_schema="apidoc.TEXT",
        body_schema="apidoc.TEXT_BODY",
        imports=("types",),
    ),
    "name": FieldType(
        app_type="str",
        bus_type="types.Name",
        parse="types.Name.parse",
        to_app="{v}.value",
        to_db="{v}.value",
        to_bus="types.Name.parse({v})",
        sql_type="TEXT",
        filter="contains",
        samples=("Anvil", "Bolt", "Crate"),
        invalid="x",
        wrong_shape=123,
        from_query="{v}",
        query_schema="apidoc.TEXT",
        body_schema="apidoc.NAME",
        imports=("types",),
    ),
    "email": FieldType(
        app_type="str",
        bus_type="types.Email",
        parse="types.Email.parse",
        to_app="{v}.value",
        to_db="{v}.value",
        to_bus="types.Email.parse({v})",
        sql_type="TEXT",
        filter="equals",
        samples=("a@example.com", "b@example.com", "c@example.com"),
        invalid="not-an-email",
        wrong_shape=123,
        from_query="types.Email.parse({v})",
        query_schema="apidoc.EMAIL",
        body_schema="apidoc.EMAIL_ADDRESS",
        imports=("types",),
    ),
    "int": FieldType(
        app_type="int",
        bus_type="int",
        parse="scalars.int32",
        to_app="{v}",
        to_db="{v}",
        to_bus="{v}",
        sql_type="INTEGER",
        filter="equals",
        samples=(-5, 7, 42),
        invalid=2**31,
        wrong_shape="seven",
        from_query="scalars.int32(params.integer({v}))",
        query_schema="apidoc.INT32",
        body_schema="apidoc.INT32",
        imports=("scalars",),
    ),
    "quantity": FieldType(
        app_type="int",
        bus_type="types.Quantity",
        parse="types.Quantity.parse",
        to_app="{v}.value",
        to_db="{v}.value",
        to_bus="types.Quantity.parse({v})",
        sql_type="INTEGER",
        filter="equals",
        samples=(1, 20, 300),
        invalid=-1,
        wrong_shape="many",
        from_query="types.Quantity.parse(params.integer({v}))",
        query_schema="apidoc.QUANTITY",
        body_schema="apidoc.QUANTITY",
        imports=("types",),
    ),
    "money": FieldType(
        app_type="decimal.Decimal",
        input_type="str",
        bus_type="types.Money",
        parse="types.Money.parse",
        to_app="{v}.value",
        to_db="{v}.value",
        to_bus="types.Money.parse({v})",
        sql_type="NUMERIC(14, 2)",
        filter="equals",
        samples=("0.10", "19.99", "250.00"),
        invalid="1e2",  # a number, but not written as money is
        wrong_shape=19.99,  # a JSON number: money is sent as a string
        from_query="types.Money.parse({v})",  # as in bodies: decimal text only, never 1e2
        query_schema="apidoc.MONEY",
        body_schema="apidoc.MONEY",
        imports=("types",),
    ),
    "bool": FieldType(
        app_type="bool",
        bus_type="bool",
        parse="scalars.boolean",
        to_app="{v}",
        to_db="{v}",
        to_bus="{v}",
        sql_type="BOOLEAN",
        filter="equals",
        samples=(False, True),
        invalid=None,
        wrong_shape="yes",
        from_query="params.boolean({v})",
        query_schema="apidoc.BOOLEAN",
        body_schema="",
        imports=("scalars",),
    ),
    "date": FieldType(
        app_type="date",
        bus_type="date",
        parse="scalars.calendar_date",
        to_app="{v}",
        to_db="{v}",
        to_bus="{v}",
        sql_type="DATE",
        filter="range",
        samples=("2024-01-31", "2024-06-30", "2025-12-01"),
        invalid=None,
        wrong_shape="someday",
        from_query="params.day({v})",
        query_schema="apidoc.DATE",
        body_schema="",
        imports=("scalars",),
    ),
    "datetime": FieldType(
        app_type="datetime",
        bus_type="datetime",
        parse="scalars.utc_datetime",
        to_app="{v}",
        to_db="{v}",
        to_bus="{v}",
        sql_type="TIMESTAMPTZ",
        filter="range",
        samples=("2024-01-31T09:30:00Z", "2024-06-30T18:00:00Z", "2025-12-01T00:00:00Z"),
        invalid="2024-01-31T09:30:00",
        wrong_shape="soon",
        from_query="params.timestamp({v})",
        query_schema="apidoc.TIMESTAMP",
        body_schema="",
        imports=("scalars",),
    ),
}
ENUM = "enum"

# A reference to a row of another domain of the answer (or of `user`): `{ref: product}`. Its own
# type, kept out of FIELD_TYPES since it is never written as a bare name (the target must be said).
REF = "ref"
REF_TARGET_USER = "user"  # the built-in users table, which a field may reference too
ON_DELETE = ("restrict", "cascade")  # what deleting a referenced row does; restrict by default
REF_TYPE = FieldType(
    app_type="uuid.UUID",
    bus_type="uuid.UUID",
    parse="scalars.reference",
    to_app="{v}",
    to_db="{v}",
    to_bus="{v}",
    sql_type="UUID",
    filter="equals",
    samples=(),  # the ids of rows the generated tests create first: see _ref_samples
    invalid="00000000-0000-4000-8000-0000000000ff",  # a UUID no row has: the bus refuses it
    wrong_shape="not-a-uuid",
    from_query="params.uuid({v})",
    query_schema="apidoc.UUID",
    body_schema="",
    imports=("scalars",),
)

# How an audit row's data holds a business value `{v}` of each type: what json.dumps takes, as
# the API shows it (money and times as text).
AUDIT_JSON: dict[str, str] = {
    "text": "{v}.value",
    "name": "{v}.value",
    "email": "{v}.value",
    "int": "{v}",
    "quantity": "{v}.value",
    "money": "str({v})",
    "bool": "{v}",
    "date": "{v}.isoformat()",
    "datetime": "{v}.isoformat()",
    ENUM: "{v}.value",
    REF: "str({v})",
}


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
    ref: dict[str, Any] | None = None  # a reference's target (see _ref_target), else None


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
    # (a _target) the `fields` referencing it so.
    user_cascades: list[str] = field(default_factory=list)
    cascade_targets: list[dict[str, Any]] = field(default_factory=list)
    # (business name, SQL column) of what its store locks rows by before a delete: the id, the
    # owner, and the cascading references.
    lock_columns: list[tuple[str, str]] = field(default_factory=list)
    seed_ids: list[str] = field(default_factory=list)  # referenced: its rows' ids in tests
    seed_body: dict[str, Any] = field(default_factory=dict)  # and the JSON they are made from


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
        plural = _plural(name, spec)
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
    return _reference_problem(domains)


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
            f.ref["constraint"] = _constraint_name(f"{domain.table}_{f.name}_fkey")
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
                "ids": _ref_samples(t),
            }
            for t in order
            if t in closure
        ]
        if domain.referenced_by:  # the rows the referencing domains' tests create first
            domain.seed_ids = _ref_samples(name)
            domain.seed_body = {f.camel: f.samples[0] for f in domain.fields}
        if any(
            f.ref and f.ref["target"] == REF_TARGET_USER
            for seeded in [name, *closure]
            for f in built[seeded].refs
        ):
            domain.seed_users = _ref_samples(REF_TARGET_USER)
    return [asdict(domain) for domain in built.values()]


class DomainsExtension(Extension):
    """Filters: `domain_problem` for the validator; conversions and literals for the templates."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["domain_problem"] = domain_problem
        environment.filters["to_app_expr"] = to_app_expr
        environment.filters["to_db_expr"] = to_db_expr
        environment.filters["to_bus_expr"] = to_bus_expr
        environment.filters["to_json_expr"] = to_json_expr
        environment.filters["py"] = repr
        environment.filters["pyformat"] = pyformat
        environment.filters["expr"] = lambda template, value: template.replace("{v}", value)
        environment.filters["ann"] = annotation
        environment.filters["type_aliases"] = type_aliases


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
    called = ", ".join(f"`{name}`" for name in names)
    return "\n".join(
        [f"# A field is called {called}: the class bodies below name it by an alias no field"]
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


class DomainsContext(ContextHook):
    """Adds `domain_list` to the context of every file rendered."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        # Copier calls the hook once per file rendered (thousands with many domains): the answer
        # is normalised once per distinct answer. Templates only read the lists.
        self._normalised: dict[str, list[dict[str, Any]]] = {}

    def hook(self, context: dict[str, Any]) -> None:
        domains = context.get("domains")
        key = json.dumps(domains, sort_keys=True, default=str)
        if key not in self._normalised:
            self._normalised[key] = normalise(domains)
        context["domain_list"] = self._normalised[key]


def _name_problem(name: Any) -> str:
    if not isinstance(name, str) or not SNAKE.match(name):
        return f"domains: {name!r} must be a singular snake_case name such as work_order"
    if len(name) > MAX_DOMAIN_NAME:
        return f"domains: {name!r} must be at most {MAX_DOMAIN_NAME} characters"
    if keyword.iskeyword(name):
        return f"domains: {name!r} is a Python keyword"
    if _pascal(name) in BUILTIN_NAMES:
        return (
            f"domains: {name!r} would be the class {_pascal(name)}, a Python built-in that the "
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
        camel = _camel(field_name)
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
        problem = _ref_spec_problem(spec)
        if problem:
            return f"{where}: {problem}"
    if isinstance(spec, str) and spec.removesuffix("?") == REF:
        return f"{where}: a reference names its domain: {{ref: product}} (or {{ref: user}})"
    kind, _, enum = _field_kind(spec)
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
        members = [_member_name(value) for value in enum]
        if len(set(members)) != len(members) or len(set(enum)) != len(enum):
            return f"{where}: enum values must be distinct (also after upper-casing): {enum}"
    return ""


def _filter_names(name: str, spec: Any) -> set[str]:
    """The query parameters that filter a list by the field."""
    kind, _, _ = _field_kind(spec)
    camel = _camel(name)
    if kind in FIELD_TYPES and FIELD_TYPES[kind].filter == "range":
        return {f"{camel}From", f"{camel}To"}
    return {camel}


def _ref_spec_problem(spec: dict[str, Any]) -> str:
    """What is wrong with a reference's own keys ("" when nothing)."""
    unknown = set(spec) - {REF, "optional", "on_delete"}
    if unknown:
        return f"a reference takes `ref`, `optional` and `on_delete`, not {sorted(unknown)}"
    if not isinstance(spec[REF], str) or not SNAKE.match(spec[REF]):
        return "`ref` must name a domain of the answer (or user), such as {ref: product}"
    if spec.get("on_delete", "restrict") not in ON_DELETE:
        return f"`on_delete` must be one of {', '.join(ON_DELETE)}"
    if not isinstance(spec.get("optional", False), bool):
        return "`optional` must be true or false"
    return ""


def _ref_of(spec: Any) -> tuple[str, str] | None:
    """(target domain, on_delete) of a reference field spec; None for any other field."""
    if isinstance(spec, dict) and REF in spec:
        return spec[REF], spec.get("on_delete", "restrict")
    return None


def _references(domains: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per domain, its reference fields' targets (field -> target domain), in field order."""
    return {
        name: {
            field_name: ref[0]
            for field_name, field_spec in spec["fields"].items()
            if (ref := _ref_of(field_spec)) is not None
        }
        for name, spec in domains.items()
    }


def _reference_problem(domains: dict[str, Any]) -> str:
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


def _field_kind(spec: Any) -> tuple[str | None, bool, list[Any]]:
    """(type, optional, enum values) of a field spec, or (None, ...) for an unknown type."""
    if isinstance(spec, str):
        optional = spec.endswith("?")
        kind = spec.removesuffix("?")
        return (kind if kind in FIELD_TYPES else None), optional, []
    if isinstance(spec, dict):
        optional = spec.get("optional", False)
        if REF in spec:
            if not isinstance(optional, bool) or _ref_spec_problem(spec):
                return None, False, []
            return REF, optional, []
        if not isinstance(optional, bool) or set(spec) - {"type", "enum", "optional"}:
            return None, False, []
        if "enum" in spec:
            values = spec["enum"]
            if "type" in spec and spec["type"] != ENUM:
                return None, False, []
            return ENUM, optional, list(values) if isinstance(values, list) else []
        kind = spec.get("type")
        return (kind if kind in FIELD_TYPES else None), optional, []
    return None, False, []


def _domain(name: str, spec: dict[str, Any]) -> Domain:
    plural = _plural(name, spec)
    class_name = _pascal(name)
    fields = [_field(class_name, fname, fspec) for fname, fspec in spec["fields"].items()]
    used = {imp for f in fields if f.type != ENUM for imp in _type_of(f.type).imports}
    modules = sorted(used)  # of business.types: the package (`types.Money`) and `scalars`
    return Domain(
        name=name,
        pkg=name.replace("_", ""),
        class_name=class_name,
        title=name.replace("_", " "),
        plural=plural,
        plural_class=_pascal(plural),
        route=plural.replace("_", "-"),
        table=plural,
        table_sql=sql_name(plural),
        id_column=f"{name}_id",
        id_param=f"{name}_id",
        id_camel=_camel(f"{name}_id"),
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
    kind, optional, enum = _field_kind(spec)
    assert kind is not None  # checked by domain_problem
    camel = _camel(name)
    if kind == ENUM:
        # `Choice` ends no class name the template gives a domain (`<Class>Filter`, `<Class>View`,
        # ...), so no field name makes an enum class take one of theirs.
        enum_class = class_name + _pascal(name) + "Choice"
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
            enum_members=[{"name": _member_name(v), "value": v} for v in enum],
            to_app="{v}.value",
            to_db="{v}.value",
            to_bus=f"{enum_class}.parse({{v}})",
            from_query=f"{enum_class}.parse({{v}})",
            query_schema=f"apidoc.choice({sorted(enum)!r})",
            body_schema=f"apidoc.choice({sorted(enum)!r})",
        )
    ft = REF_TYPE if kind == REF else FIELD_TYPES[kind]
    ref = _ref_of(spec)
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
        samples=_ref_samples(ref[0]) if ref else list(ft.samples),
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


def _type_of(kind: str) -> FieldType:
    return REF_TYPE if kind == REF else FIELD_TYPES[kind]


def _ref_samples(target: str) -> list[str]:
    """The ids the generated tests give the rows of `target` they create for references to it,
    in ascending order (as Postgres orders UUIDs): the samples of every field referencing it."""
    return sorted(str(uuid.uuid5(_REF_NAMESPACE, f"{target}/{index}")) for index in range(3))


_REF_NAMESPACE = uuid.UUID("6f1c2b1e-8f0a-4c8e-9a51-3d0c7e6b2a10")


def _constraint_name(name: str) -> str:
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


def _plural(name: str, spec: Any) -> str:
    plural = spec.get("plural") if isinstance(spec, dict) else None
    return plural if isinstance(plural, str) and plural else f"{name}s"


def _pascal(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def _camel(snake: str) -> str:
    """The JSON name msgspec's `rename="camel"` gives the field: `str.title` on each later part
    (`non_2xx` -> `non2Xx`), so that the names the templates write agree with the wire."""
    first, *rest = snake.split("_")
    return first + "".join(part.title() for part in rest)


def _member_name(value: str) -> str:
    member = re.sub(r"[^0-9A-Za-z]+", "_", value.strip()).strip("_").upper()
    return f"V_{member}" if not member or member[0].isdigit() else member


# --- Evolution: a domain whose fields change after its migration was written ---------------------
#
# A project records, in its answers file under `domain_migrations`, the spec each of a domain's
# migrations brings its table to: entry 1 is `domains/<name>.sql`, entry N > 1 is
# `domains/<name>.NNNN.sql`. Copier feeds the answers file back to all three renders of an update
# (the old template's, the project's and the new template's), so each renders the same migrations
# and the merge stays clean. When the `domains` answer no longer matches a domain's last entry,
# the render adds the next migration, which alters the table and recreates the view; changes that
# lose or rewrite data need the domain's explicit `drop`, `retype` or `backfill` keys.

HISTORY_KEY = "domain_migrations"  # the answers file's record, next to the questions' answers
ANSWERS_FILE = ".copier-answers.yml"  # copier.yml's _answers_file
EVOLUTION_KEYS = ("drop", "retype", "backfill")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_MONEY = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")
_NAME_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9' -]{2,19}$")


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
        kind, _, enum = _field_kind(fields[field_name])
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


def _canonical_field(spec: Any) -> Any:
    """A field spec as the record writes it: `type` or `type?`, `{enum: [...]}` (+ optional)."""
    kind, optional, enum = _field_kind(spec)
    if kind == ENUM:
        return {ENUM: list(enum), "optional": True} if optional else {ENUM: list(enum)}
    ref = _ref_of(spec)
    if ref is not None:
        target, on_delete = ref
        return {
            REF: target,
            **({"optional": True} if optional else {}),
            **({"on_delete": on_delete} if on_delete != "restrict" else {}),
        }
    return f"{kind}?" if optional else kind


def _sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text.replace("'", "''") + "'"


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
            history[name] = [{"plural": _plural(name, spec), "fields": fields}]
            continue
        plural = past[0].get("plural", f"{name}s")
        for number in range(2, len(past) + 1):  # the recorded ones, as they were made
            entry = past[number - 1]
            then = {**entry, "plural": plural}
            # With the other domains, which the fields' references may name.
            replay = {**domains, name: {"plural": plural, "fields": entry["fields"]}}
            domain = next(d for d in normalise(replay) if d["name"] == name)
            _, _, statements, notes = _step(name, then, past[: number - 1], entry["fields"], domain)
            steps.append(_step_file(name, number, domain, statements, notes))
        problem, made, statements, notes = _step(name, spec, past, fields, by_name[name])
        if problem:
            return Evolution(history, steps, problem)
        history[name] = [*past, made] if made else list(past)
        if made:
            steps.append(_step_file(name, len(past) + 1, by_name[name], statements, notes))
    return Evolution(history, steps, "")


def _step_file(
    name: str, number: int, domain: dict[str, Any], statements: list[str], notes: list[str]
) -> dict[str, Any]:
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


def _step(
    name: str,
    spec: dict[str, Any],
    past: list[dict[str, Any]],
    fields: dict[str, Any],
    domain: dict[str, Any],
) -> tuple[str, dict[str, Any] | None, list[str], list[str]]:
    """(problem, record entry or None when nothing changed, SQL statements, notes)."""
    plural = past[0].get("plural", f"{name}s")
    if _plural(name, spec) != plural:
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
        kind, optional, enum = _field_kind(now)
        references = _references_clause(f)
        if was is not None and _ref_of(was) != _ref_of(now):
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
        old_kind, old_optional, old_enum = _field_kind(was)
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
    kind, optional, enum = _field_kind(spec)
    ref = _ref_of(spec)
    shown = f"enum ({', '.join(map(str, enum))})" if kind == ENUM else str(kind)
    if ref is not None:
        shown = f"ref {ref[0]} (on delete {ref[1]})"
    return f"{shown} (optional)" if optional else shown


def _comparable(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        name: (kind, optional, sorted(enum), _ref_of(spec))
        for name, spec in fields.items()
        for kind, optional, enum in [_field_kind(spec)]
    }


class EvolutionContext(ContextHook):
    """Adds `domain_steps` (the migrations to add), `domain_history` (the record the answers file
    keeps) and `domain_evolution_problem` (for the validator) to every render's context.

    The record comes from the answers Copier passes on (`domain_migrations`, from the project's
    answers file or the data of an update's old and new renders). A project rendered before the
    record existed has none: its answers file, as it was before this run wrote anything, stands in
    for it (its migrations were written for its last `domains` answer).
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self._last_answers: dict[str, dict[str, Any]] = {}  # per destination, read once
        self._evolutions: dict[str, Evolution] = {}  # per distinct record and answer, as above

    def hook(self, context: dict[str, Any]) -> None:
        recorded = context.get(HISTORY_KEY)
        if not isinstance(recorded, dict):
            recorded = self._legacy_record(str(context["_copier_conf"]["dst_path"]))
        key = json.dumps([recorded, context.get("domains")], sort_keys=True, default=str)
        if key not in self._evolutions:
            self._evolutions[key] = evolve(recorded, context.get("domains"))
        evolution = self._evolutions[key]
        context["domain_steps"] = evolution.steps
        context["domain_history"] = evolution.history
        context["domain_evolution_problem"] = evolution.problem

    def _legacy_record(self, dst_path: str) -> dict[str, Any] | None:
        if dst_path not in self._last_answers:
            # The first context of a run is built while asking the questions, before anything
            # is written: the answers file read then is the project's last one.
            try:
                with open(f"{dst_path}/{ANSWERS_FILE}", encoding="utf-8") as answers:
                    last = yaml.safe_load(answers)
            except (OSError, yaml.YAMLError):
                last = None
            self._last_answers[dst_path] = last if isinstance(last, dict) else {}
        domains = self._last_answers[dst_path].get("domains")
        if not isinstance(domains, dict) or domain_problem(domains):
            return None
        return {
            name: [
                {
                    "plural": _plural(name, spec),
                    "fields": {f: _canonical_field(s) for f, s in spec["fields"].items()},
                }
            ]
            for name, spec in domains.items()
        }
