"""The home rules.

A home belongs to an existing, enabled user; times are UTC. Every change (create,
update, delete) runs in one transaction with its audit row, when the bus has an AuditBus.
"""

import contextlib
import dataclasses
import typing
import uuid
from collections import abc
from datetime import UTC, datetime

from acme_sales.business.domain import auditbus, userbus
from acme_sales.business.domain.homebus.audit import (
    DOMAIN,
    audit_name,
    created_data,
    updated_data,
)
from acme_sales.business.domain.homebus.filter import HomeFilter
from acme_sales.business.domain.homebus.model import (
    Home,
    HomeView,
    NewHome,
    UpdateHome,
)
from acme_sales.business.sdk import delegate, order, page
from acme_sales.business.sdk.unchanged import resolve
from acme_sales.foundation import otel, sqldb
from acme_sales.foundation.logger import get_logger

_log = get_logger(domain="home")


class HomeNotFoundError(Exception):
    def __init__(self) -> None:
        super().__init__("home not found")


class UnknownOwnerError(Exception):
    def __init__(self) -> None:
        super().__init__("owner not found")


class DisabledOwnerError(Exception):
    def __init__(self) -> None:
        super().__init__("owner is disabled")


class HomeStorer(typing.Protocol):
    """Where homes are kept. Raises HomeNotFoundError as documented."""

    def with_querier(self, db: sqldb.Querier) -> "HomeStorer":
        """The same store, running its queries through `db` (a connection in a transaction)."""
        ...

    def transaction(self) -> contextlib.AbstractAsyncContextManager[sqldb.Querier]:
        """A transaction on this store's database for the block, yielding its querier."""
        ...

    async def create(self, item: Home) -> None: ...

    async def update(self, item: Home) -> None: ...

    async def lock_by(self, column: str, ids: abc.Sequence[uuid.UUID]) -> list[Home]:
        """The rows whose `column` ("id", "user_id" or a cascading reference field) is one of
        `ids`, locked until the transaction ends."""
        ...

    async def delete_many(self, ids: abc.Sequence[uuid.UUID]) -> None: ...

    async def query(
        self, query_filter: HomeFilter, order_by: order.OrderBy, page: page.Page
    ) -> list[Home]: ...

    async def count(self, query_filter: HomeFilter) -> int: ...

    async def query_by_id(self, home_id: uuid.UUID) -> Home: ...

    async def query_views(
        self, query_filter: HomeFilter, order_by: order.OrderBy, page: page.Page
    ) -> list[HomeView]: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


