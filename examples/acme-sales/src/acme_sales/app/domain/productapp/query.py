"""Query string -> business filter, order and page, each refused parameter named.

`to_bus_query` is the query routes' dependency: its signature declares the parameters, as text
for the parsers here, documented with their types (see app/sdk/apidoc.py).
"""

import typing
from dataclasses import dataclass

from acme_sales.app.sdk import apidoc, errs, params
from acme_sales.business import types
from acme_sales.business.domain import productbus
from acme_sales.business.sdk import order, page

# API name -> business order field: the only names `orderBy` accepts.
ORDER_FIELDS = {
    "productId": productbus.order.ID,
    "userId": productbus.order.USER_ID,
    "name": productbus.order.NAME,
    "cost": productbus.order.COST,
    "quantity": productbus.order.QUANTITY,
    "dateCreated": productbus.order.DATE_CREATED,
}
_DEFAULT_ORDER = order.OrderBy("productId", order.Direction.ASC)


@dataclass(frozen=True, slots=True)
class ProductQuery:
    filter: productbus.ProductFilter
    order_by: order.OrderBy
    page: page.Page


def to_bus_query(
    *,
    page_number: typing.Annotated[str | None, apidoc.query("page", apidoc.PAGE)] = None,
    rows_per_page: typing.Annotated[str | None, apidoc.query("rows", apidoc.ROWS)] = None,
    order_by: typing.Annotated[
        str | None, apidoc.query("orderBy", apidoc.order_by(ORDER_FIELDS))
    ] = None,
    id_filter: typing.Annotated[str | None, apidoc.query("productId", apidoc.UUID)] = None,
    owner_filter: typing.Annotated[str | None, apidoc.query("userId", apidoc.UUID)] = None,
    created_from: typing.Annotated[
        str | None, apidoc.query("startCreatedDate", apidoc.TIMESTAMP)
    ] = None,
    created_to: typing.Annotated[
        str | None, apidoc.query("endCreatedDate", apidoc.TIMESTAMP)
    ] = None,
    name_param: typing.Annotated[str | None, apidoc.query("name", apidoc.TEXT)] = None,
    cost_param: typing.Annotated[str | None, apidoc.query("cost", apidoc.MONEY)] = None,
    quantity_param: typing.Annotated[str | None, apidoc.query("quantity", apidoc.QUANTITY)] = None,
) -> ProductQuery:
    """Parse the query string; absent or empty parameters mean "no condition".

    A field's parameter is `<field>_param`, a name none of the others has; its value goes
    straight into the filter, so no variable is named after a field. The page is built once every
    parameter is known to be valid (Page checks its numbers).
    """
    errors = errs.FieldErrors()
    number = errors.check("page", lambda raw: page.Page.parse(raw, None).number, page_number)
    per_page = errors.check("rows", lambda raw: page.Page.parse(None, raw).rows, rows_per_page)
    ordering = errors.check("orderBy", _parse_order, order_by)
    query_filter = productbus.ProductFilter(
        id=errors.check("productId", params.optional(params.uuid), id_filter),
        user_id=errors.check("userId", params.optional(params.uuid), owner_filter),
        name=name_param or None,
        cost=errors.check("cost", params.optional(_cost_from_query), cost_param),
        quantity=errors.check("quantity", params.optional(_quantity_from_query), quantity_param),
        start_created_date=errors.check(
            "startCreatedDate", params.optional(params.timestamp), created_from
        ),
        end_created_date=errors.check(
            "endCreatedDate", params.optional(params.timestamp), created_to
        ),
    )
    errors.raise_if_any()
    return ProductQuery(filter=query_filter, order_by=ordering, page=page.Page(number, per_page))


def _parse_order(raw: str | None) -> order.OrderBy:
    parsed = order.parse(raw, allowed=ORDER_FIELDS, default=_DEFAULT_ORDER)
    return order.OrderBy(ORDER_FIELDS[parsed.field], parsed.direction)


def _cost_from_query(raw: str) -> types.Money:
    return types.Money.parse(raw)


def _quantity_from_query(raw: str) -> types.Quantity:
    return types.Quantity.parse(params.integer(raw))
