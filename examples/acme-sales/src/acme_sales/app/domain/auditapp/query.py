"""Query string -> business filter, order and page for GET /v1/audits, each refused field named."""

from dataclasses import dataclass

from acme_sales.app.sdk import params
from acme_sales.app.sdk.errs import FieldErrors
from acme_sales.business.domain import auditbus
from acme_sales.business.sdk import order
from acme_sales.business.sdk.page import Page
from acme_sales.business.types import ParseError

# API name -> business order field: the only names `orderBy` accepts.
ORDER_FIELDS = {
    "objId": auditbus.order.OBJ_ID,
    "objDomain": auditbus.order.OBJ_DOMAIN,
    "objName": auditbus.order.OBJ_NAME,
    "actorId": auditbus.order.ACTOR_ID,
    "action": auditbus.order.ACTION,
    "timestamp": auditbus.order.TIMESTAMP,
}


@dataclass(frozen=True, slots=True)
class AuditQuery:
    filter: auditbus.AuditFilter
    order_by: order.OrderBy
    page: Page


def to_bus_query(
    *,
    page: str | None,
    rows: str | None,
    order_by: str | None,
    obj_id: str | None,
    obj_domain: str | None,
    obj_name: str | None,
    actor_id: str | None,
    action: str | None,
    since: str | None,
    until: str | None,
) -> AuditQuery:
    errors = FieldErrors()
    number = errors.check("page", lambda raw: Page.parse(raw, None).number, page)
    per_page = errors.check("rows", lambda raw: Page.parse(None, raw).rows, rows)
    parsed_order = errors.check("orderBy", _parse_order, order_by)
    obj_id_ = errors.check("objId", params.optional(params.uuid), obj_id)
    actor_id_ = errors.check("actorId", params.optional(params.uuid), actor_id)
    action_ = errors.check("action", params.optional(_parse_action), action)
    since_ = errors.check("since", params.optional(params.timestamp), since)
    until_ = errors.check("until", params.optional(params.timestamp), until)
    errors.raise_if_any()
    audit_filter = auditbus.AuditFilter(
        obj_id=obj_id_,
        obj_domain=obj_domain or None,
        obj_name=obj_name or None,
        actor_id=actor_id_,
        action=action_,
        since=since_,
        until=until_,
    )
    return AuditQuery(filter=audit_filter, order_by=parsed_order, page=Page(number, per_page))


def _parse_action(raw: str) -> auditbus.Action:
    try:
        return auditbus.Action(raw)
    except ValueError:
        raise ParseError(
            f"unknown action {raw!r}; use one of: {', '.join(auditbus.Action)}"
        ) from None


def _parse_order(raw: str | None) -> order.OrderBy:
    parsed = order.parse(raw, allowed=ORDER_FIELDS, default=_API_DEFAULT_ORDER)
    return order.OrderBy(ORDER_FIELDS[parsed.field], parsed.direction)


_API_DEFAULT_ORDER = order.OrderBy("objId", order.Direction.ASC)
