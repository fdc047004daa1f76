"""A token is verified once per process, until it expires; the cache is bounded."""

import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from acme_sales.app.sdk.auth.tokens import InvalidTokenError, TokenService
from acme_sales.app.sdk.auth.verifier import KeyStoreKeys, TokenVerifier
from acme_sales.foundation.keystore import KeyStore
from tests.app.sdk.auth.conftest import ISSUER, KID

USER = uuid.UUID("11111111-1111-4111-8111-111111111111")


class CountingKeys:
    """A key store's keys, counting how often a key was asked for (once per verification)."""

    def __init__(self, key_store: KeyStore) -> None:
        self.keys = KeyStoreKeys(key_store)
        self.asked = 0

    async def key(self, kid: str) -> RSAPublicKey | None:
        self.asked += 1
        return await self.keys.key(kid)


@pytest.fixture
def keys(key_store: KeyStore) -> CountingKeys:
    return CountingKeys(key_store)


async def test_a_token_is_verified_once(tokens: TokenService, keys: CountingKeys) -> None:
    verifier = TokenVerifier(keys, issuer=ISSUER)
    token = tokens.generate(KID, USER, ["USER"])

    first = await verifier.verify(token)
    again = await verifier.verify(token)

    assert first == again == tokens.verify(token)
    assert keys.asked == 1


async def test_a_token_changed_by_one_character_is_verified_afresh_and_refused(
    tokens: TokenService, keys: CountingKeys
) -> None:
    verifier = TokenVerifier(keys, issuer=ISSUER)
    token = tokens.generate(KID, USER, ["USER"])
    await verifier.verify(token)
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]

    with pytest.raises(InvalidTokenError, match="signature invalid"):
        await verifier.verify(tampered)
    assert keys.asked == 2


async def test_a_remembered_token_past_its_expiry_is_verified_again(
    tokens: TokenService, keys: CountingKeys
) -> None:
    now = [0.0]
    verifier = TokenVerifier(keys, issuer=ISSUER, clock=lambda: now[0])
    token = tokens.generate(KID, USER, ["USER"])
    claims = await verifier.verify(token)

    now[0] = float(claims.exp)  # the cache's clock says it expired (pyjwt's does not, yet)
    await verifier.verify(token)

    assert keys.asked == 2


async def test_the_cache_is_bounded_oldest_first(tokens: TokenService, keys: CountingKeys) -> None:
    verifier = TokenVerifier(keys, issuer=ISSUER, max_entries=2)
    first, second, third = (tokens.generate(KID, uuid.uuid4(), ["USER"]) for _ in range(3))
    for token in (first, second, third, third, second):
        await verifier.verify(token)
    assert keys.asked == 3
    await verifier.verify(first)  # gone: verified again
    assert keys.asked == 4


async def test_an_unknown_key_id_is_refused(tokens: TokenService) -> None:
    verifier = TokenVerifier(KeyStoreKeys(KeyStore({})), issuer=ISSUER)
    with pytest.raises(InvalidTokenError, match="unknown key id"):
        await verifier.verify(tokens.generate(KID, USER, ["USER"]))
