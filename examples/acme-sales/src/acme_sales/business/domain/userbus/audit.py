"""What a user's audit row records of a change: the values given, never a password or a hash."""

from acme_sales.business.domain.auditbus import JSONObject
from acme_sales.business.domain.userbus.model import UpdateUser, User
from acme_sales.business.sdk.unchanged import UNCHANGED
from acme_sales.business.types import Name, Role


def created_data(user: User) -> JSONObject:
    return {
        "name": str(user.name),
        "email": str(user.email),
        "roles": _roles(user.roles),
        "department": _department(user.department),
        "enabled": user.enabled,
    }


def updated_data(uu: UpdateUser) -> JSONObject:
    """The fields `uu` changes, with their new values; a new password only as the fact of it."""
    data: JSONObject = {}
    if uu.name is not UNCHANGED:
        data["name"] = str(uu.name)
    if uu.email is not UNCHANGED:
        data["email"] = str(uu.email)
    if uu.roles is not UNCHANGED:
        data["roles"] = _roles(uu.roles)
    if uu.department is not UNCHANGED:
        data["department"] = _department(uu.department)
    if uu.enabled is not UNCHANGED:
        data["enabled"] = uu.enabled
    if uu.password is not UNCHANGED:
        data["passwordChanged"] = True
    return data


def _roles(roles: tuple[Role, ...]) -> list[str]:
    return [str(role) for role in roles]


def _department(department: Name | None) -> str | None:
    return None if department is None else str(department)
