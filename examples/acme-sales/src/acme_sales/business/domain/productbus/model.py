"""The product as the business sees it, and the requests to create and change one.

Classes of other modules are reached through their modules (`types.Money`), so that no name a
domain gives its classes can shadow one.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from acme_sales.business import types
from acme_sales.business.sdk import unchanged


@dataclass(frozen=True, slots=True, kw_only=True)
class Product:
    id: uuid.UUID
    user_id: uuid.UUID  # the owner
    name: types.Name
    cost: types.Money
    quantity: types.Quantity
    date_created: datetime  # UTC
    date_updated: datetime  # UTC


@dataclass(frozen=True, slots=True, kw_only=True)
class NewProduct:
    user_id: uuid.UUID  # the owner: the authenticated caller, never the request body
    name: types.Name
    cost: types.Money
    quantity: types.Quantity


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateProduct:
    """The changes to make: UNCHANGED (left out) keeps a value; None clears an optional one."""

    name: types.Name | unchanged.Unchanged = unchanged.UNCHANGED
    cost: types.Money | unchanged.Unchanged = unchanged.UNCHANGED
    quantity: types.Quantity | unchanged.Unchanged = unchanged.UNCHANGED


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductView:
    """A product with its owner's name: the read model over view_products."""

    user_name: types.Name  # first: a domain called `types` names the field below
    product: Product
