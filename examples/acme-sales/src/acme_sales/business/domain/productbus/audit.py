"""What a product's audit row records of a change: the values given, as the API names
them (money and times as text)."""

import typing

from acme_sales.business.domain import auditbus
from acme_sales.business.domain.productbus.model import Product, UpdateProduct
from acme_sales.business.sdk.unchanged import UNCHANGED

# The domain's name in audit rows (`obj_domain`, the audit query's filter).
DOMAIN: typing.Final = "product"


def audit_name(item: Product) -> str:
    """What a person calls the product (`obj_name`), as it is at the change."""
    return item.name.value


def created_data(item: Product) -> auditbus.JSONObject:
    return {
        "name": item.name.value,
        "cost": str(item.cost),
        "quantity": item.quantity.value,
    }


def updated_data(update: UpdateProduct) -> auditbus.JSONObject:
    """The fields `update` changes, with their new values."""
    given: auditbus.JSONObject = {
        "name": UNCHANGED if update.name is UNCHANGED else update.name.value,
        "cost": UNCHANGED if update.cost is UNCHANGED else str(update.cost),
        "quantity": UNCHANGED if update.quantity is UNCHANGED else update.quantity.value,
    }
    return {name: value for name, value in given.items() if value is not UNCHANGED}
