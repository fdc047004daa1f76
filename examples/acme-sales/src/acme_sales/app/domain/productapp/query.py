"""Query string -> business filter, order and page, each refused parameter named."""

from collections.abc import Mapping
from dataclasses import dataclass

from acme_sales.app.sdk import params
from acme_sales.app.sdk.errs import FieldErrors
from acme_sales.business.domain import productbus
from acme_sales.business.sdk import order
from acme_sales.business.sdk.page import Page
from acme_sales.business.types import (
    Money,
    Quantity,
)

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
    page: Page


def to_bus_query(query: Mapping[str, str]) -> ProductQuery:
    """Parse the query string; absent or empty parameters mean "no condition"."""
    errors = FieldErrors()
    number = errors.check("page", lambda raw: Page.parse(raw, None).number, query.get("page"))
    rows = errors.check("rows", lambda raw: Page.parse(None, raw).rows, query.get("rows"))
    order_by = errors.check("orderBy", _parse_order, query.get("orderBy"))
    id_ = errors.check("productId", params.optional(params.uuid), query.get("productId"))
    user_id = errors.check("userId", params.optional(params.uuid), query.get("userId"))
    name = query.get("name") or None
    cost = errors.check("cost", params.optional(_cost), query.get("cost"))
    quantity = errors.check("quantity", params.optional(_quantity), query.get("quantity"))
    start = errors.check(
        "startCreatedDate", params.optional(params.timestamp), query.get("startCreatedDate")
    )
    end = errors.check(
        "endCreatedDate", params.optional(params.timestamp), query.get("endCreatedDate")
    )
    errors.raise_if_any()
    query_filter = productbus.ProductFilter(
        id=id_,
        user_id=user_id,
        name=name,
        cost=cost,
        quantity=quantity,
        start_created_date=start,
        end_created_date=end,
    )
    return ProductQuery(filter=query_filter, order_by=order_by, page=Page(number, rows))


def _parse_order(raw: str | None) -> order.OrderBy:
    parsed = order.parse(raw, allowed=ORDER_FIELDS, default=_DEFAULT_ORDER)
    return order.OrderBy(ORDER_FIELDS[parsed.field], parsed.direction)


def _cost(raw: str) -> Money:
    return Money.parse(params.decimal(raw))


def _quantity(raw: str) -> Quantity:
    return Quantity.parse(params.integer(raw))
