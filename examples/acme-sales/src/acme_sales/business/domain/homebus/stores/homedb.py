"""Homes in Postgres.

Table homes, and view_homes for the read model.

SQL stays visible here; rows cross into the business model through `to_db_home` and
`to_bus_home` only.
"""

import contextlib
import typing
import uuid
from collections import abc

import asyncpg

from acme_sales.business import types
from acme_sales.business.domain import homebus
from acme_sales.business.sdk import order, page
from acme_sales.foundation import sqldb
from acme_sales.foundation.sqldb import params

_COLUMNS: typing.Final = """\
    home_id,
    user_id,
    type,
    address1,
    address2,
    zip_code,
    city,
    state,
    country,
    date_created,
    date_updated"""
_SELECT: typing.Final = f"SELECT {_COLUMNS}\nFROM homes\n"
_SELECT_VIEW: typing.Final = f"SELECT {_COLUMNS}, user_name\nFROM view_homes\n"
_COUNT: typing.Final = "SELECT count(*)\nFROM homes\n"
_INSERT: typing.Final = """\
INSERT INTO homes (
    home_id,
    user_id,
    type,
    address1,
    address2,
    zip_code,
    city,
    state,
    country,
    date_created,
    date_updated
)
VALUES (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
    $11
)"""
_UPDATE: typing.Final = """\
UPDATE homes
SET
    type = $2,
    address1 = $3,
    address2 = $4,
    zip_code = $5,
    city = $6,
    state = $7,
    country = $8,
    date_updated = $9
WHERE home_id = $1"""
_DELETE_MANY: typing.Final = "DELETE FROM homes WHERE home_id = ANY($1::uuid[])"
# Business column -> the query locking the rows a delete takes by it: by their ids, by their
# owner, by each reference that cascades. In id order, so that two deletes lock the rows they
# share in the same order and cannot deadlock.
_LOCK_COLUMNS: typing.Final = {
    "id": "home_id",
    "user_id": "user_id",
}
_LOCK_BY: typing.Final = {
    key: f"{_SELECT}WHERE {column} = ANY($1::uuid[])\nORDER BY home_id\nFOR UPDATE"
    for key, column in _LOCK_COLUMNS.items()
}

# Business order field -> column: the only text that reaches ORDER BY.
_ORDER_COLUMNS: typing.Final = {
    homebus.order.ID: "home_id",
    homebus.order.USER_ID: "user_id",
    homebus.order.TYPE: "type",
    homebus.order.ADDRESS1: "address1",
    homebus.order.ADDRESS2: "address2",
    homebus.order.ZIP_CODE: "zip_code",
    homebus.order.CITY: "city",
    homebus.order.STATE: "state",
    homebus.order.COUNTRY: "country",
    homebus.order.DATE_CREATED: "date_created",
}


