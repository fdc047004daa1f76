"""What the user routes do, through both services, against a real database."""

from typing import Any

import pytest

from acme_sales.business.domain.userbus import User
from acme_sales.business.types import Role
from tests.support.services import KID, Services
from tests.support.users import PASSWORD, new_user, new_user_json


@pytest.fixture
async def admin(api: Services) -> User:
    return await api.users.create(new_user(0, Role.ADMIN), actor_id=None)


@pytest.fixture
async def user(api: Services) -> User:
    return await api.users.create(new_user(0, Role.USER), actor_id=None)


async def test_admin_creates_a_user_who_can_then_sign_in(api: Services, admin: User) -> None:
    response = await api.sales.post(
        "/v1/users", json=new_user_json(department="Shipping"), headers=api.bearer(admin)
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["name"] == "Brand New"
    assert created["email"] == "brand.new@example.com"
    assert created["roles"] == ["USER"]
    assert created["department"] == "Shipping"
    assert created["enabled"] is True
    assert set(created) == {
        "id", "name", "email", "roles", "department", "enabled", "dateCreated", "dateUpdated",
    }  # fmt: skip

    token = await api.auth.get(
        f"/v1/auth/token/{KID}", auth=("brand.new@example.com", "correct horse battery")
    )
    assert token.status_code == 200, token.text
    me = await api.sales.get(
        f"/v1/users/{created['id']}",
        headers={"Authorization": f"Bearer {token.json()['token']}"},
    )
    assert me.json() == created


async def test_create_names_every_refused_field(api: Services, admin: User) -> None:
    body = new_user_json(
        name="x", email="not-an-email", roles=["ROOT"], passwordConfirm="something else"
    )
    response = await api.sales.post("/v1/users", json=body, headers=api.bearer(admin))
    assert response.status_code == 400
    fields = {f["field"] for f in response.json()["fields"]}
    assert fields == {"name", "email", "roles", "passwordConfirm"}


@pytest.mark.parametrize(
    "password",
    [
        "x" * 8,
        "x" * 72,
        "é" * 36,  # 72 bytes
        "🔑" * 18,  # 72 bytes
    ],
)
async def test_create_takes_a_password_at_the_bounds_of_its_rule(
    api: Services, admin: User, password: str
) -> None:
    body = new_user_json(password=password, passwordConfirm=password)
    response = await api.sales.post("/v1/users", json=body, headers=api.bearer(admin))
    assert response.status_code == 201, response.text
    token = await api.auth.get(f"/v1/auth/token/{KID}", auth=(body["email"], password))
    assert token.status_code == 200, token.text


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("x" * 7, "must be 8 to 72 characters long"),
        ("x" * 73, "must be 8 to 72 characters long"),
        ("ééééééé", "must be 8 to 72 characters long"),  # 14 bytes, but 7 characters
        ("é" * 37, "must be at most 72 bytes as UTF-8 (é takes 2, € 3, most emoji 4)"),
        ("x" * 71 + "€", "must be at most 72 bytes as UTF-8 (é takes 2, € 3, most emoji 4)"),
    ],
)
async def test_create_refuses_a_password_naming_the_field_and_the_rule(
    api: Services, admin: User, password: str, error: str
) -> None:
    body = new_user_json(password=password, passwordConfirm=password)
    response = await api.sales.post("/v1/users", json=body, headers=api.bearer(admin))
    assert response.status_code == 400
    assert response.json()["fields"] == [{"field": "password", "error": error}]


async def test_create_refuses_a_confirmation_unlike_the_password(
    api: Services, admin: User
) -> None:
    body = new_user_json(passwordConfirm="correct horse battery!")
    response = await api.sales.post("/v1/users", json=body, headers=api.bearer(admin))
    assert response.status_code == 400
    assert response.json()["fields"] == [
        {"field": "passwordConfirm", "error": "must equal password"}
    ]


