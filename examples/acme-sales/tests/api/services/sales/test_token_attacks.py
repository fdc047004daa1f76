"""Forged, altered and malformed tokens: every one is answered 401 by the sales service."""

import time
from collections.abc import Callable
from typing import Any

import pytest

from acme_sales.business.domain.userbus import User
from acme_sales.business.types import Role
from tests.support import forge, keys
from tests.support.services import KID, Services
from tests.support.users import new_user


@pytest.fixture
async def user(api: Services) -> User:
    return await api.users.create(new_user(0, Role.USER), actor_id=None)


def good_claims(api: Services, user: User, **changes: Any) -> dict[str, Any]:
    return forge.claims(str(user.id), api.issuer, cv=user.credentials_version, **changes)


ATTACKS: dict[str, Callable[[Services, User], str]] = {
    "alg none": lambda api, user: forge.unsigned(good_claims(api, user), KID),
    "hs256 with the public key as secret": lambda api, user: forge.hs256_with_public_key(
        good_claims(api, user), keys.public_pem(keys.rsa_key("api")), KID
    ),
    "expired": lambda api, user: forge.rs256(
        good_claims(api, user, exp=int(time.time()) - 60), keys.rsa_key("api"), KID
    ),
    "not yet valid": lambda api, user: forge.rs256(
        good_claims(api, user, nbf=int(time.time()) + 3600), keys.rsa_key("api"), KID
    ),
    "issued in the future": lambda api, user: forge.rs256(
        good_claims(api, user, iat=int(time.time()) + 3600), keys.rsa_key("api"), KID
    ),
    "wrong issuer": lambda api, user: forge.rs256(
        good_claims(api, user, iss="someone-else"), keys.rsa_key("api"), KID
    ),
    "unknown kid": lambda api, user: forge.rs256(
        good_claims(api, user), keys.rsa_key("api"), "no-such-key"
    ),
    "kid pointing outside the key folder": lambda api, user: forge.rs256(
        good_claims(api, user), keys.rsa_key("api"), f"../../../etc/passwd#{KID}"
    ),
    "payload altered after signing": lambda api, user: forge.with_payload(
        api.bearer(user)["Authorization"].removeprefix("Bearer "),
        good_claims(api, user, roles=["ADMIN"]),
    ),
    "signed by another key under a known kid": lambda api, user: forge.rs256(
        good_claims(api, user), keys.rsa_key("intruder"), KID
    ),
    "roles missing": lambda api, user: forge.rs256(
        good_claims(api, user, roles=None), keys.rsa_key("api"), KID
    ),
    "roles a string": lambda api, user: forge.rs256(
        good_claims(api, user, roles="ADMIN"), keys.rsa_key("api"), KID
    ),
    "roles not strings": lambda api, user: forge.rs256(
        good_claims(api, user, roles=[1, 2]), keys.rsa_key("api"), KID
    ),
    "subject not a uuid": lambda api, user: forge.rs256(
        good_claims(api, user, sub="admin"), keys.rsa_key("api"), KID
    ),
    "garbage": lambda api, user: "not-a-jwt",
}


@pytest.mark.parametrize("attack", ATTACKS)
async def test_forged_token_is_401(api: Services, user: User, attack: str) -> None:
    token = ATTACKS[attack](api, user)
    response = await api.sales.get(
        f"/v1/users/{user.id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "unauthenticated"
    assert token not in response.text


async def test_the_genuine_token_is_accepted(api: Services, user: User) -> None:
    """The control: the same route with an honest token works, so the refusals above mean it."""
    token = forge.rs256(good_claims(api, user), keys.rsa_key("api"), KID)
    response = await api.sales.get(
        f"/v1/users/{user.id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "token abc"])
async def test_header_without_a_bearer_token_is_401(api: Services, user: User, header: str) -> None:
    response = await api.sales.get(f"/v1/users/{user.id}", headers={"Authorization": header})
    assert response.status_code == 401
