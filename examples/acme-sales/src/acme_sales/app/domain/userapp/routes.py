"""The user routes of the sales service.

| route                          | who                                 |
|--------------------------------|-------------------------------------|
| GET    /v1/users               | admin                               |
| GET    /v1/users/{id}          | admin, or the user themself         |
| POST   /v1/users               | admin                               |
| PATCH  /v1/users/{id}          | admin, or the user themself         |
| PUT    /v1/users/{id}/roles    | admin                               |
| DELETE /v1/users/{id}          | admin, or the user themself         |
"""

import asyncio
from typing import Annotated, Any
from uuid import UUID

from litestar import Request, Router, delete, get, patch, post, put
from litestar.params import JSONBody

from acme_sales.app.domain.userapp import models, query
from acme_sales.app.sdk import apidoc, errs
from acme_sales.app.sdk.auth.claims import Rule
from acme_sales.app.sdk.authclient import AuthClient
from acme_sales.app.sdk.mid import auth as mid
from acme_sales.app.sdk.query import QueryResult
from acme_sales.business.domain import userbus

AnyRequest = Request[Any, Any, Any]

_NOT_UNIQUE = errs.FieldError(field="email", error="email is not unique")
# The id is text on the route, parsed by authorize_loaded: a malformed one is a 400 naming it.
ITEM = "/v1/users/{user_id:str}"
_ORDER = apidoc.order_by(query.ORDER_FIELDS)


def routes(*, users: userbus.UserBus, auth: AuthClient) -> Router:
    user_in_path = mid.Loader(
        path_param="user_id", load=_loader(users), owner_id=lambda user: user.id
    )
    authenticated = mid.authenticate(auth)
    admin = mid.authorize(auth, Rule.ADMIN_ONLY)
    admin_or_self = mid.authorize_loaded(auth, Rule.ADMIN_OR_SUBJECT, user_in_path)
    admin_on_user = mid.authorize_loaded(auth, Rule.ADMIN_ONLY, user_in_path)

    @get(
        "/v1/users",
        guards=[authenticated, admin],
        summary="Query users",
        responses=apidoc.errors(400, 401, 403),
    )
    async def query_users(
        *,
        page: Annotated[str | None, apidoc.query("page", apidoc.PAGE)] = None,
        rows: Annotated[str | None, apidoc.query("rows", apidoc.ROWS)] = None,
        order_by: Annotated[str | None, apidoc.query("orderBy", _ORDER)] = None,
        user_id: Annotated[str | None, apidoc.query("userId", apidoc.UUID)] = None,
        name: Annotated[str | None, apidoc.query("name", apidoc.TEXT)] = None,
        email: Annotated[str | None, apidoc.query("email", apidoc.EMAIL)] = None,
        start_created_date: Annotated[
            str | None, apidoc.query("startCreatedDate", apidoc.TIMESTAMP)
        ] = None,
        end_created_date: Annotated[
            str | None, apidoc.query("endCreatedDate", apidoc.TIMESTAMP)
        ] = None,
    ) -> QueryResult[models.User]:
        q = query.to_bus_query(
            page=page,
            rows=rows,
            order_by=order_by,
            user_id=user_id,
            name=name,
            email=email,
            start_created_date=start_created_date,
            end_created_date=end_created_date,
        )
        found, total = await asyncio.gather(
            users.query(q.filter, q.order_by, q.page), users.count(q.filter)
        )
        return QueryResult(
            items=[models.to_app_user(user) for user in found],
            total=total,
            page=q.page.number,
            rows_per_page=q.page.rows,
        )

    @get(
        ITEM,
        guards=[authenticated, admin_or_self],
        summary="Get a user",
        responses=apidoc.errors(400, 401, 403, 404),
    )
    async def get_user(request: AnyRequest, user_id: mid.IdInPath) -> models.User:
        return models.to_app_user(mid.loaded(request, userbus.User))

    @post(
        "/v1/users",
        guards=[authenticated, admin],
        summary="Create a user",
        responses=apidoc.errors(400, 401, 403, 409),
    )
    async def create_user(request: AnyRequest, data: JSONBody[models.NewUser]) -> models.User:
        new_user = models.to_bus_new_user(data)
        try:
            user = await users.create(new_user, actor_id=mid.auth_info(request).user_id)
        except userbus.DuplicateEmailError as err:
            raise errs.Error(
                errs.ErrCode.ALREADY_EXISTS, "email is not unique", fields=[_NOT_UNIQUE]
            ) from err
        return models.to_app_user(user)

    @patch(
        ITEM,
        guards=[authenticated, admin_or_self],
        summary="Change some of a user's fields",
        responses=apidoc.errors(400, 401, 403, 404, 409),
    )
    async def update_user(
        request: AnyRequest, user_id: mid.IdInPath, data: JSONBody[models.UpdateUser]
    ) -> models.User:
        return await _update(request, users, models.to_bus_update_user(data))

    @put(
        f"{ITEM}/roles",
        guards=[authenticated, admin_on_user],
        summary="Replace a user's roles",
        responses=apidoc.errors(400, 401, 403, 404, 409),
    )
    async def update_roles(
        request: AnyRequest, user_id: mid.IdInPath, data: JSONBody[models.UpdateUserRoles]
    ) -> models.User:
        return await _update(request, users, models.to_bus_update_roles(data))

    @delete(
        ITEM,
        guards=[authenticated, admin_or_self],
        summary="Delete a user",
        responses=apidoc.errors(400, 401, 403, 404, 409),
    )
    async def delete_user(request: AnyRequest, user_id: mid.IdInPath) -> None:
        try:
            await users.delete(
                mid.loaded(request, userbus.User), actor_id=mid.auth_info(request).user_id
            )
        except (userbus.LastAdminError, userbus.UserInUseError) as err:
            raise errs.Error(errs.ErrCode.FAILED_PRECONDITION, str(err)) from err

    return Router(
        path="/",
        route_handlers=[query_users, get_user, create_user, update_user, update_roles, delete_user],
        tags=["users"],
        security=apidoc.BEARER,
    )


async def _update(
    request: AnyRequest, users: userbus.UserBus, update: userbus.UpdateUser
) -> models.User:
    """Apply `update` to the user the path names, as the caller (who the audit records)."""
    user = mid.loaded(request, userbus.User)
    try:
        updated = await users.update(user, update, actor_id=mid.auth_info(request).user_id)
    except userbus.DuplicateEmailError as err:
        raise errs.Error(
            errs.ErrCode.ALREADY_EXISTS, "email is not unique", fields=[_NOT_UNIQUE]
        ) from err
    except userbus.LastAdminError as err:
        raise errs.Error(errs.ErrCode.FAILED_PRECONDITION, str(err)) from err
    return models.to_app_user(updated)


def _loader(users: userbus.UserBus) -> "mid.LoadResource[userbus.User]":
    async def load(user_id: UUID) -> userbus.User:
        try:
            return await users.query_by_id(user_id)
        except userbus.UserNotFoundError as err:
            raise errs.Error(errs.ErrCode.NOT_FOUND, "user not found") from err

    return load
