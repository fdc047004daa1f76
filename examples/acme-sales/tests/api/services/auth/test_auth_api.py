"""The auth service's own API: tokens for credentials, identity for tokens, rule decisions."""

import uuid

import pytest

from acme_sales.business.domain.userbus import UpdateUser, User
from acme_sales.business.types import Role
from tests.support.services import KID, Services
from tests.support.users import PASSWORD, new_user


@pytest.fixture
async def user(api: Services) -> User:
    return await api.users.create(new_user(0, Role.USER), actor_id=None)


async def test_basic_credentials_get_a_token_carrying_the_roles(api: Services, user: User) -> None:
    response = await api.auth.get(f"/v1/auth/token/{KID}", auth=(str(user.email), PASSWORD))
    assert response.status_code == 200, response.text
    claims = api.tokens.verify(response.json()["token"])
    assert claims.sub == str(user.id)
    assert claims.roles == ["USER"]
    assert claims.iss == api.issuer


@pytest.mark.parametrize(
    "credentials",
    [("user.aa@example.com", "wrong password"), ("nobody@example.com", PASSWORD), ("", "")],
)
async def test_bad_credentials_are_401_without_saying_which_part(
    api: Services, user: User, credentials: tuple[str, str]
) -> None:
    response = await api.auth.get(f"/v1/auth/token/{KID}", auth=credentials)
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "invalid email or password"}


async def test_a_disabled_user_gets_no_token(api: Services, user: User) -> None:
    await api.users.update(user, UpdateUser(enabled=False), actor_id=None)
    response = await api.auth.get(f"/v1/auth/token/{KID}", auth=(str(user.email), PASSWORD))
    assert response.status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer abc", "Basic !!!", "Basic " + "dXNlcg=="])
async def test_malformed_basic_credentials_are_401(api: Services, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = await api.auth.get(f"/v1/auth/token/{KID}", headers=headers)
    assert response.status_code == 401


async def test_an_unknown_key_id_is_404_naming_the_kid(api: Services, user: User) -> None:
    response = await api.auth.get("/v1/auth/token/nope", auth=(str(user.email), PASSWORD))
    assert response.status_code == 404
    assert response.json()["fields"][0]["field"] == "kid"


async def test_authenticate_returns_the_user_and_claims(api: Services, user: User) -> None:
    response = await api.auth.get("/v1/auth/authenticate", headers=api.bearer(user))
    assert response.status_code == 200
    body = response.json()
    assert body["userId"] == str(user.id)
    assert body["claims"]["roles"] == ["USER"]


async def test_authorize_answers_204_or_403(api: Services, user: User) -> None:
    claims = api.tokens.verify(api.bearer(user)["Authorization"].removeprefix("Bearer "))
    request = {
        "userId": str(user.id),
        "claims": {
            "sub": claims.sub, "iss": claims.iss, "iat": claims.iat, "exp": claims.exp,
            "roles": claims.roles,
        },
    }  # fmt: skip
    allowed = await api.auth.post(
        "/v1/auth/authorize", json={**request, "rule": "rule_admin_or_subject"}
    )
    assert allowed.status_code == 204
    refused = await api.auth.post("/v1/auth/authorize", json={**request, "rule": "rule_admin_only"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    other = {**request, "userId": str(uuid.uuid4()), "rule": "rule_admin_or_subject"}
    assert (await api.auth.post("/v1/auth/authorize", json=other)).status_code == 403


async def test_authorize_refuses_an_unknown_rule(api: Services) -> None:
    response = await api.auth.post(
        "/v1/auth/authorize",
        json={"userId": str(uuid.uuid4()), "claims": {}, "rule": "rule_everyone"},
    )
    assert response.status_code == 400
