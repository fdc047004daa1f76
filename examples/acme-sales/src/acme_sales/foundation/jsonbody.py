"""Request bodies as the services take them: declared JSON, well formed, and holding only text
that Postgres can store.

Litestar decodes a JSON body with msgspec and answers msgspec's DecodeError with a 400, but some
malformed bodies raise other errors, which reached clients as 500s: invalid UTF-8 inside a
string (UnicodeDecodeError, whose text quotes the body's bytes, a password's included, into the
error log) and nesting deeper than msgspec recurses (RecursionError). `APIRequest` answers each
with a 400 naming the problem and never quoting the body; it refuses a body not declared as JSON
(415: a form or plain text is not parsed as JSON), and text holding NUL, which no Postgres text
column stores, naming the field.
"""

from typing import Any, Final

from litestar import Request
from litestar.exceptions import HTTPException, ValidationException

_NUL_ESCAPE: Final = b"\\u0000"  # JSON carries NUL in a string only escaped: raw, it is malformed


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
        return value


def body_error(message: str) -> ValidationException:
    return ValidationException(detail="invalid input", extra=[{"key": "body", "message": message}])


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
