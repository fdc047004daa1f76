"""Query string -> business filter, order and page, each refused parameter named."""

from collections.abc import Mapping
from dataclasses import dataclass

from acme_sales.app.sdk import params
from acme_sales.app.sdk.errs import FieldErrors
from acme_sales.business.domain import homebus
from acme_sales.business.sdk import order
from acme_sales.business.sdk.page import Page

# API name -> business order field: the only names `orderBy` accepts.
ORDER_FIELDS = {
    "homeId": homebus.order.ID,
    "userId": homebus.order.USER_ID,
    "type": homebus.order.TYPE,
    "address1": homebus.order.ADDRESS1,
    "address2": homebus.order.ADDRESS2,
    "zipCode": homebus.order.ZIP_CODE,
    "city": homebus.order.CITY,
    "state": homebus.order.STATE,
    "country": homebus.order.COUNTRY,
    "dateCreated": homebus.order.DATE_CREATED,
}
_DEFAULT_ORDER = order.OrderBy("homeId", order.Direction.ASC)


@dataclass(frozen=True, slots=True)
class HomeQuery:
    filter: homebus.HomeFilter
    order_by: order.OrderBy
    page: Page


def to_bus_query(query: Mapping[str, str]) -> HomeQuery:
    """Parse the query string; absent or empty parameters mean "no condition"."""
    errors = FieldErrors()
    number = errors.check("page", lambda raw: Page.parse(raw, None).number, query.get("page"))
    rows = errors.check("rows", lambda raw: Page.parse(None, raw).rows, query.get("rows"))
    order_by = errors.check("orderBy", _parse_order, query.get("orderBy"))
    id_ = errors.check("homeId", params.optional(params.uuid), query.get("homeId"))
    user_id = errors.check("userId", params.optional(params.uuid), query.get("userId"))
    type_ = errors.check("type", params.optional(_type), query.get("type"))
    address1 = query.get("address1") or None
    address2 = query.get("address2") or None
    zip_code = query.get("zipCode") or None
    city = query.get("city") or None
    state = query.get("state") or None
    country = query.get("country") or None
    start = errors.check(
        "startCreatedDate", params.optional(params.timestamp), query.get("startCreatedDate")
    )
    end = errors.check(
        "endCreatedDate", params.optional(params.timestamp), query.get("endCreatedDate")
    )
    errors.raise_if_any()
    query_filter = homebus.HomeFilter(
        id=id_,
        user_id=user_id,
        type=type_,
        address1=address1,
        address2=address2,
        zip_code=zip_code,
        city=city,
        state=state,
        country=country,
        start_created_date=start,
        end_created_date=end,
    )
    return HomeQuery(filter=query_filter, order_by=order_by, page=Page(number, rows))


def _parse_order(raw: str | None) -> order.OrderBy:
    parsed = order.parse(raw, allowed=ORDER_FIELDS, default=_DEFAULT_ORDER)
    return order.OrderBy(ORDER_FIELDS[parsed.field], parsed.direction)


def _type(raw: str) -> homebus.HomeType:
    return homebus.HomeType.parse(raw)
