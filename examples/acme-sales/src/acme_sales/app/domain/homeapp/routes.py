"""The home routes of the sales service.

| route                               | who                                   |
|-------------------------------------|---------------------------------------|
| GET    /v1/homes                 | any authenticated user                |
| GET    /v1/homes/{id}            | admin, or the owner                   |
| POST   /v1/homes                 | users (the caller becomes the owner)  |
| PATCH  /v1/homes/{id}            | admin, or the owner                   |
| DELETE /v1/homes/{id}            | admin, or the owner                   |
| GET    /v1/vhomes                | admin (with each owner's name)        |
"""

import asyncio
import typing
import uuid

import litestar
from litestar import di, params

from acme_sales.app.domain.homeapp import models, query
from acme_sales.app.sdk import apidoc, authclient, errs
from acme_sales.app.sdk.auth import claims
from acme_sales.app.sdk.mid import auth as mid

# By name: this module binds no class of the domain's, whose own `query` module is taken above.
from acme_sales.app.sdk.query import QueryResult
from acme_sales.business.domain import homebus

AnyRequest = litestar.Request[typing.Any, typing.Any, typing.Any]
# The id is text on the route, parsed by authorize_loaded: a malformed one is a 400 naming it.
ITEM = "/v1/homes/{home_id:str}"
# The query routes take the parsed query string; its parameters are to_bus_query's.
QUERY = {"q": di.Provide(query.to_bus_query, sync_to_thread=False)}
# Already parsed into business types, which Litestar would fail to convert again.
Parsed = params.SkipValidation[query.HomeQuery]


def routes(*, bus: homebus.HomeBus, auth: authclient.AuthClient) -> litestar.Router:
    in_path = mid.Loader(
        path_param="home_id",
        load=_loader(bus),
        owner_id=lambda item: item.user_id,
    )
    authenticated = mid.authenticate(auth)
    any_role = mid.authorize(auth, claims.Rule.ANY)
    user_only = mid.authorize(auth, claims.Rule.USER_ONLY)
    admin = mid.authorize(auth, claims.Rule.ADMIN_ONLY)
    admin_or_owner = mid.authorize_loaded(auth, claims.Rule.ADMIN_OR_SUBJECT, in_path)

    @litestar.get(
        "/v1/homes",
        guards=[authenticated, any_role],
        summary="Query homes",
        dependencies=QUERY,
        responses=apidoc.errors(400, 401, 403),
    )
    async def query_homes(q: Parsed) -> QueryResult[models.Home]:
        found, total = await asyncio.gather(
            bus.query(q.filter, q.order_by, q.page), bus.count(q.filter)
        )
        return QueryResult(
            items=[models.to_app_home(item) for item in found],
            total=total,
            page=q.page.number,
            rows_per_page=q.page.rows,
        )

    @litestar.get(
        ITEM,
        guards=[authenticated, admin_or_owner],
        summary="Get a home",
        responses=apidoc.errors(400, 401, 403, 404),
    )
    async def get_home(request: AnyRequest, home_id: mid.IdInPath) -> models.Home:
        return models.to_app_home(mid.loaded(request, homebus.Home))

    @litestar.post(
        "/v1/homes",
        guards=[authenticated, user_only],
        summary="Create a home",
        responses=apidoc.errors(400, 401, 403, 409),
    )
    async def create_home(
        request: AnyRequest, data: params.JSONBody[models.NewHome]
    ) -> models.Home:
        caller_id = mid.auth_info(request).user_id
        new = models.to_bus_new_home(data, owner_id=caller_id)
        try:
            item = await bus.create(new, actor_id=caller_id)
        except (homebus.UnknownOwnerError, homebus.DisabledOwnerError) as err:
            raise errs.Error(errs.ErrCode.FAILED_PRECONDITION, str(err)) from err
        return models.to_app_home(item)

    @litestar.patch(
        ITEM,
        guards=[authenticated, admin_or_owner],
        summary="Change a home",
        responses=apidoc.errors(400, 401, 403, 404),
    )
    async def update_home(
        request: AnyRequest, home_id: mid.IdInPath, data: params.JSONBody[models.UpdateHome]
    ) -> models.Home:
        update = models.to_bus_update_home(data)
        item = mid.loaded(request, homebus.Home)
        updated = await bus.update(item, update, actor_id=mid.auth_info(request).user_id)
        return models.to_app_home(updated)

    @litestar.delete(
        ITEM,
        guards=[authenticated, admin_or_owner],
        summary="Delete a home",
        responses=apidoc.errors(400, 401, 403, 404),
    )
    async def delete_home(request: AnyRequest, home_id: mid.IdInPath) -> None:
        await bus.delete(
            mid.loaded(request, homebus.Home),
            actor_id=mid.auth_info(request).user_id,
        )

    @litestar.get(
        "/v1/vhomes",
        guards=[authenticated, admin],
        summary="Homes with owners",
        dependencies=QUERY,
        responses=apidoc.errors(400, 401, 403),
    )
    async def query_home_views(
        q: Parsed,
    ) -> QueryResult[models.HomeView]:
        found, total = await asyncio.gather(
            bus.query_views(q.filter, q.order_by, q.page), bus.count(q.filter)
        )
        return QueryResult(
            items=[models.to_app_home_view(view) for view in found],
            total=total,
            page=q.page.number,
            rows_per_page=q.page.rows,
        )

    return litestar.Router(
        path="/",
        route_handlers=[
            query_homes,
            get_home,
            create_home,
            update_home,
            delete_home,
            query_home_views,
        ],
        tags=["homes"],
        security=apidoc.BEARER,
    )


def _loader(
    bus: homebus.HomeBus,
) -> "mid.LoadResource[homebus.Home]":
    async def load(home_id: uuid.UUID) -> homebus.Home:
        try:
            return await bus.query_by_id(home_id)
        except homebus.HomeNotFoundError as err:
            raise errs.Error(errs.ErrCode.NOT_FOUND, "home not found") from err

    return load
