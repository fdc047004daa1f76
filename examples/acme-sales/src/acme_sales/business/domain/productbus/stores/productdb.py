"""Products in Postgres.

Table products, and view_products for the read model.

SQL stays visible here; rows cross into the business model through `to_db_product` and
`to_bus_product` only.
"""

from contextlib import AbstractAsyncContextManager
from typing import Final
from uuid import UUID

import asyncpg

from acme_sales.business.domain.productbus import order
from acme_sales.business.domain.productbus.bus import ProductNotFoundError
from acme_sales.business.domain.productbus.filter import ProductFilter
from acme_sales.business.domain.productbus.model import (
    Product,
    ProductView,
)
from acme_sales.business.sdk.order import OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.business.types import (
    Money,
    Name,
    Quantity,
)
from acme_sales.foundation import sqldb
from acme_sales.foundation.sqldb.params import Params, contains, where

_COLUMNS: Final = """\
    product_id,
    user_id,
    name,
    cost,
    quantity,
    date_created,
    date_updated"""
_SELECT: Final = f"SELECT {_COLUMNS}\nFROM products\n"
_SELECT_VIEW: Final = f"SELECT {_COLUMNS}, user_name\nFROM view_products\n"
_COUNT: Final = "SELECT count(*)\nFROM products\n"
_INSERT: Final = """\
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
_UPDATE: Final = """\
UPDATE products
SET
    name = $2,
    cost = $3,
    quantity = $4,
    date_updated = $5
WHERE product_id = $1"""
_DELETE: Final = "DELETE FROM products WHERE product_id = $1"

# Business order field -> column: the only text that reaches ORDER BY.
_ORDER_COLUMNS: Final = {
    order.ID: "product_id",
    order.USER_ID: "user_id",
    order.NAME: "name",
    order.COST: "cost",
    order.QUANTITY: "quantity",
    order.DATE_CREATED: "date_created",
}


class ProductDB:
    def __init__(self, db: sqldb.Querier) -> None:
        self._db = db

    def with_querier(self, db: sqldb.Querier) -> "ProductDB":
        return ProductDB(db)

    def transaction(self) -> AbstractAsyncContextManager[sqldb.Querier]:
        return sqldb.transaction(self._db)

    async def create(self, item: Product) -> None:
        await sqldb.execute(self._db, _INSERT, *to_db_product(item))

    async def update(self, item: Product) -> None:
        row_id, _owner, *values, _created, updated = to_db_product(item)
        status = await sqldb.execute(self._db, _UPDATE, row_id, *values, updated)
        if status == "UPDATE 0":
            raise ProductNotFoundError

    async def delete(self, item: Product) -> None:
        status = await sqldb.execute(self._db, _DELETE, item.id)
        if status == "DELETE 0":
            raise ProductNotFoundError

    async def query(
        self, query_filter: ProductFilter, order_by: OrderBy, page: Page
    ) -> list[Product]:
        rows = await self._page(_SELECT, query_filter, order_by, page)
        return [to_bus_product(row) for row in rows]

    async def query_views(
        self, query_filter: ProductFilter, order_by: OrderBy, page: Page
    ) -> list[ProductView]:
        rows = await self._page(_SELECT_VIEW, query_filter, order_by, page)
        return [
            ProductView(
                product=to_bus_product(row),
                user_name=Name.parse(row["user_name"]),
            )
            for row in rows
        ]

    async def count(self, query_filter: ProductFilter) -> int:
        params = Params()
        row = await sqldb.fetch_one(self._db, _COUNT + _where(query_filter, params), *params.values)
        count: int = row[0]
        return count

    async def query_by_id(self, product_id: UUID) -> Product:
        try:
            row = await sqldb.fetch_one(self._db, f"{_SELECT}WHERE product_id = $1", product_id)
        except sqldb.NotFoundError:
            raise ProductNotFoundError from None
        return to_bus_product(row)

    async def _page(
        self, select: str, query_filter: ProductFilter, order_by: OrderBy, page: Page
    ) -> list[asyncpg.Record]:
        params = Params()
        # The id breaks ties, so rows with equal sort keys keep one order from page to page.
        sql = (
            f"{select}{_where(query_filter, params)}"
            f"ORDER BY {_ORDER_COLUMNS[order_by.field]} {order_by.direction}, product_id\n"
            f"LIMIT {params.bind(page.rows)} OFFSET {params.bind(page.offset)}"
        )
        return await sqldb.fetch_all(self._db, sql, *params.values)


def to_db_product(item: Product) -> tuple[object, ...]:
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


def to_bus_product(row: asyncpg.Record) -> Product:
    return Product(
        id=row["product_id"],
        user_id=row["user_id"],
        name=Name.parse(row["name"]),
        cost=Money.parse(row["cost"]),
        quantity=Quantity.parse(row["quantity"]),
        date_created=row["date_created"],
        date_updated=row["date_updated"],
    )


def _where(query_filter: ProductFilter, params: Params) -> str:
    """The WHERE clause (or nothing) for the filter; values are bound, never spliced in."""
    f = query_filter
    # (condition, value): a condition applies when its value is given.
    candidates: list[tuple[str, object]] = [
        ("product_id = {}", f.id),
        ("user_id = {}", f.user_id),
        ("name ILIKE {}", None if f.name is None else contains(f.name)),
        ("cost = {}", None if f.cost is None else f.cost.value),
        ("quantity = {}", None if f.quantity is None else f.quantity.value),
        ("date_created >= {}", f.start_created_date),
        ("date_created <= {}", f.end_created_date),
    ]
    return where(
        [
            condition.format(params.bind(value))
            for condition, value in candidates
            if value is not None
        ]
    )
