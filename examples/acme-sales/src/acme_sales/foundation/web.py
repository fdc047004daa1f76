"""Litestar glue: one way to build an app, with the settings every service shares.

Services pass their routes, exception handlers and lifespan hooks explicitly; nothing is found by
scanning or registered as a side effect of an import.
"""

from collections.abc import Sequence
from typing import Any

from litestar import Litestar, Request
from litestar.config.cors import CORSConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.types import (
    ControllerRouterHandler,
    ExceptionHandlersMap,
    LifespanHook,
    Message,
    Scope,
)

from acme_sales.foundation.jsonbody import APIRequest

# Browsers must keep using HTTPS for this host for two years (what the reference service sends).
HSTS = "max-age=63072000; includeSubDomains; preload"
CORS_METHODS: Sequence[Any] = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
CORS_HEADERS = ("Accept", "Content-Type", "Content-Length", "Accept-Encoding", "Authorization")


def new_app(
    *,
    title: str,
    version: str,
    route_handlers: Sequence[ControllerRouterHandler],
    exception_handlers: ExceptionHandlersMap,
    on_startup: Sequence[LifespanHook] = (),
    on_shutdown: Sequence[LifespanHook] = (),
    cors_allowed_origins: Sequence[str] = (),
) -> Litestar:
    """A Litestar app that logs nothing itself (the service's middleware does), sends HSTS and
    takes JSON bodies as `jsonbody` says."""
    cors = None
    if cors_allowed_origins:
        cors = CORSConfig(
            allow_origins=list(cors_allowed_origins),
            allow_methods=list(CORS_METHODS),
            allow_headers=list(CORS_HEADERS),
            max_age=86400,
        )
    return Litestar(
        route_handlers=route_handlers,
        exception_handlers=exception_handlers,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        cors_config=cors,
        before_send=[add_hsts],
        openapi_config=OpenAPIConfig(title=title, version=version, path="/docs"),
        request_class=APIRequest,
        before_request=refuse_nul_in_query,
        logging_config=None,
        debug=False,
    )


def refuse_nul_in_query(request: Request[Any, Any, Any]) -> None:
    """A query value holding NUL is refused, naming its parameter: query values are compared
    with Postgres text, which holds no NUL (the query would fail as a 500)."""
    raw = request.scope["query_string"]
    if b"%00" not in raw and b"\x00" not in raw:
        return
    refused = [
        {"key": name, "message": "must not contain NUL (%00)"}
        for name, value in request.query_params.multi_items()
        if "\x00" in name or "\x00" in value
    ]
    if refused:
        raise ValidationException(detail="invalid input", extra=refused)


async def add_hsts(message: Message, _: Scope) -> None:
    """Send HSTS on every response, error responses and unmatched routes included."""
    if message["type"] == "http.response.start":
        MutableScopeHeaders.from_message(message)["Strict-Transport-Security"] = HSTS
