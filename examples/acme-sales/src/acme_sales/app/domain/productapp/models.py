"""JSON models of the product API (camelCase on the wire) and the converters.

`to_bus_*` parse JSON values into the business layer's strong types and report every refused
field at once; `to_app_*` turn business values back into JSON ones.
"""

import decimal
import typing
import uuid
from datetime import datetime

import msgspec

from acme_sales.app.sdk import apidoc, errs
from acme_sales.business import types
from acme_sales.business.domain import productbus


class Product(msgspec.Struct, frozen=True, rename="camel"):
    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    cost: decimal.Decimal
    quantity: int
    date_created: datetime
    date_updated: datetime


class ProductView(Product, frozen=True, rename="camel"):
    """A product with its owner's name."""

    user_name: str


# Body fields as the OpenAPI document describes them (the converters below check them).
NAME_INPUT = typing.Annotated[str, apidoc.body(apidoc.NAME)]
COST_INPUT = typing.Annotated[str, apidoc.body(apidoc.MONEY)]
QUANTITY_INPUT = typing.Annotated[int, apidoc.body(apidoc.QUANTITY)]


class NewProduct(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """The owner is the caller: it is never taken from the body."""

    name: NAME_INPUT
    cost: COST_INPUT
    quantity: QUANTITY_INPUT


class UpdateProduct(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """Every field may be left out, meaning unchanged; null clears an optional field."""

    name: NAME_INPUT | msgspec.UnsetType = msgspec.UNSET
    cost: COST_INPUT | msgspec.UnsetType = msgspec.UNSET
    quantity: QUANTITY_INPUT | msgspec.UnsetType = msgspec.UNSET


# The converters below hold the domain's values in attributes and keyword arguments only, never
# in variables named after fields, so a field may be called anything (`errors`, `app`, `str`).


def to_app_product(item: productbus.Product) -> Product:
    return Product(
        id=item.id,
        user_id=item.user_id,
        name=item.name.value,
        cost=item.cost.value,
        quantity=item.quantity.value,
        date_created=item.date_created,
        date_updated=item.date_updated,
    )


def to_app_product_view(view: productbus.ProductView) -> ProductView:
    fields = msgspec.structs.asdict(to_app_product(view.product))
    return ProductView(**fields, user_name=view.user_name.value)


def to_bus_new_product(app: NewProduct, owner_id: uuid.UUID) -> productbus.NewProduct:
    """A refused field makes `raise_if_any` raise before `new` is used."""
    errors = errs.FieldErrors()
    new = productbus.NewProduct(
        user_id=owner_id,
        name=errors.check("name", types.Name.parse, app.name),
        cost=errors.check("cost", types.Money.parse, app.cost),
        quantity=errors.check("quantity", types.Quantity.parse, app.quantity),
    )
    errors.raise_if_any()
    return new


def to_bus_update_product(app: UpdateProduct) -> productbus.UpdateProduct:
    """A refused field makes `raise_if_any` raise before `update` is used."""
    errors = errs.FieldErrors()
    update = productbus.UpdateProduct(
        name=errors.check_update("name", types.Name.parse, app.name),
        cost=errors.check_update("cost", types.Money.parse, app.cost),
        quantity=errors.check_update("quantity", types.Quantity.parse, app.quantity),
    )
    errors.raise_if_any()
    return update
