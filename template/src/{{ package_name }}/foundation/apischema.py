"""The OpenAPI schema of msgspec structs, as strict as the structs: one that refuses unknown
fields (`forbid_unknown_fields=True`) says `additionalProperties: false`, which Litestar's own
struct plugin leaves out (clients and fuzzers would otherwise take extra fields for valid ones).

A rule of the whole object, which no one field's annotation can carry (two fields that need each
other), comes from the struct's class variable `openapi_extra`: Litestar `Schema` attribute names
and their values (`dependent_required`, which maps a field to the fields it requires, ...).
"""

from typing import TYPE_CHECKING

import msgspec
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import Schema
from litestar.typing import FieldDefinition

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator


class StrictStructSchemaPlugin(StructSchemaPlugin):
    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: "SchemaCreator"
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        if isinstance(info, msgspec.inspect.StructType) and info.forbid_unknown_fields:
            schema.additional_properties = False
        for attribute, value in getattr(field_definition.type_, "openapi_extra", {}).items():
            setattr(schema, attribute, value)
        return schema