@otel.traced("homebus")
class HomeBus:
    def __init__(
        self,
        storer: HomeStorer,
        users: userbus.UserBus,
        *,
        audit: auditbus.AuditBus | None = None,
        clock: abc.Callable[[], datetime] = _utc_now,
    ) -> None:
        """`audit`: where each change's audit row goes (none written without it)."""
        self._storer = storer
        self._users = users
        self._audit = audit
        self._clock = clock

    def with_querier(self, db: sqldb.Querier) -> "HomeBus":
        """This bus with its store, its audit and the users it checks running through `db`."""
        return HomeBus(
            self._storer.with_querier(db),
            self._users.with_querier(db),
            audit=None if self._audit is None else self._audit.with_querier(db),
            clock=self._clock,
        )

    async def create(self, new: NewHome, *, actor_id: uuid.UUID | None) -> Home:
        """Store a new home; its owner must exist and be enabled.

        `actor_id` is who is creating it, for the audit; None for a system action.
        """
        try:
            owner = await self._users.query_by_id(new.user_id)
        except userbus.UserNotFoundError:
            raise UnknownOwnerError from None
        if not owner.enabled:
            raise DisabledOwnerError
        now = self._clock()
        item = Home(
            id=uuid.uuid4(),
            user_id=new.user_id,
            type=new.type,
            address1=new.address1,
            address2=new.address2,
            zip_code=new.zip_code,
            city=new.city,
            state=new.state,
            country=new.country,
            date_created=now,
            date_updated=now,
        )
        async with self._change() as bus:
            await bus._storer.create(item)
            await bus._record(item, auditbus.Action.CREATED, actor_id, created_data(item))
        return item

    async def update(self, item: Home, update: UpdateHome, *, actor_id: uuid.UUID | None) -> Home:
        """Apply the fields `update` gives; the others keep their values.

        `actor_id` is who is changing it, for the audit; None for a system action.
        """
        updated = dataclasses.replace(
            item,
            type=resolve(update.type, item.type),
            address1=resolve(update.address1, item.address1),
            address2=resolve(update.address2, item.address2),
            zip_code=resolve(update.zip_code, item.zip_code),
            city=resolve(update.city, item.city),
            state=resolve(update.state, item.state),
            country=resolve(update.country, item.country),
            date_updated=self._clock(),
        )
        async with self._change() as bus:
            await bus._storer.update(updated)
            await bus._record(updated, auditbus.Action.UPDATED, actor_id, updated_data(update))
        return updated

    async def delete(self, item: Home, *, actor_id: uuid.UUID | None) -> None:
        """`actor_id` is who is deleting it, for the audit; None for a system action."""
        async with self._storer.transaction() as db:
            if not await self.with_querier(db)._delete_rows(db, "id", [item.id], actor_id):
                raise HomeNotFoundError

    async def query(
        self, query_filter: HomeFilter, order_by: order.OrderBy, page: page.Page
    ) -> list[Home]:
        return await self._storer.query(query_filter, order_by, page)

    async def count(self, query_filter: HomeFilter) -> int:
        return await self._storer.count(query_filter)

    async def query_by_id(self, home_id: uuid.UUID) -> Home:
        return await self._storer.query_by_id(home_id)

    async def query_views(
        self, query_filter: HomeFilter, order_by: order.OrderBy, page: page.Page
    ) -> list[HomeView]:
        """Homes with their owners' names (the read model)."""
        return await self._storer.query_views(query_filter, order_by, page)

    @contextlib.asynccontextmanager
    async def _change(self) -> abc.AsyncIterator["HomeBus"]:
        """One transaction for a change and its audit row: this bus moved into it."""
        async with self._storer.transaction() as db:
            yield self.with_querier(db)

    async def _record(
        self,
        item: Home,
        action: auditbus.Action,
        actor_id: uuid.UUID | None,
        data: auditbus.JSONObject | None,
    ) -> None:
        if self._audit is None:
            return
        await self._audit.create(
            auditbus.NewAudit(
                obj_id=item.id,
                obj_domain=DOMAIN,
                obj_name=audit_name(item),
                actor_id=actor_id,
                action=action,
                data=data,
                message=f"home {action}",
            )
        )

    async def on_user_deleting(self, event: delegate.Event) -> None:
        """user/deleting, registered once when the service is wired: deletes the user's rows,
        each with its audit row, before the foreign key would delete them unaudited."""
        deleting = event.params_as(userbus.UserDeleting)
        bus = self.with_querier(event.db)
        await bus._delete_rows(event.db, "user_id", [deleting.user_id], deleting.actor_id)

    async def _delete_rows(
        self,
        db: sqldb.Querier,
        column: str,
        ids: abc.Sequence[uuid.UUID],
        actor_id: uuid.UUID | None,
    ) -> list[Home]:
        """Delete the rows whose `column` is one of `ids`, each with its `deleted` audit row
        holding its last data; this bus runs through `db`, a connection in the delete's
        transaction. The rows are locked first: none can change, nor be referenced, meanwhile.
        """
        items = await self._storer.lock_by(column, ids)
        if not items:
            return items
        await self._storer.delete_many([item.id for item in items])
        for item in items:
            await self._record(item, auditbus.Action.DELETED, actor_id, created_data(item))
        if column != "id":
            _log.info("deleted with what they referenced", column=column, count=len(items))
        return items
