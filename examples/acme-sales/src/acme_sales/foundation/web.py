"""Litestar glue: one way to build an app, with the settings every service shares.

Services pass their routes, exception handlers and lifespan hooks explicitly; nothing is found by
scanning or registered as a side effect of an import.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import ValidationException
from litestar.middleware import ASGIMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute
from litestar.types import (
    ASGIApp,
    ControllerRouterHandler,
    ExceptionHandlersMap,
    LifespanHook,
    Message,
    Receive,
    Scope,
    Send,
)

from acme_sales.foundation.apischema import StrictStructSchemaPlugin
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
    security_schemes: Mapping[str, SecurityScheme] | None = None,
) -> Litestar:
    """A Litestar app that logs nothing itself (the service's middleware does), sends HSTS and
    takes JSON bodies as `jsonbody` says; its OpenAPI document (/docs) lists `security_schemes`,
    which routes require with `security=`."""
    cors = None
    if cors_allowed_origins:
        cors = CORSConfig(
            allow_origins=list(cors_allowed_origins),
            allow_methods=list(CORS_METHODS),
            allow_headers=list(CORS_HEADERS),
            max_age=86400,
        )
    allowed: dict[str, str] = {}
    app = Litestar(
        route_handlers=route_handlers,
        exception_handlers=exception_handlers,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        cors_config=cors,
        before_send=[add_hsts, allow_header(allowed)],
        openapi_config=OpenAPIConfig(
            title=title,
            version=version,
            path="/docs",
            components=Components(security_schemes=dict(security_schemes or {})),
        ),
        plugins=[StrictStructSchemaPlugin()],
        request_class=APIRequest,
        middleware=[RefuseNulInQuery()],
        logging_config=None,
        debug=False,
    )
    allowed.update(
        (route.path_format, ", ".join(sorted(route.methods)))
        for route in app.routes
        if isinstance(route, HTTPRoute)
    )
    return app


def allow_header(allowed: Mapping[str, str]) -> Callable[[Message, Scope], Awaitable[None]]:
    """Answer OPTIONS with every method of the route, from `allowed` (route template -> Allow).

    Litestar's automatic OPTIONS handler lists the methods of the path's first handler only when
    handlers for one path are registered one by one, as a Router's are (GET and OPTIONS, where
    PATCH and DELETE are served too); the app's routes, built last, know them all.
    """

    async def hook(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start" and scope.get("method") == "OPTIONS":
            headers = MutableScopeHeaders.from_message(message)
            methods = allowed.get(scope.get("path_template", ""))
            if "allow" in headers and methods:
                headers["Allow"] = methods

    return hook


class RefuseNulInQuery(ASGIMiddleware):
    """A query value holding NUL is refused, naming its parameter: query values are compared
    with Postgres text, which holds no NUL (the query would fail as a 500). A middleware, not a
    `before_request` hook, because a route's own hook would replace the app's."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        raw: bytes = scope["query_string"]
        if b"%00" in raw or b"\x00" in raw:
            refused = [
                {"key": name, "message": "must not contain NUL (%00)"}
                for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
                if "\x00" in name or "\x00" in value
            ]
            if refused:
                raise ValidationException(detail="invalid input", extra=refused)
        await next_app(scope, receive, send)


async def add_hsts(message: Message, _: Scope) -> None:
    """Send HSTS on every response, error responses and unmatched routes included."""
    if message["type"] == "http.response.start":
        MutableScopeHeaders.from_message(message)["Strict-Transport-Security"] = HSTS
