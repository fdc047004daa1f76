"""JSON models of the user API (camelCase on the wire) and the converters across the boundary.

`to_bus_*` parse raw JSON values into the business layer's strong types and report every refused
field at once; `to_app_*` turn business values back into plain JSON ones.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from acme_sales.app.sdk import apidoc
from acme_sales.app.sdk.errs import FieldErrors
from acme_sales.business.domain import userbus
from acme_sales.business.sdk.unchanged import UNCHANGED, Unchanged
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


class NewUser(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    name: NameText
    email: EmailText
    roles: RoleList
    password: str
    password_confirm: str
    department: DepartmentText | None = None


class UpdateUser(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """Every field may be left out, meaning unchanged; `department: null` clears it."""

    name: NameText | UnsetType = UNSET
    email: EmailText | UnsetType = UNSET
    department: DepartmentText | UnsetType | None = UNSET
    password: str | UnsetType = UNSET
    password_confirm: str | UnsetType = UNSET
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
    password = errors.check(
        "passwordConfirm",
        lambda confirm: Password.parse_confirmed(app.password, confirm),
        app.password_confirm,
    )
    errors.raise_if_any()
    return userbus.NewUser(
        name=name, email=email, roles=roles, department=department, password=password
    )


def to_bus_update_user(app: UpdateUser) -> userbus.UpdateUser:
    errors = FieldErrors()
    password: Password | Unchanged = UNCHANGED
    if not (isinstance(app.password, UnsetType) and isinstance(app.password_confirm, UnsetType)):
        # A new password counts only with its confirmation; either alone is refused.
        password = errors.check(
            "passwordConfirm",
            lambda confirm: Password.parse_confirmed(_or_empty(app.password), confirm),
            _or_empty(app.password_confirm),
        )
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


def _or_empty(value: str | UnsetType) -> str:
    return "" if isinstance(value, UnsetType) else value
