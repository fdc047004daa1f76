"""GET /v1/audits: the audit trail of user changes, for admins only."""

from typing import Any

import pytest

from acme_sales.business.domain.userbus import User
from acme_sales.business.types import Role
from tests.support.services import Services
from tests.support.users import new_user, new_user_json


@pytest.fixture
async def admin(api: Services) -> User:
    return await api.users.create(new_user(0, Role.ADMIN), actor_id=None)


@pytest.fixture
async def user(api: Services) -> User:
    return await api.users.create(new_user(0, Role.USER), actor_id=None)


async def audits(api: Services, admin: User, **params: str) -> dict[str, Any]:
    response = await api.sales.get("/v1/audits", params=params, headers=api.bearer(admin))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_admin_sees_each_user_change_with_its_actor(
    api: Services, admin: User, user: User
) -> None:
    created = await api.sales.post("/v1/users", json=new_user_json(), headers=api.bearer(admin))
    new_id = created.json()["id"]
    await api.sales.patch(
        f"/v1/users/{new_id}", json={"department": "Shipping"}, headers=api.bearer(admin)
    )
    await api.sales.delete(f"/v1/users/{user.id}", headers=api.bearer(user))

    result = await audits(api, admin, orderBy="timestamp")

    rows = result["items"]
    assert result["total"] == 5  # the two seeded users, then the three changes above
    assert [(r["objId"], r["actorId"], r["action"]) for r in rows[2:]] == [
        (new_id, str(admin.id), "created"),
        (new_id, str(admin.id), "updated"),
        (str(user.id), str(user.id), "deleted"),
    ]
    assert rows[0]["actorId"] is None  # seeded by the system, not by a person
    assert set(rows[2]) == {
        "id", "objId", "objDomain", "objName", "actorId", "action", "data", "message", "timestamp",
    }  # fmt: skip
    assert rows[2]["objDomain"] == "user"
    assert rows[2]["objName"] == "Brand New"
    assert rows[2]["message"] == "user created"
    assert rows[2]["data"] == {
        "name": "Brand New",
        "email": "brand.new@example.com",
        "roles": ["USER"],
        "department": None,
        "enabled": True,
    }
    assert rows[3]["data"] == {"department": "Shipping"}
    assert rows[4]["data"] == {  # a deletion keeps the last values
        "name": str(user.name),
        "email": str(user.email),
        "roles": [str(role) for role in user.roles],
        "department": None if user.department is None else str(user.department),
        "enabled": user.enabled,
    }


async def test_no_password_or_hash_reaches_the_trail(api: Services, admin: User) -> None:
    created = await api.sales.post("/v1/users", json=new_user_json(), headers=api.bearer(admin))
    new_id = created.json()["id"]
    secret = {"password": "another secret!", "passwordConfirm": "another secret!"}
    await api.sales.patch(f"/v1/users/{new_id}", json=secret, headers=api.bearer(admin))

    result = await audits(api, admin, objId=new_id)

    assert [row["data"] for row in result["items"]][-1] == {"passwordChanged": True}
    text = str(result)
    assert "correct horse battery" not in text
    assert "another secret!" not in text
    assert "$2b$" not in text


@pytest.mark.parametrize("caller", ["user", "none"])
async def test_only_admins_read_the_trail(
    api: Services, admin: User, user: User, caller: str
) -> None:
    headers = api.bearer(user) if caller == "user" else {}

    response = await api.sales.get("/v1/audits", headers=headers)

    expected = {"user": (403, "permission_denied"), "none": (401, "unauthenticated")}[caller]
    assert (response.status_code, response.json()["code"]) == expected


async def test_filters_narrow_the_trail(api: Services, admin: User, user: User) -> None:
    await api.sales.patch(
        f"/v1/users/{user.id}", json={"name": "Renamed Later"}, headers=api.bearer(admin)
    )

    def ids(result: dict[str, Any]) -> list[tuple[str, str]]:
        return [(row["objId"], row["action"]) for row in result["items"]]

    by_actor = await audits(api, admin, actorId=str(admin.id))
    by_object = await audits(api, admin, objId=str(user.id))
    by_action = await audits(api, admin, action="updated")
    by_name = await audits(api, admin, objName="renamed")
    by_domain = await audits(api, admin, objDomain="user", action="created")
    none_yet = await audits(api, admin, since="2999-01-01T00:00:00Z")

    assert ids(by_actor) == [(str(user.id), "updated")]
    assert ids(by_object) == [(str(user.id), "created"), (str(user.id), "updated")]
    assert ids(by_action) == [(str(user.id), "updated")]
    assert ids(by_name) == [(str(user.id), "updated")]
    assert by_domain["total"] == 2
    assert none_yet == {"items": [], "total": 0, "page": 1, "rowsPerPage": 10}


async def test_pages(api: Services, admin: User) -> None:
    for index in range(1, 4):
        await api.users.create(new_user(index, Role.USER), actor_id=None)

    result = await audits(api, admin, page="2", rows="3", orderBy="timestamp,DESC")

    assert (result["total"], result["page"], result["rowsPerPage"]) == (4, 2, 3)
    assert [row["objId"] for row in result["items"]] == [str(admin.id)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"objId": "not-a-uuid"}, "objId"),
        ({"actorId": "42"}, "actorId"),
        ({"action": "exploded"}, "action"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2024-13-01"}, "until"),
        ({"orderBy": "data"}, "orderBy"),
        ({"rows": "101"}, "rows"),
    ],
)
async def test_bad_query_parameters_are_named(
    api: Services, admin: User, params: dict[str, str], field: str
) -> None:
    response = await api.sales.get("/v1/audits", params=params, headers=api.bearer(admin))

    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == [field]
