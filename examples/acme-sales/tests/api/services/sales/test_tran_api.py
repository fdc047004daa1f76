"""The transaction example: a user and a product commit together or not at all."""

import pytest

from acme_sales.business.domain.userbus import User, UserNotFoundError
from acme_sales.business.types import Email, Role
from tests.support.services import Services
from tests.support.users import new_user

EMAIL = "tran.user@example.com"
NEW_USER = {
    "name": "Tran User",
    "email": EMAIL,
    "roles": ["USER"],
    "password": "correct horse battery",
    "passwordConfirm": "correct horse battery",
}
VALID = {
    "name": "Anvil",
    "cost": "0.10",
    "quantity": 1,
}


@pytest.fixture
async def admin(api: Services) -> User:
    return await api.users.create(new_user(0, Role.ADMIN), actor_id=None)


async def test_both_are_created_together(api: Services, admin: User) -> None:
    response = await api.sales.post(
        "/v1/tranexample",
        json={"user": NEW_USER, "product": VALID},
        headers=api.bearer(admin),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["product"]["userId"] == body["user"]["id"]
    stored = await api.users.query_by_email(Email.parse(EMAIL))
    assert str(stored.id) == body["user"]["id"]


async def test_a_refused_user_field_is_named_under_user(api: Services, admin: User) -> None:
    user = {**NEW_USER, "password": "short", "passwordConfirm": "shorter"}
    response = await api.sales.post(
        "/v1/tranexample",
        json={"user": user, "product": VALID},
        headers=api.bearer(admin),
    )
    assert response.status_code == 400, response.text
    assert response.json()["fields"] == [
        {"field": "user.password", "error": "must be 8 to 72 characters long"},
        {"field": "user.passwordConfirm", "error": "must equal password"},
    ]
    with pytest.raises(UserNotFoundError):
        await api.users.query_by_email(Email.parse(EMAIL))


async def test_a_failing_second_step_leaves_no_user_behind(api: Services, admin: User) -> None:
    # Valid JSON whose name the business rules refuse: the user is stored
    # first, then converting the product fails, and the transaction rolls back.
    refused = {**VALID, "name": "x"}
    response = await api.sales.post(
        "/v1/tranexample",
        json={"user": NEW_USER, "product": refused},
        headers=api.bearer(admin),
    )
    assert response.status_code == 400, response.text
    assert [f["field"] for f in response.json()["fields"]] == ["product.name"]
    with pytest.raises(UserNotFoundError):
        await api.users.query_by_email(Email.parse(EMAIL))


async def test_only_admins_may_run_it(api: Services) -> None:
    user = await api.users.create(new_user(1, Role.USER), actor_id=None)
    response = await api.sales.post(
        "/v1/tranexample",
        json={"user": NEW_USER, "product": VALID},
        headers=api.bearer(user),
    )
    assert response.status_code == 403
