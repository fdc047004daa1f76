"""JSON models of the user API (camelCase on the wire) and the converters across the boundary.

`to_bus_*` parse raw JSON values into the business layer's strong types and report every refused
field at once; `to_app_*` turn business values back into plain JSON ones.
"""

from datetime import datetime
from typing import Annotated, ClassVar, Final
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from acme_sales.app.sdk import apidoc
from acme_sales.app.sdk.errs import FieldErrors
from acme_sales.business.domain import userbus
from acme_sales.business.sdk.unchanged import UNCHANGED
from acme_sales.business.types import Email, Name, Password, Role


class User(msgspec.Struct, frozen=True, rename="camel"):
    id: UUID
    name: str
    email: str
    roles: list[str]
    department: str | None
    enabled: bool
    date_created: datetime
    date_updated: datetime


# Body fields as the OpenAPI document describes them (the converters below check them).
NameText = Annotated[str, apidoc.body(apidoc.NAME)]
RoleList = Annotated[list[str], apidoc.body(apidoc.ROLES)]
EmailText = Annotated[str, apidoc.body(apidoc.EMAIL_ADDRESS)]
DepartmentText = Annotated[str, apidoc.body(apidoc.NAME_OR_EMPTY)]
PasswordText = Annotated[str, apidoc.body(apidoc.PASSWORD)]
ConfirmText = Annotated[str, apidoc.body(apidoc.PASSWORD_CONFIRM)]

# What a `passwordConfirm` other than `password` is told (apidoc.PASSWORD_CONFIRM says it too).
CONFIRM_RULE: Final = "must equal password"


class NewUser(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    name: NameText
    email: EmailText
    roles: RoleList
    password: PasswordText
    password_confirm: ConfirmText
    department: DepartmentText | None = None


class UpdateUser(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """Every field may be left out, meaning unchanged; `department: null` clears it; a new
    password comes with its confirmation, neither without the other."""

    # For the document (foundation/apischema.py); _check_confirmation enforces it.
    openapi_extra: ClassVar[apidoc.Schema] = apidoc.each_requires_the_other(
        "password", "passwordConfirm"
    )

    name: NameText | UnsetType = UNSET
    email: EmailText | UnsetType = UNSET
    department: DepartmentText | UnsetType | None = UNSET
    password: PasswordText | UnsetType = UNSET
    password_confirm: ConfirmText | UnsetType = UNSET
    enabled: bool | UnsetType = UNSET


class UpdateUserRoles(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    roles: RoleList


def to_app_user(user: userbus.User) -> User:
    return User(
        id=user.id,
        name=str(user.name),
        email=str(user.email),
        roles=[str(role) for role in user.roles],
        department=None if user.department is None else str(user.department),
        enabled=user.enabled,
        date_created=user.date_created,
        date_updated=user.date_updated,
    )


def to_bus_new_user(app: NewUser) -> userbus.NewUser:
    errors = FieldErrors()
    name = errors.check("name", Name.parse, app.name)
    email = errors.check("email", Email.parse, app.email)
    roles = errors.check("roles", Role.parse_many, app.roles)
    department = errors.check("department", _optional_name, app.department)
    password = errors.check("password", Password.parse, app.password)
    _check_confirmation(errors, app.password, app.password_confirm)
    errors.raise_if_any()
    return userbus.NewUser(
        name=name, email=email, roles=roles, department=department, password=password
    )


def to_bus_update_user(app: UpdateUser) -> userbus.UpdateUser:
    errors = FieldErrors()
    password = errors.check_update("password", Password.parse, app.password)
    _check_confirmation(errors, app.password, app.password_confirm)
    name = errors.check_update("name", Name.parse, app.name)
    email = errors.check_update("email", Email.parse, app.email)
    department = errors.check_update("department", _optional_name, app.department)
    errors.raise_if_any()
    return userbus.UpdateUser(
        name=name,
        email=email,
        department=department,
        password=password,
        enabled=UNCHANGED if isinstance(app.enabled, UnsetType) else app.enabled,
    )


def to_bus_update_roles(app: UpdateUserRoles) -> userbus.UpdateUser:
    errors = FieldErrors()
    roles = errors.check("roles", Role.parse_many, app.roles)
    errors.raise_if_any()
    return userbus.UpdateUser(roles=roles)


def _optional_name(raw: str | None) -> Name | None:
    return None if raw is None or raw == "" else Name.parse(raw)


def _check_confirmation(
    errors: FieldErrors, password: str | UnsetType, confirm: str | UnsetType
) -> None:
    """A new password comes with `passwordConfirm` equal to it, and neither without the other
    (left out is UNSET, which only a partial update allows)."""
    if isinstance(confirm, UnsetType):
        if not isinstance(password, UnsetType):
            errors.add("passwordConfirm", "required with password")
    elif isinstance(password, UnsetType):
        errors.add("password", "required with passwordConfirm")
    elif confirm != password:
        errors.add("passwordConfirm", CONFIRM_RULE)
