"""The audit rules: rows are stamped with an id and the time, and never change after."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol
from uuid import uuid4

from acme_sales.business.domain.auditbus.filter import AuditFilter
from acme_sales.business.domain.auditbus.model import Audit, NewAudit
from acme_sales.business.sdk.order import OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.foundation import otel, sqldb


class AuditStorer(Protocol):
    """Where audit rows are kept."""

    def with_querier(self, db: sqldb.Querier) -> "AuditStorer":
        """The same store, running its queries through `db` (a connection in a transaction)."""
        ...

    async def create(self, audit: Audit) -> None: ...

    async def query(
        self, query_filter: AuditFilter, order_by: OrderBy, page: Page
    ) -> list[Audit]: ...

    async def count(self, query_filter: AuditFilter) -> int: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


@otel.traced("auditbus")
class AuditBus:
    def __init__(self, storer: AuditStorer, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self._storer = storer
        self._clock = clock

    def with_querier(self, db: sqldb.Querier) -> "AuditBus":
        """This bus with its store running through `db`, such as the connection of the
        transaction making the change being audited."""
        return AuditBus(self._storer.with_querier(db), clock=self._clock)

    async def create(self, na: NewAudit) -> Audit:
        audit = Audit(
            id=uuid4(),
            obj_id=na.obj_id,
            obj_domain=na.obj_domain,
            obj_name=na.obj_name,
            actor_id=na.actor_id,
            action=na.action,
            data=na.data,
            message=na.message,
            timestamp=self._clock(),
        )
        await self._storer.create(audit)
        return audit

    async def query(self, query_filter: AuditFilter, order_by: OrderBy, page: Page) -> list[Audit]:
        return await self._storer.query(query_filter, order_by, page)

    async def count(self, query_filter: AuditFilter) -> int:
        return await self._storer.count(query_filter)
