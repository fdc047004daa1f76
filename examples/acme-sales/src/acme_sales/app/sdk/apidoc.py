"""What the OpenAPI document says beyond the handlers' signatures: that every failure is answered
with the error model (app/sdk/errs.py, not Litestar's own), with which statuses, that the guarded
routes take a Bearer token, and the types of the query parameters our own code parses.

    @get(ITEM, guards=[...], responses=apidoc.errors(400, 401, 403, 404))
    Router(path="/", route_handlers=[...], security=apidoc.BEARER)
    user_id: Annotated[str | None, apidoc.query("userId", apidoc.UUID)] = None
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import msgspec
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import SecurityRequirement, SecurityScheme
from litestar.params import ParameterKwarg, QueryParameter

from acme_sales.app.sdk import errs
from acme_sales.business.sdk import page
from acme_sales.business.sdk.order import Direction
from acme_sales.business.types import Role, email, password, quantity, scalars, text

BEARER_SCHEME: Final = "bearerAuth"
SECURITY_SCHEMES: Final[Mapping[str, SecurityScheme]] = {
    BEARER_SCHEME: SecurityScheme(
        type="http",
        scheme="bearer",
        bearer_format="JWT",
        description="A token from the auth service: GET /v1/auth/token/{kid} with Basic auth",
    )
}
BEARER: Final[list[SecurityRequirement]] = [{BEARER_SCHEME: []}]
# The auth service's token route: the caller's email and password.
BASIC_SCHEME: Final = "basicAuth"
AUTH_SECURITY_SCHEMES: Final[Mapping[str, SecurityScheme]] = {
    **SECURITY_SCHEMES,
    BASIC_SCHEME: SecurityScheme(type="http", scheme="basic", description="email:password"),
}
BASIC: Final[list[SecurityRequirement]] = [{BASIC_SCHEME: []}]

_WHY: Final[Mapping[int, str]] = {
    400: "Invalid input: `fields` names each refused parameter or body field",
    401: "No valid Bearer token",
    403: "The caller's roles do not allow this",
    404: "No such resource",
    409: "The request conflicts with the current state (a duplicate, the last admin)",
    429: "Too many requests: Retry-After says when to try again",
}


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """The error model, documented as the answer for each of `statuses`."""
    return {
        status: ResponseSpec(
            data_container=errs.ErrorResponse, description=_WHY[status], generate_examples=False
        )
        for status in statuses
    }


# Query parameters are parsed by the app layer from text, so that every refusal names its
# parameter in the one error model; their documented types say what that parsing takes.
Schema = Mapping[str, Any]
# Postgres text holds no NUL. Not empty: empty is the other arm of `query`'s oneOf, and a value
# must match exactly one arm.
TEXT: Final[Schema] = {"type": "string", "minLength": 1, "pattern": "^[^\\x00]*$"}
UUID: Final[Schema] = {"type": "string", "format": "uuid"}
TIMESTAMP: Final[Schema] = {"type": "string", "format": "date-time"}
DATE: Final[Schema] = {"type": "string", "format": "date"}
BOOLEAN: Final[Schema] = {"type": "boolean"}
INT32: Final[Schema] = {
    "type": "integer",
    "minimum": scalars.INT32_MIN,
    "maximum": scalars.INT32_MAX,
}
QUANTITY: Final[Schema] = {"type": "integer", "minimum": quantity.MIN, "maximum": quantity.MAX}
MONEY: Final[Schema] = {"type": "string", "pattern": "^[0-9]{1,9}(\\.[0-9]{1,2})?$"}
PAGE: Final[Schema] = {"type": "integer", "minimum": 1, "maximum": page.MAX_NUMBER}
ROWS: Final[Schema] = {"type": "integer", "minimum": 1, "maximum": page.MAX_ROWS}


def choice(values: Iterable[str]) -> Schema:
    return {"type": "string", "enum": list(values)}


def order_by(fields: Iterable[str]) -> Schema:
    """`field`, `field,ASC` or `field,DESC` for each of `fields`."""
    return choice(
        f"{field}{suffix}" for field in fields for suffix in ("", *(f",{d}" for d in Direction))
    )


_EMPTY: Final[Schema] = {"type": "string", "maxLength": 0}


def query(name: str, schema: Schema) -> ParameterKwarg:
    """Query parameter `name`: text for our parser (None when absent), documented as `schema`,
    or empty, which means "no condition" as absent does (Litestar's `null` arm, for `str | None`,
    is replaced: absent is not null)."""
    declared: ParameterKwarg = QueryParameter(
        name=name, required=False, schema_extra={"one_of": [dict(schema), _EMPTY]}
    )
    return declared


_CAMEL_HUMP = re.compile(r"(?<!^)(?=[A-Z])")


def body(schema: Schema) -> msgspec.Meta:
    """A request body field's rule, for the OpenAPI document only: the business type still
    checks it, and names the field when it refuses (msgspec would check a Meta constraint
    itself, in its own words)."""
    return msgspec.Meta(extra_json_schema={"extra": _attributes(schema)})


def each_requires_the_other(*fields: str) -> Schema:
    """A request body's rule that any of `fields` given requires the others, for the OpenAPI
    document only (the converter checks it): the body struct's `openapi_extra`."""
    others = {field: [other for other in fields if other != field] for field in fields}
    return _attributes({"dependentRequired": others})


