"""Exception handlers: every failure is answered with the error model, and the log says why.

- `errs.Error` raised by a handler: its code and message (masked for internal codes).
- Litestar's own HTTP exceptions (bad input, no such route, wrong method): the matching code,
  with per-field errors for validation failures (every field of a body: see foundation/jsonbody).
- The database unavailable (down, or no connection within the acquire timeout): 503 with
  Retry-After, not logged per request (the database logs when it goes and comes back); a
  statement past the statement timeout: 504.
- Anything else is a bug: logged with its traceback, answered with a masked 500.
"""

import re
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from acme_sales.app.sdk import errs, metrics
from acme_sales.foundation import sqldb
from acme_sales.foundation.logger import Logger

_MISSING_FIELD = re.compile(r"missing required field `(?P<name>[^`]+)`(?: - at `(?P<path>[^`]+)`)?")

_CODE_FOR_STATUS: Mapping[int, errs.ErrCode] = {
    400: errs.ErrCode.INVALID_ARGUMENT,
    401: errs.ErrCode.UNAUTHENTICATED,
    403: errs.ErrCode.PERMISSION_DENIED,
    404: errs.ErrCode.NOT_FOUND,
    405: errs.ErrCode.METHOD_NOT_ALLOWED,
    409: errs.ErrCode.ABORTED,
    413: errs.ErrCode.CONTENT_TOO_LARGE,
    415: errs.ErrCode.UNSUPPORTED_MEDIA_TYPE,
    429: errs.ErrCode.TOO_MANY_REQUESTS,
    503: errs.ErrCode.UNAVAILABLE,
}


def exception_handlers(log: Logger) -> ExceptionHandlersMap:
    """The handlers every service installs, logging to `log`."""

    def answer(
        request: Request[Any, Any, Any],
        err: errs.Error,
        cause: Exception,
        *,
        headers: dict[str, str] | None = None,
        logged: bool = True,
    ) -> Response[Any]:
        metrics.ERRORS.labels(err.code.value).inc()
        if logged:
            note(request, err, cause)
        return Response(
            content=errs.to_response(err),
            status_code=err.code.http_status,
            media_type=MediaType.JSON,
            headers=headers or getattr(cause, "headers", None),
        )

    def note(request: Request[Any, Any, Any], err: errs.Error, cause: Exception) -> None:
        if err.code in errs.MASKED_CODES:  # a bug or a broken dependency: keep the traceback
            log.error(
                "request failed",
                code=err.code.value,
                message=err.message,
                path=request.url.path,
                exc_info=cause,
            )
        elif err.code.http_status >= 500:
            log.warning(
                "request failed", code=err.code.value, message=err.message, path=request.url.path
            )
        else:
            log.info(
                "request refused",
                code=err.code.value,
                message=err.message,
                path=request.url.path,
                source=_raise_site(cause),
            )

    def app_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        assert isinstance(exc, errs.Error)  # noqa: S101  (registered for errs.Error only)
        return answer(request, exc, exc)

    def http_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        assert isinstance(exc, HTTPException)  # noqa: S101  (registered for HTTPException only)
        return answer(request, to_app_error(exc), exc)

    def database_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        err = errs.Error(errs.ErrCode.UNAVAILABLE, "database unavailable, try again shortly")
        return answer(request, err, exc, headers={"Retry-After": "1"}, logged=False)

    def statement_timeout(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        err = errs.Error(errs.ErrCode.DEADLINE_EXCEEDED, "the database took too long")
        return answer(request, err, exc)

    def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        # A bug: the traceback goes to the log, the client learns nothing of the insides.
        metrics.PANICS.inc()
        return answer(request, errs.Error(errs.ErrCode.INTERNAL, repr(exc)), exc)

    return {
        errs.Error: app_error,
        HTTPException: http_error,
        sqldb.DatabaseUnavailableError: database_unavailable,
        sqldb.StatementTimeoutError: statement_timeout,
        Exception: unexpected_error,
    }


def to_app_error(exc: HTTPException) -> errs.Error:
    """Litestar's exception as the error model, keeping its status."""
    if isinstance(exc, ValidationException):
        return errs.Error.invalid_fields(_field_errors(exc.extra))
    code = _CODE_FOR_STATUS.get(exc.status_code)
    if code is None:
        code = errs.ErrCode.INTERNAL if exc.status_code >= 500 else errs.ErrCode.INVALID_ARGUMENT
    return errs.Error(code, str(exc.detail).lower())


def _field_errors(extra: Any) -> list[errs.FieldError]:
    items: Sequence[Any] = extra if isinstance(extra, list) else [extra] if extra else []
    fields: list[errs.FieldError] = []
    for item in items:
        if isinstance(item, Mapping):
            fields.append(_field_error(item))
        else:
            fields.append(errs.FieldError(field="body", error=str(item)))
    return fields or [errs.FieldError(field="body", error="invalid request")]


def _field_error(item: Mapping[str, Any]) -> errs.FieldError:
    message = str(item.get("message", item))
    if item.get("key") == "data" and message == "'data'":
        # Litestar passes an empty body on as no data at all, and the handler's required `data`
        # argument is then reported by its key alone.
        return errs.FieldError(field="body", error="a JSON body is required")
    return errs.FieldError(field=_field_name(item, message), error=message)


def _field_name(item: Mapping[str, Any], message: str) -> str:
    missing = _MISSING_FIELD.search(message)
    if missing:  # msgspec names a missing field only in its message, against the parent object
        parent = (missing["path"] or "$").removeprefix("$").lstrip(".")
        return f"{parent}.{missing['name']}" if parent else missing["name"]
    key = item.get("key")
    return str(key) if key and key != "data" else "body"


def _raise_site(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}"
