"""AuditStorer on Postgres: the `audit` table through asyncpg."""

import json
from collections.abc import Mapping
from typing import Final

import asyncpg

from acme_sales.business.domain.auditbus import order
from acme_sales.business.domain.auditbus.filter import AuditFilter
from acme_sales.business.domain.auditbus.model import Action, Audit
from acme_sales.business.sdk.order import OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.foundation import sqldb
from acme_sales.foundation.sqldb.params import Params, contains, where

_COLUMNS: Final = "id, obj_id, obj_domain, obj_name, actor_id, action, data, message, timestamp"

# asyncpg sends and receives JSONB as text: the store does the JSON encoding.
_INSERT: Final = f"INSERT INTO audit ({_COLUMNS})\nVALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"

_SELECT: Final = f"SELECT {_COLUMNS}\nFROM audit\n"

_COUNT: Final = "SELECT count(*) FROM audit\n"

# The business's order fields and their columns: the only text an ORDER BY is built from.
_ORDER_COLUMNS: Final[Mapping[str, str]] = {
    order.OBJ_ID: "obj_id",
    order.OBJ_DOMAIN: "obj_domain",
    order.OBJ_NAME: "obj_name",
    order.ACTOR_ID: "actor_id",
    order.ACTION: "action",
    order.TIMESTAMP: "timestamp",
}


class AuditDB:
    """Audit rows in Postgres, through any Querier: the pool, or a connection in a transaction."""

    def __init__(self, db: sqldb.Querier) -> None:
        self._db = db

    def with_querier(self, db: sqldb.Querier) -> "AuditDB":
        return AuditDB(db)

    async def create(self, audit: Audit) -> None:
        await sqldb.execute(
            self._db,
            _INSERT,
            audit.id,
            audit.obj_id,
            audit.obj_domain,
            audit.obj_name,
            audit.actor_id,
            str(audit.action),
            None if audit.data is None else json.dumps(audit.data),
            audit.message,
            audit.timestamp,
        )

    async def query(self, query_filter: AuditFilter, order_by: OrderBy, page: Page) -> list[Audit]:
        params = Params()
        # Time then id break ties, so an object's history reads in order and pages stay stable.
        sql = (
            f"{_SELECT}{_where(query_filter, params)}"
            f"ORDER BY {_order_column(order_by)} {order_by.direction}, timestamp, id\n"
            f"LIMIT {params.bind(page.rows)} OFFSET {params.bind(page.offset)}"
        )
        rows = await sqldb.fetch_all(self._db, sql, *params.values)
        return [to_bus_audit(row) for row in rows]

    async def count(self, query_filter: AuditFilter) -> int:
        params = Params()
        row = await sqldb.fetch_one(self._db, _COUNT + _where(query_filter, params), *params.values)
        count: int = row[0]
        return count


def to_bus_audit(row: asyncpg.Record) -> Audit:
    data = row["data"]
    return Audit(
        id=row["id"],
        obj_id=row["obj_id"],
        obj_domain=row["obj_domain"],
        obj_name=row["obj_name"],
        actor_id=row["actor_id"],
        action=Action(row["action"]),
        data=None if data is None else json.loads(data),
        message=row["message"],
        timestamp=row["timestamp"],
    )


def _where(query_filter: AuditFilter, params: Params) -> str:
    """The WHERE clause (or nothing) for the filter; values are bound, never spliced in."""
    conditions: list[str] = []
    if query_filter.obj_id is not None:
        conditions.append(f"obj_id = {params.bind(query_filter.obj_id)}")
    if query_filter.obj_domain is not None:
        conditions.append(f"obj_domain = {params.bind(query_filter.obj_domain)}")
    if query_filter.obj_name is not None:
        conditions.append(f"obj_name ILIKE {params.bind(contains(query_filter.obj_name))}")
    if query_filter.actor_id is not None:
        conditions.append(f"actor_id = {params.bind(query_filter.actor_id)}")
    if query_filter.action is not None:
        conditions.append(f"action = {params.bind(str(query_filter.action))}")
    if query_filter.since is not None:
        conditions.append(f"timestamp >= {params.bind(query_filter.since)}")
    if query_filter.until is not None:
        conditions.append(f"timestamp <= {params.bind(query_filter.until)}")
    return where(conditions)


def _order_column(order_by: OrderBy) -> str:
    try:
        return _ORDER_COLUMNS[order_by.field]
    except KeyError:
        # The app layer parses order fields against auditbus.order.FIELDS: this is a bug.
        raise ValueError(f"audits cannot be ordered by {order_by.field!r}") from None
