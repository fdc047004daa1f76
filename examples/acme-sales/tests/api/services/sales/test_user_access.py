"""Who may call each user route: every route x {no token, malformed token, another user, the
user themself, an admin}, through both services and the real policies."""

from dataclasses import dataclass
from typing import Any

import pytest

from acme_sales.business.domain.userbus import User
from acme_sales.business.types import Role
from tests.support.services import Services
from tests.support.users import new_user, new_user_json


@dataclass(frozen=True)
class Seeded:
    admin: User
    user: User  # the caller in "self" and "other" cases
    other: User  # the target in the "other" case


@pytest.fixture
async def seeded(api: Services) -> Seeded:
    return Seeded(
        admin=await api.users.create(new_user(0, Role.ADMIN), actor_id=None),
        user=await api.users.create(new_user(0, Role.USER), actor_id=None),
        other=await api.users.create(new_user(1, Role.USER), actor_id=None),
    )


# route -> (method, path with {target}, JSON body)
ROUTES: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "query": ("GET", "/v1/users", None),
    "get": ("GET", "/v1/users/{target}", None),
    "create": ("POST", "/v1/users", new_user_json()),
    "update": ("PATCH", "/v1/users/{target}", {"department": "Shipping"}),
    "roles": ("PUT", "/v1/users/{target}/roles", {"roles": ["USER"]}),
    "delete": ("DELETE", "/v1/users/{target}", None),
}

# route -> expected status for callers: none, malformed, other, self, admin
EXPECTED: dict[str, tuple[int, int, int, int, int]] = {
    "query": (401, 401, 403, 403, 200),
    "get": (401, 401, 403, 200, 200),
    "create": (401, 401, 403, 403, 201),
    "update": (401, 401, 403, 200, 200),
    "roles": (401, 401, 403, 403, 200),
    "delete": (401, 401, 403, 204, 204),
}
CALLERS = ("none", "malformed", "other", "self", "admin")
CODES = {401: "unauthenticated", 403: "permission_denied"}


def headers_for(api: Services, seeded: Seeded, caller: str) -> dict[str, str]:
    match caller:
        case "none":
            return {}
        case "malformed":
            return {"Authorization": "Bearer not.a.token"}
        case "admin":
            return api.bearer(seeded.admin)
        case _:
            return api.bearer(seeded.user)


def target_of(seeded: Seeded, caller: str) -> User:
    # Acting on another user only in the "other" case; everyone else acts on the regular user.
    return seeded.other if caller == "other" else seeded.user


@pytest.mark.parametrize(
    ("route", "caller", "status"),
    [
        (route, caller, status)
        for route, statuses in EXPECTED.items()
        for caller, status in zip(CALLERS, statuses, strict=True)
    ],
)
async def test_access(api: Services, seeded: Seeded, route: str, caller: str, status: int) -> None:
    method, path, body = ROUTES[route]
    response = await api.sales.request(
        method,
        path.format(target=target_of(seeded, caller).id),
        headers=headers_for(api, seeded, caller),
        json=body,
    )
    assert response.status_code == status, response.text
    if status in CODES:
        assert response.json()["code"] == CODES[status]


async def test_missing_header_says_what_is_expected(api: Services) -> None:
    response = await api.sales.get("/v1/users")
    assert response.json() == {
        "code": "unauthenticated",
        "message": "missing authorization header: expected Bearer token",
    }


async def test_refused_rule_is_named_but_claims_are_not_echoed(
    api: Services, seeded: Seeded
) -> None:
    response = await api.sales.get("/v1/users", headers=api.bearer(seeded.user))
    assert response.status_code == 403
    message = response.json()["message"]
    assert "rule_admin_only" in message
    assert str(seeded.user.id) not in message


async def test_a_user_that_does_not_exist_is_404_even_for_an_admin(
    api: Services, seeded: Seeded
) -> None:
    response = await api.sales.get(
        "/v1/users/00000000-0000-4000-8000-000000000000", headers=api.bearer(seeded.admin)
    )
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "user not found"}
