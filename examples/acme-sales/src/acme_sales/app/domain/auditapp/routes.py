"""The audit routes of the sales service.

| route            | who   |
|------------------|-------|
| GET /v1/audits   | admin |
"""

import asyncio
from typing import Annotated

from litestar import Router, get

from acme_sales.app.domain.auditapp import models, query
from acme_sales.app.sdk import apidoc
from acme_sales.app.sdk.auth.claims import Rule
from acme_sales.app.sdk.authclient import AuthClient
from acme_sales.app.sdk.mid import auth as mid
from acme_sales.app.sdk.query import QueryResult
from acme_sales.business.domain import auditbus

_ORDER = apidoc.order_by(query.ORDER_FIELDS)
_ACTIONS = apidoc.choice(auditbus.Action)


def routes(*, audits: auditbus.AuditBus, auth: AuthClient) -> Router:
    authenticated = mid.authenticate(auth)
    admin = mid.authorize(auth, Rule.ADMIN_ONLY)

    @get(
        "/v1/audits",
        guards=[authenticated, admin],
        summary="Query the audit trail",
        responses=apidoc.errors(400, 401, 403),
    )
    async def query_audits(
        *,
        page: Annotated[str | None, apidoc.query("page", apidoc.PAGE)] = None,
        rows: Annotated[str | None, apidoc.query("rows", apidoc.ROWS)] = None,
        order_by: Annotated[str | None, apidoc.query("orderBy", _ORDER)] = None,
        obj_id: Annotated[str | None, apidoc.query("objId", apidoc.UUID)] = None,
        obj_domain: Annotated[str | None, apidoc.query("objDomain", apidoc.TEXT)] = None,
        obj_name: Annotated[str | None, apidoc.query("objName", apidoc.TEXT)] = None,
        actor_id: Annotated[str | None, apidoc.query("actorId", apidoc.UUID)] = None,
        action: Annotated[str | None, apidoc.query("action", _ACTIONS)] = None,
        since: Annotated[str | None, apidoc.query("since", apidoc.TIMESTAMP)] = None,
        until: Annotated[str | None, apidoc.query("until", apidoc.TIMESTAMP)] = None,
    ) -> QueryResult[models.Audit]:
        q = query.to_bus_query(
            page=page,
            rows=rows,
            order_by=order_by,
            obj_id=obj_id,
            obj_domain=obj_domain,
            obj_name=obj_name,
            actor_id=actor_id,
            action=action,
            since=since,
            until=until,
        )
        found, total = await asyncio.gather(
            audits.query(q.filter, q.order_by, q.page), audits.count(q.filter)
        )
        return QueryResult(
            items=[models.to_app_audit(audit) for audit in found],
            total=total,
            page=q.page.number,
            rows_per_page=q.page.rows,
        )

    return Router(path="/", route_handlers=[query_audits], tags=["audits"], security=apidoc.BEARER)
