"""Query string -> business filter, order and page for GET /v1/users, each refused field named."""

from dataclasses import dataclass

from acme_sales.app.sdk import params
from acme_sales.app.sdk.errs import FieldErrors
from acme_sales.business.domain import userbus
from acme_sales.business.sdk import order
from acme_sales.business.sdk.page import Page
from acme_sales.business.types import Email

# API name -> business order field: the only names `orderBy` accepts.
ORDER_FIELDS = {
    "userId": userbus.order.ID,
    "name": userbus.order.NAME,
    "email": userbus.order.EMAIL,
    "roles": userbus.order.ROLES,
    "enabled": userbus.order.ENABLED,
    "dateCreated": userbus.order.CREATED,
}


@dataclass(frozen=True, slots=True)
class UserQuery:
    filter: userbus.UserFilter
    order_by: order.OrderBy
    page: Page


def to_bus_query(
    *,
    page: str | None,
    rows: str | None,
    order_by: str | None,
    user_id: str | None,
    name: str | None,
    email: str | None,
    start_created_date: str | None,
    end_created_date: str | None,
) -> UserQuery:
    errors = FieldErrors()
    number = errors.check("page", lambda raw: Page.parse(raw, None).number, page)
    per_page = errors.check("rows", lambda raw: Page.parse(None, raw).rows, rows)
    parsed_order = errors.check("orderBy", _parse_order, order_by)
    user_id_ = errors.check("userId", params.optional(params.uuid), user_id)
    email_ = errors.check("email", params.optional(Email.parse), email)
    start = errors.check("startCreatedDate", params.optional(params.timestamp), start_created_date)
    end = errors.check("endCreatedDate", params.optional(params.timestamp), end_created_date)
    errors.raise_if_any()
    user_filter = userbus.UserFilter(
        id=user_id_, name=name or None, email=email_, start_created_date=start, end_created_date=end
    )
    return UserQuery(filter=user_filter, order_by=parsed_order, page=Page(number, per_page))


def _parse_order(raw: str | None) -> order.OrderBy:
    parsed = order.parse(raw, allowed=ORDER_FIELDS, default=_API_DEFAULT_ORDER)
    return order.OrderBy(ORDER_FIELDS[parsed.field], parsed.direction)


_API_DEFAULT_ORDER = order.OrderBy("userId", order.Direction.ASC)