async def test_create_refuses_unknown_and_missing_fields(api: Services, admin: User) -> None:
    unknown = await api.sales.post(
        "/v1/users", json=new_user_json(isAdmin=True), headers=api.bearer(admin)
    )
    assert unknown.status_code == 400
    body = new_user_json()
    del body["email"]
    missing = await api.sales.post("/v1/users", json=body, headers=api.bearer(admin))
    assert missing.status_code == 400
    assert missing.json()["fields"][0]["field"] == "email"


@pytest.mark.parametrize("spelling", ["lower", "upper"])
async def test_create_with_a_taken_email_is_409(
    api: Services, admin: User, user: User, spelling: str
) -> None:
    email = getattr(str(user.email), spelling)()  # whatever the case of its letters
    response = await api.sales.post(
        "/v1/users", json=new_user_json(email=email), headers=api.bearer(admin)
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "already_exists",
        "message": "email is not unique",
        "fields": [{"field": "email", "error": "email is not unique"}],
    }


async def test_update_changes_only_the_fields_sent(api: Services, user: User) -> None:
    response = await api.sales.patch(
        f"/v1/users/{user.id}", json={"name": "Renamed User"}, headers=api.bearer(user)
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["name"] == "Renamed User"
    assert updated["email"] == str(user.email)
    assert updated["dateUpdated"] > updated["dateCreated"]


async def test_update_sets_and_clears_the_department(api: Services, user: User) -> None:
    path, headers = f"/v1/users/{user.id}", api.bearer(user)
    set_ = await api.sales.patch(path, json={"department": "Shipping"}, headers=headers)
    assert set_.json()["department"] == "Shipping"
    unchanged = await api.sales.patch(path, json={"name": "Still Here"}, headers=headers)
    assert unchanged.json()["department"] == "Shipping"
    cleared = await api.sales.patch(path, json={"department": None}, headers=headers)
    assert cleared.json()["department"] is None


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ({"password": "a new password"}, {"passwordConfirm": "required with password"}),
        ({"passwordConfirm": "a new password"}, {"password": "required with passwordConfirm"}),
        (
            {"password": "a new password", "passwordConfirm": "a new passw0rd"},
            {"passwordConfirm": "must equal password"},
        ),
        (
            {"password": "short", "passwordConfirm": "short"},
            {"password": "must be 8 to 72 characters long"},
        ),
    ],
)
async def test_update_refuses_a_new_password_naming_the_field_and_the_rule(
    api: Services, user: User, body: dict[str, str], refused: dict[str, str]
) -> None:
    response = await api.sales.patch(f"/v1/users/{user.id}", json=body, headers=api.bearer(user))
    assert response.status_code == 400
    assert {f["field"]: f["error"] for f in response.json()["fields"]} == refused
    old = await api.auth.get(f"/v1/auth/token/{KID}", auth=(str(user.email), PASSWORD))
    assert old.status_code == 200


async def test_update_changes_the_password_with_its_confirmation(api: Services, user: User) -> None:
    path, headers = f"/v1/users/{user.id}", api.bearer(user)
    both = {"password": "a new password", "passwordConfirm": "a new password"}
    assert (await api.sales.patch(path, json=both, headers=headers)).status_code == 200
    old = await api.auth.get(f"/v1/auth/token/{KID}", auth=(str(user.email), PASSWORD))
    new = await api.auth.get(f"/v1/auth/token/{KID}", auth=(str(user.email), "a new password"))
    assert (old.status_code, new.status_code) == (401, 200)


async def test_update_to_a_taken_email_is_409(api: Services, admin: User, user: User) -> None:
    response = await api.sales.patch(
        f"/v1/users/{user.id}", json={"email": str(admin.email)}, headers=api.bearer(user)
    )
    assert response.status_code == 409
    assert response.json()["code"] == "already_exists"


async def test_a_disabled_user_is_refused_at_once(api: Services, admin: User, user: User) -> None:
    token = api.bearer(user)
    await api.sales.patch(
        f"/v1/users/{user.id}", json={"enabled": False}, headers=api.bearer(admin)
    )
    response = await api.sales.get(f"/v1/users/{user.id}", headers=token)
    assert response.status_code == 401
    assert response.json()["message"] == "user unknown or disabled"


