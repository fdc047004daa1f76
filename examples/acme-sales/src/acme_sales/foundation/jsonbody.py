"""Request bodies as the services take them: declared JSON, well formed, and holding only text
that Postgres can store.

Litestar decodes a JSON body with msgspec and answers msgspec's DecodeError with a 400, but some
malformed bodies raise other errors, which reached clients as 500s: invalid UTF-8 inside a
string (UnicodeDecodeError, whose text quotes the body's bytes, a password's included, into the
error log) and nesting deeper than msgspec recurses (RecursionError). `APIRequest` answers each
with a 400 naming the problem and never quoting the body; it refuses a body not declared as JSON
(415: a form or plain text is not parsed as JSON), and text holding NUL, which no Postgres text
column stores, naming the field. A body that is not JSON at all is a 400 naming the body.

msgspec stops at the first field that does not fit the route's model; `struct_errors` checks each
field on its own, so a refusal names them all.

Litestar converts a body to the route's model laxly (`strict=False`, which query strings need):
`"enabled": 0` would be taken as false and `"quantity": "5"` as 5, though the OpenAPI document
says boolean and integer. `json` first holds the body to the model strictly, as JSON reads
(where 5.0 is the integer 5, as JSON Schema counts it).
"""

import re
from typing import Any, Final, TypeGuard

import msgspec
from litestar import Request
from litestar.exceptions import HTTPException, SerializationException, ValidationException

_NUL_ESCAPE: Final = b"\\u0000"  # JSON carries NUL in a string only escaped: raw, it is malformed
_AT_PATH: Final = re.compile(r" - at `\$(?P<path>[^`]*)`$")


class UnsupportedMediaTypeError(HTTPException):
    status_code = 415


class APIRequest(Request[Any, Any, Any]):
    """Litestar's request, its JSON body checked as the module says."""

    async def json(self) -> Any:
        media_type, _ = self.content_type
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise UnsupportedMediaTypeError(
                detail="the body must be JSON, sent with content-type application/json"
            )
        try:
            value = await super().json()
        except SerializationException as exc:  # msgspec's words name the fault, never the bytes
            raise body_error(f"malformed JSON: {exc.detail}") from None
        except UnicodeDecodeError:
            raise body_error("malformed JSON: a string is not valid UTF-8") from None
        except RecursionError:
            raise body_error("malformed JSON: nested too deeply") from None
        if _NUL_ESCAPE in await self.body():
            refused = [
                {"key": path, "message": "must not contain NUL (\\u0000)"}
                for path in paths_holding_nul(value)
            ]
            if refused:
                raise ValidationException(detail="invalid input", extra=refused)
        model = self.route_handler.parsed_data_field
        if model is not None and _is_struct(model.annotation) and isinstance(value, dict):
            try:
                value = integral_floats_as_ints(value)
            except RecursionError:
                raise body_error("malformed JSON: nested too deeply") from None
            try:
                msgspec.convert(value, model.annotation, strict=True)
            except msgspec.ValidationError as exc:
                refused = struct_errors(model.annotation, value) or [_located("body", str(exc))]
                raise ValidationException(detail="invalid input", extra=refused) from None
        return value


def struct_errors(model: type[msgspec.Struct], value: dict[str, Any]) -> list[dict[str, str]]:
    """Check each field of `value` against `model` on its own, so that one bad field does not
    hide the next. Conversion is strict, as `json` holds bodies to their model."""
    fields = msgspec.structs.fields(model)
    errors: list[dict[str, str]] = []
    for field in fields:
        name = field.encode_name
        if name not in value:
            if field.required:
                errors.append({"key": name, "message": f"Object missing required field `{name}`"})
            continue
        try:
            msgspec.convert(value[name], field.type, strict=True)
        except msgspec.ValidationError as exc:
            errors.append(_located(name, str(exc)))
    if model.__struct_config__.forbid_unknown_fields:
        known = {field.encode_name for field in fields}
        errors.extend({"key": key, "message": "unknown field"} for key in value if key not in known)
    return errors


def _located(name: str, message: str) -> dict[str, str]:
    """msgspec's message about a part of the field (`... - at `$[1]``) keyed by that part."""
    at = _AT_PATH.search(message)
    if at is None:
        return {"key": name, "message": message}
    return {"key": f"{name}{at['path']}", "message": message[: at.start()]}


def _is_struct(model: object) -> TypeGuard[type[msgspec.Struct]]:
    return isinstance(model, type) and issubclass(model, msgspec.Struct)


def body_error(message: str) -> ValidationException:
    return ValidationException(detail="invalid input", extra=[{"key": "body", "message": message}])


def integral_floats_as_ints(value: Any) -> Any:
    """`value` with each float that is a whole number (5.0) as an int: no model field is a float
    (money is decimal text), and an int field takes 5.0 as JSON Schema's `integer` does."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: integral_floats_as_ints(child) for key, child in value.items()}
    if isinstance(value, list):
        return [integral_floats_as_ints(child) for child in value]
    return value


def paths_holding_nul(value: Any) -> list[str]:
    """The path (`name`, `items[2].note`) of each string in a decoded JSON value that holds NUL,
    keys included. Iterative: the value may be as deep as the decoder allowed."""
    found: list[str] = []
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                found.append(path or "body")
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if "\x00" in key:
                    found.append(child_path)
                pending.append((child_path, child))
        elif isinstance(item, list):
            pending.extend((f"{path}[{index}]", child) for index, child in enumerate(item))
    return sorted(found)
