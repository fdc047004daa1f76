"""The product routes of the sales service.

| route                               | who                                   |
|-------------------------------------|---------------------------------------|
| GET    /v1/products                 | any authenticated user                |
| GET    /v1/products/{id}            | admin, or the owner                   |
| POST   /v1/products                 | users (the caller becomes the owner)  |
| PATCH  /v1/products/{id}            | admin, or the owner                   |
| DELETE /v1/products/{id}            | admin, or the owner                   |
| GET    /v1/vproducts                | admin (with each owner's name)        |
"""

import asyncio
import typing
import uuid

import litestar
from litestar import di, params

from acme_sales.app.domain.productapp import models, query
from acme_sales.app.sdk import apidoc, authclient, errs
from acme_sales.app.sdk.auth import claims
from acme_sales.app.sdk.mid import auth as mid

# By name: this module binds no class of the domain's, whose own `query` module is taken above.
from acme_sales.app.sdk.query import QueryResult
from acme_sales.business.domain import productbus

AnyRequest = litestar.Request[typing.Any, typing.Any, typing.Any]
# The id is text on the route, parsed by authorize_loaded: a malformed one is a 400 naming it.
ITEM = "/v1/products/{product_id:str}"
# The query routes take the parsed query string; its parameters are to_bus_query's.
QUERY = {"q": di.Provide(query.to_bus_query, sync_to_thread=False)}
# Already parsed into business types, which Litestar would fail to convert again.
Parsed = params.SkipValidation[query.ProductQuery]


def routes(*, bus: productbus.ProductBus, auth: authclient.AuthClient) -> litestar.Router:
    in_path = mid.Loader(
        path_param="product_id",
        load=_loader(bus),
        owner_id=lambda item: item.user_id,
    )
    authenticated = mid.authenticate(auth)
    any_role = mid.authorize(auth, claims.Rule.ANY)
    user_only = mid.authorize(auth, claims.Rule.USER_ONLY)
    admin = mid.authorize(auth, claims.Rule.ADMIN_ONLY)
    admin_or_owner = mid.authorize_loaded(auth, claims.Rule.ADMIN_OR_SUBJECT, in_path)

    @litestar.get(
        "/v1/products",
        guards=[authenticated, any_role],
        summary="Query products",
        dependencies=QUERY,
        responses=apidoc.errors(400, 401, 403),
    )
    async def query_products(q: Parsed) -> QueryResult[models.Product]:
        found, total = await asyncio.gather(
            bus.query(q.filter, q.order_by, q.page), bus.count(q.filter)
        )
        return QueryResult(
            items=[models.to_app_product(item) for item in found],
            total=total,
            page=q.page.number,
            rows_per_page=q.page.rows,
        )

    @litestar.get(
        ITEM,
        guards=[authenticated, admin_or_owner],
        summary="Get a product",
        responses=apidoc.errors(400, 401, 403, 404),
    )
    async def get_product(request: AnyRequest, product_id: mid.IdInPath) -> models.Product:
        return models.to_app_product(mid.loaded(request, productbus.Product))

    @litestar.post(
        "/v1/products",
        guards=[authenticated, user_only],
        summary="Create a product",
        responses=apidoc.errors(400, 401, 403, 409),
    )
    async def create_product(
        request: AnyRequest, data: params.JSONBody[models.NewProduct]
    ) -> models.Product:
        caller_id = mid.auth_info(request).user_id
        new = models.to_bus_new_product(data, owner_id=caller_id)
        try:
            item = await bus.create(new, actor_id=caller_id)
        except (productbus.UnknownOwnerError, productbus.DisabledOwnerError) as err:
            raise errs.Error(errs.ErrCode.FAILED_PRECONDITION, str(err)) from err
        return models.to_app_product(item)

    @litestar.patch(
        ITEM,
        guards=[authenticated, admin_or_owner],
        summary="Change a product",
        responses=apidoc.errors(400, 401, 403, 404),
    )
    async def update_product(
        request: AnyRequest, product_id: mid.IdInPath, data: params.JSONBody[models.UpdateProduct]
    ) -> models.Product:
        update = models.to_bus_update_product(data)
        item = mid.loaded(request, productbus.Product)
        updated = await bus.update(item, update, actor_id=mid.auth_info(request).user_id)
        return models.to_app_product(updated)

    @litestar.delete(
        ITEM,
        guards=[authenticated, admin_or_owner],
        summary="Delete a product",
        responses=apidoc.errors(400, 401, 403, 404),
    )
    async def delete_product(request: AnyRequest, product_id: mid.IdInPath) -> None:
        await bus.delete(
            mid.loaded(request, productbus.Product),
            actor_id=mid.auth_info(request).user_id,
        )

    @litestar.get(
        "/v1/vproducts",
        guards=[authenticated, admin],
        summary="Products with owners",
        dependencies=QUERY,
        responses=apidoc.errors(400, 401, 403),
    )
    async def query_product_views(
        q: Parsed,
    ) -> QueryResult[models.ProductView]:
        found, total = await asyncio.gather(
            bus.query_views(q.filter, q.order_by, q.page), bus.count(q.filter)
        )
        return QueryResult(
            items=[models.to_app_product_view(view) for view in found],
            total=total,
            page=q.page.number,
            rows_per_page=q.page.rows,
        )

    return litestar.Router(
        path="/",
        route_handlers=[
            query_products,
            get_product,
            create_product,
            update_product,
            delete_product,
            query_product_views,
        ],
        tags=["products"],
        security=apidoc.BEARER,
    )


def _loader(
    bus: productbus.ProductBus,
) -> "mid.LoadResource[productbus.Product]":
    async def load(product_id: uuid.UUID) -> productbus.Product:
        try:
            return await bus.query_by_id(product_id)
        except productbus.ProductNotFoundError as err:
            raise errs.Error(errs.ErrCode.NOT_FOUND, "product not found") from err

    return load