async def test_admin_replaces_roles(api: Services, admin: User, user: User) -> None:
    response = await api.sales.put(
        f"/v1/users/{user.id}/roles", json={"roles": ["ADMIN", "USER"]}, headers=api.bearer(admin)
    )
    assert response.status_code == 200
    assert sorted(response.json()["roles"]) == ["ADMIN", "USER"]
    bad = await api.sales.put(
        f"/v1/users/{user.id}/roles", json={"roles": ["ROOT"]}, headers=api.bearer(admin)
    )
    assert bad.status_code == 400
    assert bad.json()["fields"][0]["field"] == "roles"


async def test_a_user_deletes_themself(api: Services, admin: User, user: User) -> None:
    assert (
        await api.sales.delete(f"/v1/users/{user.id}", headers=api.bearer(user))
    ).status_code == 204
    gone = await api.sales.get(f"/v1/users/{user.id}", headers=api.bearer(admin))
    assert gone.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/v1/users/{id}/roles", {"roles": ["USER"]}),
        ("PATCH", "/v1/users/{id}", {"enabled": False}),
        ("DELETE", "/v1/users/{id}", None),
    ],
)
async def test_the_last_admin_cannot_demote_disable_or_delete_themself(
    api: Services, admin: User, method: str, path: str, body: dict[str, Any] | None
) -> None:
    alone = await api.sales.request(
        method, path.format(id=admin.id), json=body, headers=api.bearer(admin)
    )
    assert alone.status_code == 409
    assert alone.json() == {
        "code": "failed_precondition",
        "message": "the last enabled admin cannot be demoted, disabled or deleted",
    }
    assert (await api.sales.get("/v1/users", headers=api.bearer(admin))).status_code == 200

    await api.users.create(new_user(1, Role.ADMIN), actor_id=None)
    with_another = await api.sales.request(
        method, path.format(id=admin.id), json=body, headers=api.bearer(admin)
    )
    assert with_another.status_code in (200, 204)


async def test_query_pages_and_orders(api: Services, admin: User) -> None:
    for index in range(1, 6):
        await api.users.create(new_user(index, Role.USER), actor_id=None)
    response = await api.sales.get(
        "/v1/users",
        params={"page": "2", "rows": "2", "orderBy": "email,DESC"},
        headers=api.bearer(admin),
    )
    assert response.status_code == 200, response.text
    result = response.json()
    everyone = sorted([str(admin.email)] + [str(new_user(i).email) for i in range(1, 6)])
    assert result["total"] == 6
    assert (result["page"], result["rowsPerPage"]) == (2, 2)
    assert [item["email"] for item in result["items"]] == everyone[::-1][2:4]


async def test_query_filters(api: Services, admin: User, user: User) -> None:
    headers = api.bearer(admin)
    by_name = await api.sales.get("/v1/users", params={"name": "admin"}, headers=headers)
    assert [item["id"] for item in by_name.json()["items"]] == [str(admin.id)]
    by_email = await api.sales.get("/v1/users", params={"email": str(user.email)}, headers=headers)
    assert [item["id"] for item in by_email.json()["items"]] == [str(user.id)]
    by_id = await api.sales.get("/v1/users", params={"userId": str(user.id)}, headers=headers)
    assert by_id.json()["total"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "first"}, "page"),
        ({"rows": "101"}, "rows"),
        ({"rows": "0"}, "rows"),
        ({"orderBy": "password"}, "orderBy"),
        ({"orderBy": "name,SIDEWAYS"}, "orderBy"),
        ({"userId": "42"}, "userId"),
        ({"email": "nope"}, "email"),
        ({"startCreatedDate": "yesterday"}, "startCreatedDate"),
    ],
)
async def test_bad_query_parameters_are_400_naming_the_field(
    api: Services, admin: User, params: dict[str, str], field: str
) -> None:
    response = await api.sales.get("/v1/users", params=params, headers=api.bearer(admin))
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == [field]
