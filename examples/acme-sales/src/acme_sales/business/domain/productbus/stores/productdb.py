"""Products in Postgres.

Table products, and view_products for the read model.

SQL stays visible here; rows cross into the business model through `to_db_product` and
`to_bus_product` only.
"""

import contextlib
import typing
import uuid
from collections import abc

import asyncpg

from acme_sales.business import types
from acme_sales.business.domain import productbus
from acme_sales.business.sdk import order, page
from acme_sales.foundation import sqldb
from acme_sales.foundation.sqldb import params

_COLUMNS: typing.Final = """\
    product_id,
    user_id,
    name,
    cost,
    quantity,
    date_created,
    date_updated"""
_SELECT: typing.Final = f"SELECT {_COLUMNS}\nFROM products\n"
_SELECT_VIEW: typing.Final = f"SELECT {_COLUMNS}, user_name\nFROM view_products\n"
_COUNT: typing.Final = "SELECT count(*)\nFROM products\n"
_INSERT: typing.Final = """\
INSERT INTO products (
    product_id,
    user_id,
    name,
    cost,
    quantity,
    date_created,
    date_updated
)
VALUES (
    $1, $2, $3, $4, $5, $6, $7
)"""
_UPDATE: typing.Final = """\
UPDATE products
SET
    name = $2,
    cost = $3,
    quantity = $4,
    date_updated = $5
WHERE product_id = $1"""
_DELETE_MANY: typing.Final = "DELETE FROM products WHERE product_id = ANY($1::uuid[])"
# Business column -> the query locking the rows a delete takes by it: by their ids, by their
# owner, by each reference that cascades. In id order, so that two deletes lock the rows they
# share in the same order and cannot deadlock.
_LOCK_COLUMNS: typing.Final = {
    "id": "product_id",
    "user_id": "user_id",
}
_LOCK_BY: typing.Final = {
    key: f"{_SELECT}WHERE {column} = ANY($1::uuid[])\nORDER BY product_id\nFOR UPDATE"
    for key, column in _LOCK_COLUMNS.items()
}

# Business order field -> column: the only text that reaches ORDER BY.
_ORDER_COLUMNS: typing.Final = {
    productbus.order.ID: "product_id",
    productbus.order.USER_ID: "user_id",
    productbus.order.NAME: "name",
    productbus.order.COST: "cost",
    productbus.order.QUANTITY: "quantity",
    productbus.order.DATE_CREATED: "date_created",
}


class ProductDB:
    def __init__(self, db: sqldb.Querier) -> None:
        self._db = db

    def with_querier(self, db: sqldb.Querier) -> "ProductDB":
        return ProductDB(db)

    def transaction(self) -> contextlib.AbstractAsyncContextManager[sqldb.Querier]:
        return sqldb.transaction(self._db)

    async def create(self, item: productbus.Product) -> None:
        try:
            await sqldb.execute(self._db, _INSERT, *to_db_product(item))
        except sqldb.ForeignKeyViolationError as err:
            # The table's only foreign key: the owner, deleted since the bus looked.
            raise productbus.UnknownOwnerError from err

    async def update(self, item: productbus.Product) -> None:
        row_id, _owner, *values, _created, updated = to_db_product(item)
        status = await sqldb.execute(self._db, _UPDATE, row_id, *values, updated)
        if status == "UPDATE 0":
            raise productbus.ProductNotFoundError

    async def lock_by(self, column: str, ids: abc.Sequence[uuid.UUID]) -> list[productbus.Product]:
        rows = await sqldb.fetch_all(self._db, _LOCK_BY[column], list(ids))
        return [to_bus_product(row) for row in rows]

    async def delete_many(self, ids: abc.Sequence[uuid.UUID]) -> None:
        await sqldb.execute(self._db, _DELETE_MANY, list(ids))

    async def query(
        self, query_filter: productbus.ProductFilter, order_by: order.OrderBy, page: page.Page
    ) -> list[productbus.Product]:
        rows = await self._page(_SELECT, query_filter, order_by, page)
        return [to_bus_product(row) for row in rows]

    async def query_views(
        self, query_filter: productbus.ProductFilter, order_by: order.OrderBy, page: page.Page
    ) -> list[productbus.ProductView]:
        rows = await self._page(_SELECT_VIEW, query_filter, order_by, page)
        return [
            productbus.ProductView(
                product=to_bus_product(row),
                user_name=types.Name.parse(row["user_name"]),
            )
            for row in rows
        ]

    async def count(self, query_filter: productbus.ProductFilter) -> int:
        bound = params.Params()
        row = await sqldb.fetch_one(self._db, _COUNT + _where(query_filter, bound), *bound.values)
        count: int = row[0]
        return count

    async def query_by_id(self, product_id: uuid.UUID) -> productbus.Product:
        try:
            row = await sqldb.fetch_one(self._db, f"{_SELECT}WHERE product_id = $1", product_id)
        except sqldb.NotFoundError:
            raise productbus.ProductNotFoundError from None
        return to_bus_product(row)

    async def _page(
        self,
        select: str,
        query_filter: productbus.ProductFilter,
        order_by: order.OrderBy,
        page: page.Page,
    ) -> list[asyncpg.Record]:
        bound = params.Params()
        # The id breaks ties, so rows with equal sort keys keep one order from page to page.
        sql = (
            f"{select}{_where(query_filter, bound)}"
            f"ORDER BY {_ORDER_COLUMNS[order_by.field]} {order_by.direction}, product_id\n"
            f"LIMIT {bound.bind(page.rows)} OFFSET {bound.bind(page.offset)}"
        )
        return await sqldb.fetch_all(self._db, sql, *bound.values)


def to_db_product(item: productbus.Product) -> tuple[object, ...]:
    """The row's values as asyncpg takes them, in column order (as _INSERT lists them)."""
    return (
        item.id,
        item.user_id,
        item.name.value,
        item.cost.value,
        item.quantity.value,
        item.date_created,
        item.date_updated,
    )


def to_bus_product(row: asyncpg.Record) -> productbus.Product:
    return productbus.Product(
        id=row["product_id"],
        user_id=row["user_id"],
        name=types.Name.parse(row["name"]),
        cost=types.Money.parse(row["cost"]),
        quantity=types.Quantity.parse(row["quantity"]),
        date_created=row["date_created"],
        date_updated=row["date_updated"],
    )


def _where(query_filter: productbus.ProductFilter, bound: params.Params) -> str:
    """The WHERE clause (or nothing) for the filter; values are bound, never spliced in."""
    f = query_filter
    # (condition, value): a condition applies when its value is given.
    candidates: list[tuple[str, object]] = [
        ("product_id = {}", f.id),
        ("user_id = {}", f.user_id),
        ("name ILIKE {}", None if f.name is None else params.contains(f.name)),
        ("cost = {}", None if f.cost is None else f.cost.value),
        ("quantity = {}", None if f.quantity is None else f.quantity.value),
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
