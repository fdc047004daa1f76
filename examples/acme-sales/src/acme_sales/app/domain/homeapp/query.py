"""Query string -> business filter, order and page, each refused parameter named.

`to_bus_query` is the query routes' dependency: its signature declares the parameters, as text
for the parsers here, documented with their types (see app/sdk/apidoc.py).
"""

import typing
from dataclasses import dataclass

from acme_sales.app.sdk import apidoc, errs, params
from acme_sales.business.domain import homebus
from acme_sales.business.sdk import order, page

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
    page: page.Page


def to_bus_query(
    *,
    page_number: typing.Annotated[str | None, apidoc.query("page", apidoc.PAGE)] = None,
    rows_per_page: typing.Annotated[str | None, apidoc.query("rows", apidoc.ROWS)] = None,
    order_by: typing.Annotated[
        str | None, apidoc.query("orderBy", apidoc.order_by(ORDER_FIELDS))
    ] = None,
    id_filter: typing.Annotated[str | None, apidoc.query("homeId", apidoc.UUID)] = None,
    owner_filter: typing.Annotated[str | None, apidoc.query("userId", apidoc.UUID)] = None,
    created_from: typing.Annotated[
        str | None, apidoc.query("startCreatedDate", apidoc.TIMESTAMP)
    ] = None,
    created_to: typing.Annotated[
        str | None, apidoc.query("endCreatedDate", apidoc.TIMESTAMP)
    ] = None,
    type_param: typing.Annotated[
        str | None, apidoc.query("type", apidoc.choice(["CONDO", "SINGLE FAMILY"]))
    ] = None,
    address1_param: typing.Annotated[str | None, apidoc.query("address1", apidoc.TEXT)] = None,
    address2_param: typing.Annotated[str | None, apidoc.query("address2", apidoc.TEXT)] = None,
    zip_code_param: typing.Annotated[str | None, apidoc.query("zipCode", apidoc.TEXT)] = None,
    city_param: typing.Annotated[str | None, apidoc.query("city", apidoc.TEXT)] = None,
    state_param: typing.Annotated[str | None, apidoc.query("state", apidoc.TEXT)] = None,
    country_param: typing.Annotated[str | None, apidoc.query("country", apidoc.TEXT)] = None,
) -> HomeQuery:
    """Parse the query string; absent or empty parameters mean "no condition".

    A field's parameter is `<field>_param`, a name none of the others has; its value goes
    straight into the filter, so no variable is named after a field. The page is built once every
    parameter is known to be valid (Page checks its numbers).
    """
    errors = errs.FieldErrors()
    number = errors.check("page", lambda raw: page.Page.parse(raw, None).number, page_number)
    per_page = errors.check("rows", lambda raw: page.Page.parse(None, raw).rows, rows_per_page)
    ordering = errors.check("orderBy", _parse_order, order_by)
    query_filter = homebus.HomeFilter(
        id=errors.check("homeId", params.optional(params.uuid), id_filter),
        user_id=errors.check("userId", params.optional(params.uuid), owner_filter),
        type=errors.check("type", params.optional(_type_from_query), type_param),
        address1=address1_param or None,
        address2=address2_param or None,
        zip_code=zip_code_param or None,
        city=city_param or None,
        state=state_param or None,
        country=country_param or None,
        start_created_date=errors.check(
            "startCreatedDate", params.optional(params.timestamp), created_from
        ),
        end_created_date=errors.check(
            "endCreatedDate", params.optional(params.timestamp), created_to
        ),
    )
    errors.raise_if_any()
    return HomeQuery(filter=query_filter, order_by=ordering, page=page.Page(number, per_page))


def _parse_order(raw: str | None) -> order.OrderBy:
    parsed = order.parse(raw, allowed=ORDER_FIELDS, default=_DEFAULT_ORDER)
    return order.OrderBy(ORDER_FIELDS[parsed.field], parsed.direction)


def _type_from_query(raw: str) -> homebus.HomeTypeChoice:
    return homebus.HomeTypeChoice.parse(raw)