class HomeDB:
    def __init__(self, db: sqldb.Querier) -> None:
        self._db = db

    def with_querier(self, db: sqldb.Querier) -> "HomeDB":
        return HomeDB(db)

    def transaction(self) -> contextlib.AbstractAsyncContextManager[sqldb.Querier]:
        return sqldb.transaction(self._db)

    async def create(self, item: homebus.Home) -> None:
        try:
            await sqldb.execute(self._db, _INSERT, *to_db_home(item))
        except sqldb.ForeignKeyViolationError as err:
            # The table's only foreign key: the owner, deleted since the bus looked.
            raise homebus.UnknownOwnerError from err

    async def update(self, item: homebus.Home) -> None:
        row_id, _owner, *values, _created, updated = to_db_home(item)
        status = await sqldb.execute(self._db, _UPDATE, row_id, *values, updated)
        if status == "UPDATE 0":
            raise homebus.HomeNotFoundError

    async def lock_by(self, column: str, ids: abc.Sequence[uuid.UUID]) -> list[homebus.Home]:
        rows = await sqldb.fetch_all(self._db, _LOCK_BY[column], list(ids))
        return [to_bus_home(row) for row in rows]

    async def delete_many(self, ids: abc.Sequence[uuid.UUID]) -> None:
        await sqldb.execute(self._db, _DELETE_MANY, list(ids))

    async def query(
        self, query_filter: homebus.HomeFilter, order_by: order.OrderBy, page: page.Page
    ) -> list[homebus.Home]:
        rows = await self._page(_SELECT, query_filter, order_by, page)
        return [to_bus_home(row) for row in rows]

    async def query_views(
        self, query_filter: homebus.HomeFilter, order_by: order.OrderBy, page: page.Page
    ) -> list[homebus.HomeView]:
        rows = await self._page(_SELECT_VIEW, query_filter, order_by, page)
        return [
            homebus.HomeView(
                home=to_bus_home(row),
                user_name=types.Name.parse(row["user_name"]),
            )
            for row in rows
        ]

    async def count(self, query_filter: homebus.HomeFilter) -> int:
        bound = params.Params()
        row = await sqldb.fetch_one(self._db, _COUNT + _where(query_filter, bound), *bound.values)
        count: int = row[0]
        return count

    async def query_by_id(self, home_id: uuid.UUID) -> homebus.Home:
        try:
            row = await sqldb.fetch_one(self._db, f"{_SELECT}WHERE home_id = $1", home_id)
        except sqldb.NotFoundError:
            raise homebus.HomeNotFoundError from None
        return to_bus_home(row)

    async def _page(
        self,
        select: str,
        query_filter: homebus.HomeFilter,
        order_by: order.OrderBy,
        page: page.Page,
    ) -> list[asyncpg.Record]:
        bound = params.Params()
        # The id breaks ties, so rows with equal sort keys keep one order from page to page.
        sql = (
            f"{select}{_where(query_filter, bound)}"
            f"ORDER BY {_ORDER_COLUMNS[order_by.field]} {order_by.direction}, home_id\n"
            f"LIMIT {bound.bind(page.rows)} OFFSET {bound.bind(page.offset)}"
        )
        return await sqldb.fetch_all(self._db, sql, *bound.values)


def to_db_home(item: homebus.Home) -> tuple[object, ...]:
    """The row's values as asyncpg takes them, in column order (as _INSERT lists them)."""
    return (
        item.id,
        item.user_id,
        item.type.value,
        item.address1.value,
        None if item.address2 is None else item.address2.value,
        item.zip_code.value,
        item.city.value,
        item.state.value,
        item.country.value,
        item.date_created,
        item.date_updated,
    )


def to_bus_home(row: asyncpg.Record) -> homebus.Home:
    return homebus.Home(
        id=row["home_id"],
        user_id=row["user_id"],
        type=homebus.HomeTypeChoice.parse(row["type"]),
        address1=types.Text.parse(row["address1"]),
        address2=None if row["address2"] is None else types.Text.parse(row["address2"]),
        zip_code=types.Text.parse(row["zip_code"]),
        city=types.Text.parse(row["city"]),
        state=types.Text.parse(row["state"]),
        country=types.Text.parse(row["country"]),
        date_created=row["date_created"],
        date_updated=row["date_updated"],
    )


def _where(query_filter: homebus.HomeFilter, bound: params.Params) -> str:
    """The WHERE clause (or nothing) for the filter; values are bound, never spliced in."""
    f = query_filter
    # (condition, value): a condition applies when its value is given.
    candidates: list[tuple[str, object]] = [
        ("home_id = {}", f.id),
        ("user_id = {}", f.user_id),
        ("type = {}", None if f.type is None else f.type.value),
        ("address1 ILIKE {}", None if f.address1 is None else params.contains(f.address1)),
        ("address2 ILIKE {}", None if f.address2 is None else params.contains(f.address2)),
        ("zip_code ILIKE {}", None if f.zip_code is None else params.contains(f.zip_code)),
        ("city ILIKE {}", None if f.city is None else params.contains(f.city)),
        ("state ILIKE {}", None if f.state is None else params.contains(f.state)),
        ("country ILIKE {}", None if f.country is None else params.contains(f.country)),
        ("date_created >= {}", f.start_created_date),
        ("date_created <= {}", f.end_created_date),
    ]
    return params.where(
        [
            condition.format(bound.bind(value))
            for condition, value in candidates
            if value is not None
        ]
    )
