"""What a home's audit row records of a change: the values given, as the API names
them (money and times as text)."""

import typing

from acme_sales.business.domain import auditbus
from acme_sales.business.domain.homebus.model import Home, UpdateHome
from acme_sales.business.sdk.unchanged import UNCHANGED

# The domain's name in audit rows (`obj_domain`, the audit query's filter).
DOMAIN: typing.Final = "home"


def audit_name(item: Home) -> str:
    """What a person calls the home (`obj_name`), as it is at the change."""
    return item.address1.value


def created_data(item: Home) -> auditbus.JSONObject:
    return {
        "type": item.type.value,
        "address1": item.address1.value,
        "address2": None if item.address2 is None else item.address2.value,
        "zipCode": item.zip_code.value,
        "city": item.city.value,
        "state": item.state.value,
        "country": item.country.value,
    }


def updated_data(update: UpdateHome) -> auditbus.JSONObject:
    """The fields `update` changes, with their new values."""
    given: auditbus.JSONObject = {
        "type": UNCHANGED if update.type is UNCHANGED else update.type.value,
        "address1": UNCHANGED if update.address1 is UNCHANGED else update.address1.value,
        "address2": UNCHANGED
        if update.address2 is UNCHANGED
        else (None if update.address2 is None else update.address2.value),
        "zipCode": UNCHANGED if update.zip_code is UNCHANGED else update.zip_code.value,
        "city": UNCHANGED if update.city is UNCHANGED else update.city.value,
        "state": UNCHANGED if update.state is UNCHANGED else update.state.value,
        "country": UNCHANGED if update.country is UNCHANGED else update.country.value,
    }
    return {name: value for name, value in given.items() if value is not UNCHANGED}
