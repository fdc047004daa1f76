"""Route guards: who is calling (401 when nobody valid) and may they do this (403 when not).

Guards run in the order a route lists them, before its handler:

    guards=[authenticate(client), authorize(client, Rule.ADMIN_ONLY)]
    guards=[authenticate(client), authorize_loaded(client, Rule.ADMIN_OR_SUBJECT, load_user)]

`authorize_loaded` first loads the resource the path names (404 when it does not exist) and
authorizes against its owner; the handler then takes the loaded resource with `loaded()` rather
than reading it twice. The path names it as text (`{user_id:str}`), parsed here, so that a
malformed id is a 400 naming the parameter (Litestar's `:uuid` converter answers a bare 404); the
handler declares the parameter as `IdInPath`, which the OpenAPI document shows as a UUID.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.params import Parameter
from litestar.types import Guard

from acme_sales.app.sdk import errs, params
from acme_sales.app.sdk.auth.auth import AuthInfo
from acme_sales.app.sdk.auth.claims import Rule
from acme_sales.app.sdk.authclient import AuthClient

T = TypeVar("T")

Connection = ASGIConnection[Any, Any, Any, Any]

LoadResource = Callable[[UUID], Awaitable[T]]  # raises errs.Error (404) when there is none

# A path parameter naming a resource by id: text on the route, parsed by `authorize_loaded`.
IdInPath = Annotated[str, Parameter(schema_extra={"format": "uuid"})]

_AUTH_INFO = "auth_info"
_LOADED = "loaded_resource"


@dataclass(frozen=True, slots=True)
class Loader(Generic[T]):
    """How to load the resource a path parameter names, and who owns it."""

    path_param: str
    load: LoadResource[T]
    owner_id: Callable[[T], UUID]


def authenticate(client: AuthClient) -> Guard:
    """Require a valid Bearer token of an enabled user."""

    async def guard(connection: Connection, _: BaseRouteHandler) -> None:
        header = connection.headers.get("authorization")
        if not header:
            raise errs.Error(
                errs.ErrCode.UNAUTHENTICATED, "missing authorization header: expected Bearer token"
            )
        connection.state[_AUTH_INFO] = await client.authenticate(header)

    return guard


def authorize(client: AuthClient, rule: Rule) -> Guard:
    """Require `rule` to allow the caller, acting on themself."""

    async def guard(connection: Connection, _: BaseRouteHandler) -> None:
        info = auth_info(connection)
        await client.authorize(info, info.user_id, rule)

    return guard


def authorize_loaded(client: AuthClient, rule: Rule, loader: Loader[Any]) -> Guard:
    """Load the resource the path names, then require `rule` to allow the caller on its owner."""

    async def guard(connection: Connection, _: BaseRouteHandler) -> None:
        info = auth_info(connection)
        raw = connection.path_params[loader.path_param]
        errors = errs.FieldErrors()
        resource_id = errors.check(loader.path_param, params.uuid, raw)
        errors.raise_if_any()
        resource = await loader.load(resource_id)
        await client.authorize(info, loader.owner_id(resource), rule)
        connection.state[_LOADED] = resource

    return guard


def auth_info(connection: Connection) -> AuthInfo:
    """The authenticated caller (the route must list the authenticate guard)."""
    info = connection.state.get(_AUTH_INFO)
    if not isinstance(info, AuthInfo):
        raise RuntimeError("auth_info() on a route without the authenticate guard")
    return info


def loaded(connection: Connection, kind: type[T]) -> T:
    """The resource `authorize_loaded` loaded for this request."""
    resource = connection.state.get(_LOADED)
    if not isinstance(resource, kind):
        raise RuntimeError(f"loaded({kind.__name__}) on a route without authorize_loaded")
    return resource
