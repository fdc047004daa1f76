"""Field types: what each type a field may have means in every layer (FIELD_TYPES, the enum and
the reference), and how a field's spec in the answer reads as a type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .names import SNAKE


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
    samples=(),  # the ids of rows the generated tests create first: see references.ref_samples
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


def field_kind(spec: Any) -> tuple[str | None, bool, list[Any]]:
    """(type, optional, enum values) of a field spec, or (None, ...) for an unknown type."""
    if isinstance(spec, str):
        optional = spec.endswith("?")
        kind = spec.removesuffix("?")
        return (kind if kind in FIELD_TYPES else None), optional, []
    if isinstance(spec, dict):
        optional = spec.get("optional", False)
        if REF in spec:
            if not isinstance(optional, bool) or ref_spec_problem(spec):
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


def ref_of(spec: Any) -> tuple[str, str] | None:
    """(target domain, on_delete) of a reference field spec; None for any other field."""
    if isinstance(spec, dict) and REF in spec:
        return spec[REF], spec.get("on_delete", "restrict")
    return None


def ref_spec_problem(spec: dict[str, Any]) -> str:
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


def type_of(kind: str) -> FieldType:
    """The FieldType of a type other than an enum (whose facts depend on its values)."""
    return REF_TYPE if kind == REF else FIELD_TYPES[kind]
