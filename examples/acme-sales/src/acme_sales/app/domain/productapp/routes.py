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
from typing import Any
from uuid import UUID

from litestar import Request, Router, delete, get, patch, post
from litestar.params import JSONBody

from acme_sales.app.domain.productapp import models, query
from acme_sales.app.sdk import errs
from acme_sales.app.sdk.auth.claims import Rule
from acme_sales.app.sdk.authclient import AuthClient
from acme_sales.app.sdk.mid import auth as mid
from acme_sales.app.sdk.query import QueryResult
from acme_sales.business.domain import productbus

AnyRequest = Request[Any, Any, Any]
ITEM = "/v1/products/{product_id:uuid}"


def routes(*, products: productbus.ProductBus, auth: AuthClient) -> Router:
    in_path = mid.Loader(
        path_param="product_id",
        load=_loader(products),
        owner_id=lambda product: product.user_id,
    )
    authenticated = mid.authenticate(auth)
    any_role = mid.authorize(auth, Rule.ANY)
    user_only = mid.authorize(auth, Rule.USER_ONLY)
    admin = mid.authorize(auth, Rule.ADMIN_ONLY)
    admin_or_owner = mid.authorize_loaded(auth, Rule.ADMIN_OR_SUBJECT, in_path)

    @get("/v1/products", guards=[authenticated, any_role], summary="Query products")
    async def query_products(request: AnyRequest) -> QueryResult[models.Product]:
        q = query.to_bus_query(request.query_params)
        found, total = await asyncio.gather(
            products.query(q.filter, q.order_by, q.page), products.count(q.filter)
        )
        return QueryResult(
            items=[models.to_app_product(product) for product in found],
            total=total,
            page=q.page.number,
            rows_per_page=q.page.rows,
        )

    @get(ITEM, guards=[authenticated, admin_or_owner], summary="Get a product")
    async def get_product(request: AnyRequest) -> models.Product:
        return models.to_app_product(mid.loaded(request, productbus.Product))

    @post("/v1/products", guards=[authenticated, user_only], summary="Create a product")
    async def create_product(
        request: AnyRequest, data: JSONBody[models.NewProduct]
    ) -> models.Product:
        new = models.to_bus_new_product(data, owner_id=mid.auth_info(request).user_id)
        try:
            product = await products.create(new)
        except (productbus.OwnerNotFoundError, productbus.OwnerDisabledError) as err:
            raise errs.Error(errs.ErrCode.FAILED_PRECONDITION, str(err)) from err
        return models.to_app_product(product)

    @patch(ITEM, guards=[authenticated, admin_or_owner], summary="Change a product")
    async def update_product(
        request: AnyRequest, data: JSONBody[models.UpdateProduct]
    ) -> models.Product:
        update = models.to_bus_update_product(data)
        product = mid.loaded(request, productbus.Product)
        return models.to_app_product(await products.update(product, update))

    @delete(ITEM, guards=[authenticated, admin_or_owner], summary="Delete a product")
    async def delete_product(request: AnyRequest) -> None:
        await products.delete(mid.loaded(request, productbus.Product))

    @get("/v1/vproducts", guards=[authenticated, admin], summary="Products with owners")
    async def query_product_views(
        request: AnyRequest,
    ) -> QueryResult[models.ProductView]:
        q = query.to_bus_query(request.query_params)
        found, total = await asyncio.gather(
            products.query_views(q.filter, q.order_by, q.page), products.count(q.filter)
        )
        return QueryResult(
            items=[models.to_app_product_view(view) for view in found],
            total=total,
            page=q.page.number,
            rows_per_page=q.page.rows,
        )

    return Router(
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
    )


def _loader(
    products: productbus.ProductBus,
) -> "mid.LoadResource[productbus.Product]":
    async def load(product_id: UUID) -> productbus.Product:
        try:
            return await products.query_by_id(product_id)
        except productbus.ProductNotFoundError as err:
            raise errs.Error(errs.ErrCode.NOT_FOUND, "product not found") from err

    return load
