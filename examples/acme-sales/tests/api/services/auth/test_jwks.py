"""The auth service publishes its public keys as a JWKS, which verifiers elsewhere check with."""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import jwt
import msgspec
import pytest
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from acme_sales.api.services.auth import app as auth_app
from acme_sales.api.services.auth.config import (
    DEFAULT_ISSUER,
    AuthConfig,
    TokenConfig,
)
from acme_sales.app.domain.authapp.routes import JWKS_MAX_AGE, JWKS_PATH, jwks
from acme_sales.business.domain.userbus import User
from acme_sales.business.types import Role
from acme_sales.foundation import keystore, logger, sqldb
from acme_sales.foundation.keystore import KeyStore
from tests.support import keys
from tests.support.services import KID, Services
from tests.support.users import PASSWORD, new_user, user_bus

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


@pytest.fixture
async def user(api: Services) -> User:
    return await api.users.create(new_user(0, Role.USER), actor_id=None)


def no_private_part(document: dict[str, Any]) -> bool:
    return all(not PRIVATE_MEMBERS & set(key) for key in document["keys"])


async def test_the_jwks_lists_the_public_keys(api: Services) -> None:
    response = await api.auth.get(JWKS_PATH)

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == f"max-age={JWKS_MAX_AGE}"
    document = response.json()
    assert document["keys"] == [
        {
            "kty": "RSA",
            "kid": KID,
            "use": "sig",
            "alg": "RS256",
            "n": document["keys"][0]["n"],
            "e": "AQAB",
        }
    ]
    assert no_private_part(document)
    key_set = jwt.PyJWKSet.from_dict(document)
    assert [key.key_id for key in key_set.keys] == [KID]
    assert key_set[KID].key.public_numbers() == keys.rsa_key("api").public_key().public_numbers()


async def test_a_token_of_the_auth_service_verifies_with_the_key_of_its_kid(
    api: Services, user: User
) -> None:
    token = (await api.auth.get(f"/v1/auth/token/{KID}", auth=(str(user.email), PASSWORD))).json()
    key_set = jwt.PyJWKSet.from_dict((await api.auth.get(JWKS_PATH)).json())

    kid = jwt.get_unverified_header(token["token"])["kid"]
    claims = jwt.decode(token["token"], key=key_set[kid], algorithms=["RS256"], issuer=api.issuer)
    assert claims["sub"] == str(user.id)


async def test_the_jwks_needs_no_credentials_and_ignores_them(api: Services) -> None:
    response = await api.auth.get(JWKS_PATH, headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 200


def test_keys_are_listed_by_kid_with_no_private_part() -> None:
    store = KeyStore({name: keys.rsa_key(name) for name in ["zulu", "alpha", "mike"]})
    document = jwks(store)
    assert [key.kid for key in document.keys] == ["alpha", "mike", "zulu"]
    as_dict = msgspec.to_builtins(document)
    assert no_private_part(as_dict)
    assert [key.key_id for key in jwt.PyJWKSet.from_dict(as_dict).keys] == ["alpha", "mike", "zulu"]


@pytest.fixture
async def own_folder_app(
    db_config: sqldb.DBConfig, tmp_path: Path
) -> AsyncIterator[tuple[AsyncTestClient[ASGIApp], Path]]:
    """An auth app of this test's own, on a key folder of its own, rescanning without delay."""
    keys.write_key(tmp_path, "first", keys.rsa_key())
    cfg = AuthConfig(
        db=db_config,
        auth=TokenConfig(keys_folder=str(tmp_path), keys_rescan_interval=timedelta(0)),
    )
    async with AsyncTestClient(app=auth_app.build_app(cfg, log=logger.get_logger())) as client:
        yield client, tmp_path


async def test_a_key_added_to_the_folder_is_listed_without_a_restart(
    own_folder_app: tuple[AsyncTestClient[ASGIApp], Path],
) -> None:
    client, folder = own_folder_app
    assert [key["kid"] for key in (await client.get(JWKS_PATH)).json()["keys"]] == ["first"]

    kid = keystore.generate_key(folder)
    listed = (await client.get(JWKS_PATH)).json()

    assert [key["kid"] for key in listed["keys"]] == sorted(["first", kid])
    assert no_private_part(listed)


async def test_a_token_request_for_a_new_kid_finds_its_key(
    own_folder_app: tuple[AsyncTestClient[ASGIApp], Path], db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    client, folder = own_folder_app
    user = await user_bus(db_pool).create(new_user(1, Role.USER), actor_id=None)
    kid = keystore.generate_key(folder)  # after the start, before any listing

    response = await client.get(f"/v1/auth/token/{kid}", auth=(str(user.email), PASSWORD))

    assert response.status_code == 200, response.text
    token = response.json()["token"]
    assert jwt.get_unverified_header(token)["kid"] == kid
    key_set = jwt.PyJWKSet.from_dict((await client.get(JWKS_PATH)).json())
    claims = jwt.decode(token, key=key_set[kid], algorithms=["RS256"], issuer=DEFAULT_ISSUER)
    assert claims["sub"] == str(user.id)
