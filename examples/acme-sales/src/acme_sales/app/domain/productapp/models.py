"""JSON models of the product API (camelCase on the wire) and the converters.

`to_bus_*` parse JSON values into the business layer's strong types and report every refused
field at once; `to_app_*` turn business values back into JSON ones.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from acme_sales.app.sdk import apidoc
from acme_sales.app.sdk.errs import FieldErrors
from acme_sales.business.domain import productbus
from acme_sales.business.types import (
    Money,
    Name,
    Quantity,
)


class Product(msgspec.Struct, frozen=True, rename="camel"):
    id: UUID
    user_id: UUID
    name: str
    cost: Decimal
    quantity: int
    date_created: datetime
    date_updated: datetime


class ProductView(Product, frozen=True, rename="camel"):
    """A product with its owner's name."""

    user_name: str


# Body fields as the OpenAPI document describes them (the converters below check them).
NAME_INPUT = Annotated[str, apidoc.body(apidoc.NAME)]
COST_INPUT = Annotated[str, apidoc.body(apidoc.MONEY)]
QUANTITY_INPUT = Annotated[int, apidoc.body(apidoc.QUANTITY)]


class NewProduct(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """The owner is the caller: it is never taken from the body."""

    name: NAME_INPUT
    cost: COST_INPUT
    quantity: QUANTITY_INPUT


class UpdateProduct(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """Every field may be left out, meaning unchanged; null clears an optional field."""

    name: NAME_INPUT | UnsetType = UNSET
    cost: COST_INPUT | UnsetType = UNSET
    quantity: QUANTITY_INPUT | UnsetType = UNSET


def to_app_product(product: productbus.Product) -> Product:
    return Product(
        id=product.id,
        user_id=product.user_id,
        name=product.name.value,
        cost=product.cost.value,
        quantity=product.quantity.value,
        date_created=product.date_created,
        date_updated=product.date_updated,
    )


def to_app_product_view(view: productbus.ProductView) -> ProductView:
    product = msgspec.structs.asdict(to_app_product(view.product))
    return ProductView(**product, user_name=view.user_name.value)


def to_bus_new_product(app: NewProduct, owner_id: UUID) -> productbus.NewProduct:
    errors = FieldErrors()
    name = errors.check("name", Name.parse, app.name)
    cost = errors.check("cost", Money.parse, app.cost)
    quantity = errors.check("quantity", Quantity.parse, app.quantity)
    errors.raise_if_any()
    return productbus.NewProduct(
        user_id=owner_id,
        name=name,
        cost=cost,
        quantity=quantity,
    )


def to_bus_update_product(app: UpdateProduct) -> productbus.UpdateProduct:
    errors = FieldErrors()
    name = errors.check_update("name", Name.parse, app.name)
    cost = errors.check_update("cost", Money.parse, app.cost)
    quantity = errors.check_update("quantity", Quantity.parse, app.quantity)
    errors.raise_if_any()
    return productbus.UpdateProduct(
        name=name,
        cost=cost,
        quantity=quantity,
    )
