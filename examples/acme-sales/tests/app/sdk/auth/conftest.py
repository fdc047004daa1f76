"""Keys, a token service and the policy engine, shared by the auth tests."""

from datetime import timedelta

import pytest

from acme_sales.app.sdk.auth.policy import PolicyEngine
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.foundation.keystore import KeyStore
from tests.support import keys

KID = "test-key"
OTHER_KID = "other-key"
ISSUER = "test-issuer"
TTL = timedelta(hours=1)


@pytest.fixture(scope="session")
def key_store() -> KeyStore:
    return KeyStore({KID: keys.rsa_key(), OTHER_KID: keys.rsa_key("other")})


@pytest.fixture(scope="session")
def tokens(key_store: KeyStore) -> TokenService:
    return TokenService(key_store, issuer=ISSUER, ttl=TTL)


@pytest.fixture(scope="session")
def policy() -> PolicyEngine:
    return PolicyEngine.load()
