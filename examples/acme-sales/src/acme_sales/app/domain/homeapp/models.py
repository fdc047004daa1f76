"""JSON models of the home API (camelCase on the wire) and the converters.

`to_bus_*` parse JSON values into the business layer's strong types and report every refused
field at once; `to_app_*` turn business values back into JSON ones.
"""

import typing
import uuid
from datetime import datetime

import msgspec

from acme_sales.app.sdk import apidoc, errs
from acme_sales.app.sdk.params import nullable
from acme_sales.business import types
from acme_sales.business.domain import homebus


class Home(msgspec.Struct, frozen=True, rename="camel"):
    id: uuid.UUID
    user_id: uuid.UUID
    type: str
    address1: str
    address2: str | None
    zip_code: str
    city: str
    state: str
    country: str
    date_created: datetime
    date_updated: datetime


class HomeView(Home, frozen=True, rename="camel"):
    """A home with its owner's name."""

    user_name: str


# Body fields as the OpenAPI document describes them (the converters below check them).
TYPE_INPUT = typing.Annotated[str, apidoc.body(apidoc.choice(["CONDO", "SINGLE FAMILY"]))]
ADDRESS1_INPUT = typing.Annotated[str, apidoc.body(apidoc.TEXT_BODY)]
ADDRESS2_INPUT = typing.Annotated[str, apidoc.body(apidoc.TEXT_BODY)]
ZIP_CODE_INPUT = typing.Annotated[str, apidoc.body(apidoc.TEXT_BODY)]
CITY_INPUT = typing.Annotated[str, apidoc.body(apidoc.TEXT_BODY)]
STATE_INPUT = typing.Annotated[str, apidoc.body(apidoc.TEXT_BODY)]
COUNTRY_INPUT = typing.Annotated[str, apidoc.body(apidoc.TEXT_BODY)]


class NewHome(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """The owner is the caller: it is never taken from the body."""

    type: TYPE_INPUT
    address1: ADDRESS1_INPUT
    zip_code: ZIP_CODE_INPUT
    city: CITY_INPUT
    state: STATE_INPUT
    country: COUNTRY_INPUT
    address2: ADDRESS2_INPUT | None = None


class UpdateHome(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """Every field may be left out, meaning unchanged; null clears an optional field."""

    type: TYPE_INPUT | msgspec.UnsetType = msgspec.UNSET
    address1: ADDRESS1_INPUT | msgspec.UnsetType = msgspec.UNSET
    address2: ADDRESS2_INPUT | msgspec.UnsetType | None = msgspec.UNSET
    zip_code: ZIP_CODE_INPUT | msgspec.UnsetType = msgspec.UNSET
    city: CITY_INPUT | msgspec.UnsetType = msgspec.UNSET
    state: STATE_INPUT | msgspec.UnsetType = msgspec.UNSET
    country: COUNTRY_INPUT | msgspec.UnsetType = msgspec.UNSET


# The converters below hold the domain's values in attributes and keyword arguments only, never
# in variables named after fields, so a field may be called anything (`errors`, `app`, `str`).


def to_app_home(item: homebus.Home) -> Home:
    return Home(
        id=item.id,
        user_id=item.user_id,
        type=item.type.value,
        address1=item.address1.value,
        address2=None if item.address2 is None else item.address2.value,
        zip_code=item.zip_code.value,
        city=item.city.value,
        state=item.state.value,
        country=item.country.value,
        date_created=item.date_created,
        date_updated=item.date_updated,
    )


def to_app_home_view(view: homebus.HomeView) -> HomeView:
    fields = msgspec.structs.asdict(to_app_home(view.home))
    return HomeView(**fields, user_name=view.user_name.value)


def to_bus_new_home(app: NewHome, owner_id: uuid.UUID) -> homebus.NewHome:
    """A refused field makes `raise_if_any` raise before `new` is used."""
    errors = errs.FieldErrors()
    new = homebus.NewHome(
        user_id=owner_id,
        type=errors.check("type", homebus.HomeTypeChoice.parse, app.type),
        address1=errors.check("address1", types.Text.parse, app.address1),
        address2=errors.check("address2", nullable(types.Text.parse), app.address2),
        zip_code=errors.check("zipCode", types.Text.parse, app.zip_code),
        city=errors.check("city", types.Text.parse, app.city),
        state=errors.check("state", types.Text.parse, app.state),
        country=errors.check("country", types.Text.parse, app.country),
    )
    errors.raise_if_any()
    return new


def to_bus_update_home(app: UpdateHome) -> homebus.UpdateHome:
    """A refused field makes `raise_if_any` raise before `update` is used."""
    errors = errs.FieldErrors()
    update = homebus.UpdateHome(
        type=errors.check_update("type", homebus.HomeTypeChoice.parse, app.type),
        address1=errors.check_update("address1", types.Text.parse, app.address1),
        address2=errors.check_update("address2", nullable(types.Text.parse), app.address2),
        zip_code=errors.check_update("zipCode", types.Text.parse, app.zip_code),
        city=errors.check_update("city", types.Text.parse, app.city),
        state=errors.check_update("state", types.Text.parse, app.state),
        country=errors.check_update("country", types.Text.parse, app.country),
    )
    errors.raise_if_any()
    return update
