"""The shape of every paged query response."""

from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")


class QueryResult(msgspec.Struct, Generic[T], frozen=True, rename="camel"):
    """One page of items, with the total that matched, to drive paging."""

    items: list[T]
    total: int
    page: int
    rows_per_page: int