def _attributes(schema: Schema) -> Schema:
    # Litestar sets these on its Schema object, whose attributes are snake_case.
    return {_CAMEL_HUMP.sub("_", key).lower(): value for key, value in schema.items()}


# What Name.parse takes: a letter, then 2 to 19 letters, digits, spaces, ' or -.
NAME: Final[Schema] = {"pattern": "^[A-Za-z][A-Za-z0-9' -]{2,19}$"}
NAME_OR_EMPTY: Final[Schema] = {"pattern": "^([A-Za-z][A-Za-z0-9' -]{2,19})?$"}  # "": none
# What Text.parse takes: 1 to MAX_LENGTH characters, not all blank, no NUL.
TEXT_BODY: Final[Schema] = {
    "minLength": 1,
    "maxLength": text.MAX_LENGTH,
    "pattern": "^[^\\x00]*[^\\s\\x00][^\\x00]*$",
}
ROLES: Final[Schema] = {"items": choice(Role), "uniqueItems": True}
# What Password.parse takes. JSON Schema counts characters, as the rule does, but not bytes:
# the byte limit is in words (tests/support/fuzz_hooks.py keeps schemathesis's valid cases to it).
PASSWORD: Final[Schema] = {
    "minLength": password.MIN_LENGTH,
    "maxLength": password.MAX_LENGTH,
    "pattern": "^[^\\x00]*$",
    "writeOnly": True,
    "description": (
        f"{password.MIN_LENGTH} to {password.MAX_LENGTH} characters, and at most "
        f"{password.MAX_BYTES} bytes once encoded as UTF-8, bcrypt's limit (é takes 2 bytes, "
        "€ 3, most emoji 4)"
    ),
}
# JSON Schema cannot relate two fields: the rule is in words, and the converter checks it.
PASSWORD_CONFIRM: Final[Schema] = {"writeOnly": True, "description": "Must equal `password`"}
# Addresses Email.parse takes (a part of them: a local part of at most 64 characters, a top-level
# domain starting with a letter), so that an address the document allows is never refused.
_ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_LOCAL = _ATEXT + "{1,32}(?:\\." + _ATEXT + "{1,31})?"
_DOMAIN = "(?:" + _LABEL + "\\.){1,3}" + _TLD
EMAIL_ADDRESS: Final[Schema] = {
    "pattern": f"^{_LOCAL}@{_DOMAIN}$",
    "maxLength": email.MAX_LENGTH,
}
EMAIL: Final[Schema] = {"type": "string", **EMAIL_ADDRESS}
