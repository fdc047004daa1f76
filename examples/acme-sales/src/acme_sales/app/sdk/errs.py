"""The one error model every failure is answered with.

On the wire: `{"code": "not_found", "message": "user not found"}`; validation failures add
`"fields": [{"field": "email", "error": "..."}]`. Codes follow gRPC's names (as the reference
service does) and each maps to one HTTP status. Internal errors never show their message to the
client: it is logged, and the client sees "internal server error".
"""

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any, TypeVar, cast

import msgspec
from msgspec import UnsetType

from acme_sales.business.sdk.unchanged import UNCHANGED, Unchanged

T = TypeVar("T")
R = TypeVar("R")


class ErrCode(StrEnum):
    CANCELED = "canceled"
    UNKNOWN = "unknown"
    INVALID_ARGUMENT = "invalid_argument"
    DEADLINE_EXCEEDED = "deadline_exceeded"
    NOT_FOUND = "not_found"
    ALREADY_EXISTS = "already_exists"
    PERMISSION_DENIED = "permission_denied"
    RESOURCE_EXHAUSTED = "resource_exhausted"
    FAILED_PRECONDITION = "failed_precondition"
    ABORTED = "aborted"
    OUT_OF_RANGE = "out_of_range"
    UNIMPLEMENTED = "unimplemented"
    INTERNAL = "internal"
    UNAVAILABLE = "unavailable"
    DATA_LOSS = "data_loss"
    UNAUTHENTICATED = "unauthenticated"
    TOO_MANY_REQUESTS = "too_many_requests"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONTENT_TOO_LARGE = "content_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"

    @property
    def http_status(self) -> int:
        return _HTTP_STATUS[self]


_HTTP_STATUS: dict[ErrCode, int] = {
    ErrCode.CANCELED: 504,
    ErrCode.UNKNOWN: 500,
    ErrCode.INVALID_ARGUMENT: 400,
    ErrCode.DEADLINE_EXCEEDED: 504,
    ErrCode.NOT_FOUND: 404,
    ErrCode.ALREADY_EXISTS: 409,
    ErrCode.PERMISSION_DENIED: 403,
    ErrCode.RESOURCE_EXHAUSTED: 429,
    ErrCode.FAILED_PRECONDITION: 409,  # a valid request the current state refuses: Conflict
    ErrCode.ABORTED: 409,
    ErrCode.OUT_OF_RANGE: 400,
    ErrCode.UNIMPLEMENTED: 501,
    ErrCode.INTERNAL: 500,
    ErrCode.UNAVAILABLE: 503,
    ErrCode.DATA_LOSS: 500,
    ErrCode.UNAUTHENTICATED: 401,
    ErrCode.TOO_MANY_REQUESTS: 429,
    ErrCode.METHOD_NOT_ALLOWED: 405,
    ErrCode.CONTENT_TOO_LARGE: 413,  # not retried: the same body is as large next time
    ErrCode.UNSUPPORTED_MEDIA_TYPE: 415,
}

# Codes whose message may describe the server's insides: the client gets this instead.
MASKED_CODES = frozenset({ErrCode.UNKNOWN, ErrCode.INTERNAL, ErrCode.DATA_LOSS})
MASKED_MESSAGE = "internal server error"


class FieldError(msgspec.Struct, frozen=True):
    """Why one input field was refused."""

    field: str
    error: str


class Error(Exception):
    """A failure the app layer answers with a known code and a message meant for the client."""

    def __init__(self, code: ErrCode, message: str, *, fields: Sequence[FieldError] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = tuple(fields)

    @classmethod
    def invalid_fields(cls, fields: Sequence[FieldError]) -> "Error":
        """A validation failure naming each refused field."""
        names = ", ".join(sorted({f.field for f in fields}))
        return cls(ErrCode.INVALID_ARGUMENT, f"invalid input: {names}", fields=fields)

    def __repr__(self) -> str:
        return f"Error({self.code.value!r}, {self.message!r}, fields={list(self.fields)!r})"


class ErrorResponse(msgspec.Struct, frozen=True, omit_defaults=True):
    """The JSON body of every error response."""

    code: ErrCode
    message: str
    fields: tuple[FieldError, ...] = ()


def to_response(err: Error) -> ErrorResponse:
    """The body the client sees for `err`: masked when the code may leak internals."""
    if err.code in MASKED_CODES:
        return ErrorResponse(code=err.code, message=MASKED_MESSAGE)
    return ErrorResponse(code=err.code, message=err.message, fields=err.fields)


class FieldErrors:
    """Collects why input fields were refused, so one response names all of them.

    Converters parse every field through `check`, then call `raise_if_any`:

        errors = FieldErrors()
        name = errors.check("name", Name.parse, app.name)
        email = errors.check("email", Email.parse, app.email)
        errors.raise_if_any()
        return NewUser(name=name, email=email)

    A refused field's value is a placeholder that must never reach anything: call `raise_if_any`
    before using a value built from the checked fields. Generated domains check each field inside
    the constructor call (`NewProduct(name=errors.check(...), ...)`) and raise before returning
    the value, so that no variable is named after a field a team may call anything.
    """

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(self, field: str, parse: Callable[[R], T], raw: R) -> T:
        try:
            return parse(raw)
        except ValueError as err:  # strong types raise ValueError subclasses with the reason
            self.add(field, str(err))
            return cast("T", _REFUSED)

    def check_update(
        self, field: str, parse: Callable[[R], T], raw: R | UnsetType
    ) -> T | Unchanged:
        """`check` for a field of a partial update: left out of the JSON means UNCHANGED."""
        if isinstance(raw, UnsetType):
            return UNCHANGED
        return self.check(field, parse, raw)

    def add(self, field: str, error: str) -> None:
        self.errors.append(FieldError(field=field, error=error))

    def raise_if_any(self) -> None:
        if self.errors:
            raise Error.invalid_fields(self.errors)


_REFUSED: Any = object()
