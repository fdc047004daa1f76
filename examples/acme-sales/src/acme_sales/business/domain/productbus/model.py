"""The product as the business sees it, and the requests to create and change one."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from acme_sales.business.sdk.unchanged import UNCHANGED, Unchanged
from acme_sales.business.types import (
    Money,
    Name,
    Quantity,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Product:
    id: UUID
    user_id: UUID  # the owner
    name: Name
    cost: Money
    quantity: Quantity
    date_created: datetime  # UTC
    date_updated: datetime  # UTC


@dataclass(frozen=True, slots=True, kw_only=True)
class NewProduct:
    user_id: UUID  # the owner: the authenticated caller, never the request body
    name: Name
    cost: Money
    quantity: Quantity


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateProduct:
    """The changes to make: UNCHANGED (left out) keeps a value; None clears an optional one."""

    name: Name | Unchanged = UNCHANGED
    cost: Money | Unchanged = UNCHANGED
    quantity: Quantity | Unchanged = UNCHANGED


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductView:
    """A product with its owner's name: the read model over view_products."""

    product: Product
    user_name: Name
