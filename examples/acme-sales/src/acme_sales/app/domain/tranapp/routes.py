"""POST /v1/tranexample (admin): a user and a product of theirs, in ONE transaction.

The reference service's transaction example. Each step runs on the transaction's connection;
if any step fails (the product is converted only after the user exists, so an invalid
product fails the second step), the user is rolled back with it.

This is a use case across domains, not a domain: it reuses the user and product
converters rather than copying them.
"""

from typing import Any

import msgspec
from litestar import Request, Router, post
from litestar.params import JSONBody

from acme_sales.app.domain.productapp import models as productmodels
from acme_sales.app.domain.userapp import models as usermodels
from acme_sales.app.sdk import apidoc, errs
from acme_sales.app.sdk.auth.claims import Rule
from acme_sales.app.sdk.authclient import AuthClient
from acme_sales.app.sdk.mid import auth as mid
from acme_sales.business.domain import productbus, userbus
from acme_sales.business.sdk import tx
from acme_sales.foundation.sqldb.database import Database


class NewTran(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    user: usermodels.NewUser
    product: productmodels.NewProduct


class Tran(msgspec.Struct, frozen=True):
    user: usermodels.User
    product: productmodels.Product


def routes(
    *,
    db: Database,
    users: userbus.UserBus,
    bus: productbus.ProductBus,
    auth: AuthClient,
) -> Router:
    authenticated = mid.authenticate(auth)
    admin = mid.authorize(auth, Rule.ADMIN_ONLY)

    @post(
        "/v1/tranexample",
        guards=[authenticated, admin],
        summary="Transaction example",
        responses=apidoc.errors(400, 401, 403, 409),
    )
    async def create_tran(request: Request[Any, Any, Any], data: JSONBody[NewTran]) -> Tran:
        actor_id = mid.auth_info(request).user_id
        try:
            new_user = usermodels.to_bus_new_user(data.user)
        except errs.Error as err:
            raise _prefixed("user", err) from err
        async with tx.transaction(db) as conn:
            try:
                user = await users.with_querier(conn).create(new_user, actor_id=actor_id)
            except userbus.DuplicateEmailError as err:
                raise errs.Error(errs.ErrCode.ALREADY_EXISTS, "email is not unique") from err
            try:
                new = productmodels.to_bus_new_product(data.product, owner_id=user.id)
            except errs.Error as err:
                raise _prefixed("product", err) from err
            item = await bus.with_querier(conn).create(new, actor_id=actor_id)
        return Tran(
            user=usermodels.to_app_user(user),
            product=productmodels.to_app_product(item),
        )

    return Router(
        path="/", route_handlers=[create_tran], tags=["transactions"], security=apidoc.BEARER
    )


def _prefixed(part: str, err: errs.Error) -> errs.Error:
    """`err` with its refused fields named `part.field`, as they are in the request body."""
    fields = [errs.FieldError(f"{part}.{f.field}", f.error) for f in err.fields]
    return errs.Error.invalid_fields(fields)
