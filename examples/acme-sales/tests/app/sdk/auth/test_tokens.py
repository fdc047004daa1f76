"""Tokens round-trip, and every known way of forging or stretching one is refused with a reason."""

import contextlib
import hashlib
import hmac
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from acme_sales.app.sdk.auth.claims import Claims
from acme_sales.app.sdk.auth.tokens import (
    MAX_TOKEN_LENGTH,
    InvalidTokenError,
    TokenService,
)
from acme_sales.foundation.keystore import KeyNotFoundError, KeyStore
from tests.app.sdk.auth.conftest import ISSUER, KID, OTHER_KID, TTL
from tests.support import keys

USER = uuid.UUID("5cf37266-3473-4006-984f-9325122678b7")


def claims_now(**changes: Any) -> dict[str, Any]:
    """Valid claims for USER, issued now, with `changes` applied (None removes a claim)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": str(USER),
        "iss": ISSUER,
        "iat": now,
        "exp": now + 600,
        "roles": ["USER"],
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def header(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"alg": "RS256", "typ": "JWT", "kid": KID}
    fields.update(changes)
    return {name: value for name, value in fields.items() if value is not None}


def signed(payload: Any, head: dict[str, Any] | None = None) -> str:
    """A token with a valid signature by the key KID names, whatever it says."""
    return keys.signed_rs256(head or header(), payload, keys.rsa_key())


def refused(tokens: TokenService, token: str) -> str:
    """The reason `token` is refused; checks the reason gives none of the token away."""
    with pytest.raises(InvalidTokenError) as caught:
        tokens.verify(token)
    reason = caught.value.reason
    assert str(caught.value) == reason
    for segment in token.split("."):
        if len(segment) > 8:
            assert segment not in reason
    return reason


def test_a_generated_token_verifies_to_its_claims(tokens: TokenService) -> None:
    now = datetime.now(UTC)
    token = tokens.generate(KID, USER, ["ADMIN", "USER"], now=now)

    claims = tokens.verify(token)

    assert claims == Claims(
        sub=str(USER),
        iss=ISSUER,
        iat=int(now.timestamp()),
        exp=int(now.timestamp()) + int(TTL.total_seconds()),
        roles=["ADMIN", "USER"],
    )
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "typ": "JWT", "kid": KID}
    assert "nbf" not in jwt.decode(token, options={"verify_signature": False})


def test_each_key_verifies_its_own_tokens(tokens: TokenService) -> None:
    assert tokens.verify(tokens.generate(OTHER_KID, USER, [])).roles == []


def test_a_token_with_a_past_nbf_verifies(tokens: TokenService) -> None:
    now = int(time.time())
    assert tokens.verify(signed(claims_now(nbf=now - 10))).nbf == now - 10


def test_generating_with_an_unknown_kid_is_key_not_found(tokens: TokenService) -> None:
    with pytest.raises(KeyNotFoundError):
        tokens.generate("no-such-key", USER, ["USER"])


def test_ttl_must_be_positive(key_store: KeyStore) -> None:
    with pytest.raises(ValueError, match="ttl must be positive"):
        TokenService(key_store, issuer=ISSUER, ttl=timedelta(0))


def test_leeway_accepts_a_token_just_expired(key_store: KeyStore) -> None:
    lenient = TokenService(key_store, issuer=ISSUER, ttl=TTL, leeway=timedelta(seconds=30))
    strict = TokenService(key_store, issuer=ISSUER, ttl=TTL)
    just_expired = signed(claims_now(exp=int(time.time()) - 5))
    assert lenient.verify(just_expired).sub == str(USER)
    assert refused(strict, just_expired) == "token expired"


# The attack suite: each forged, stretched or malformed token, and the reason it is refused.

ALG_NOT_ALLOWED = "token algorithm not allowed: only RS256 is accepted"


def test_alg_none_is_refused(tokens: TokenService) -> None:
    for alg in ("none", "None", "NONE"):
        token = f"{keys.b64url_json(header(alg=alg))}.{keys.b64url_json(claims_now())}."
        assert refused(tokens, token) == ALG_NOT_ALLOWED


def test_hs256_signed_with_the_public_key_as_secret_is_refused(tokens: TokenService) -> None:
    # The classic key-confusion attack: a verifier that lets the token pick its algorithm checks
    # this HMAC with the public key (which anyone may have) as the secret, and accepts it.
    secret = keys.public_pem(keys.rsa_key())
    signing_input = f"{keys.b64url_json(header(alg='HS256'))}.{keys.b64url_json(claims_now())}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{keys.b64url(mac)}"
    assert refused(tokens, token) == ALG_NOT_ALLOWED


@pytest.mark.parametrize("alg", ["RS512", "PS256", "ES256", "HS256", "rs256", ""])
def test_every_algorithm_but_rs256_is_refused(tokens: TokenService, alg: str) -> None:
    assert refused(tokens, signed(claims_now(), header(alg=alg))) == ALG_NOT_ALLOWED


def test_a_token_without_alg_is_refused(tokens: TokenService) -> None:
    assert refused(tokens, signed(claims_now(), header(alg=None))) == ALG_NOT_ALLOWED


def test_an_expired_token_is_refused(tokens: TokenService) -> None:
    issued_long_ago = datetime.now(UTC) - TTL - timedelta(minutes=1)
    assert refused(tokens, tokens.generate(KID, USER, ["USER"], now=issued_long_ago)) == (
        "token expired"
    )


def test_a_token_with_nbf_in_the_future_is_refused(tokens: TokenService) -> None:
    token = signed(claims_now(nbf=int(time.time()) + 300))
    assert refused(tokens, token) == "token not yet valid"


def test_a_token_issued_in_the_future_is_refused(tokens: TokenService) -> None:
    token = tokens.generate(KID, USER, ["USER"], now=datetime.now(UTC) + timedelta(minutes=5))
    assert refused(tokens, token) == "token not yet valid"


def test_a_token_from_another_issuer_is_refused(key_store: KeyStore) -> None:
    theirs = TokenService(key_store, issuer="someone-else", ttl=TTL)
    ours = TokenService(key_store, issuer=ISSUER, ttl=TTL)
    assert refused(ours, theirs.generate(KID, USER, ["USER"])) == "token issuer not accepted"


def test_an_unknown_kid_is_refused(tokens: TokenService) -> None:
    token = signed(claims_now(), header(kid="no-such-key"))
    assert refused(tokens, token) == "unknown key id"


@pytest.mark.parametrize("kid", ["../../etc/passwd", "/etc/passwd", f"../{KID}", f"./{KID}", ""])
def test_a_kid_pointing_outside_the_key_folder_is_refused(tokens: TokenService, kid: str) -> None:
    assert refused(tokens, signed(claims_now(), header(kid=kid))) == "unknown key id"


def test_a_payload_altered_after_signing_is_refused(tokens: TokenService) -> None:
    head, _, signature = tokens.generate(KID, USER, ["USER"]).split(".")
    promoted = keys.b64url_json(claims_now(roles=["ADMIN"]))
    assert refused(tokens, f"{head}.{promoted}.{signature}") == "signature invalid"


def test_a_header_altered_after_signing_is_refused(tokens: TokenService) -> None:
    _, payload, signature = tokens.generate(KID, USER, ["USER"]).split(".")
    other_header = keys.b64url_json(header(kid=OTHER_KID))
    assert refused(tokens, f"{other_header}.{payload}.{signature}") == "signature invalid"


def test_a_token_signed_by_another_key_under_a_known_kid_is_refused(tokens: TokenService) -> None:
    intruder: rsa.RSAPrivateKey = keys.rsa_key("intruder")
    token = keys.signed_rs256(header(), claims_now(roles=["ADMIN"]), intruder)
    assert refused(tokens, token) == "signature invalid"


def test_a_truncated_signature_is_refused(tokens: TokenService) -> None:
    token = tokens.generate(KID, USER, ["USER"])
    assert refused(tokens, token[:-10]) == "signature invalid"


def test_a_token_without_roles_is_refused(tokens: TokenService) -> None:
    token = signed(claims_now(roles=None))
    assert refused(tokens, token) == "token claims invalid: Object missing required field `roles`"


@pytest.mark.parametrize(
    ("roles", "reason"),
    [
        ("ADMIN", "token claims invalid: Expected `array`, got `str` - at `$.roles`"),
        ([1, 2], "token claims invalid: Expected `str`, got `int` - at `$.roles[0]`"),
        (["USER", None], "token claims invalid: Expected `str`, got `null` - at `$.roles[1]`"),
        ({"ADMIN": True}, "token claims invalid: Expected `array`, got `object` - at `$.roles`"),
    ],
    ids=["string", "ints", "null-inside", "object"],
)
def test_roles_of_the_wrong_type_are_refused(
    tokens: TokenService, roles: object, reason: str
) -> None:
    assert refused(tokens, signed(claims_now(roles=roles))) == reason


@pytest.mark.parametrize(
    "sub",
    [
        "admin",
        "",
        str(USER).upper(),
        str(USER).replace("-", ""),
        f"urn:uuid:{USER}",
        "{" + str(USER) + "}",
    ],
    ids=["word", "empty", "upper-case", "no-hyphens", "urn", "braces"],
)
def test_a_subject_that_is_not_a_canonical_uuid_is_refused(tokens: TokenService, sub: str) -> None:
    assert refused(tokens, signed(claims_now(sub=sub))) == "token subject is not a user id"


def test_a_subject_that_is_not_a_string_is_refused(tokens: TokenService) -> None:
    assert refused(tokens, signed(claims_now(sub=42))) == "token subject is not a user id"


def test_a_token_meant_for_an_audience_is_refused(tokens: TokenService) -> None:
    token = signed(claims_now(aud="another-service"))
    assert refused(tokens, token) == "token audience not accepted"


def test_other_claims_pyjwt_checks_are_refused(tokens: TokenService) -> None:
    assert refused(tokens, signed(claims_now(jti=12))) == "token invalid"


@pytest.mark.parametrize("claim", ["sub", "iss", "iat", "exp"])
def test_a_token_missing_a_registered_claim_is_refused(tokens: TokenService, claim: str) -> None:
    assert refused(tokens, signed(claims_now(**{claim: None}))) == f"token has no {claim} claim"


def test_a_numeric_string_expiry_is_refused(tokens: TokenService) -> None:
    token = signed(claims_now(exp=str(int(time.time()) + 600)))
    assert refused(tokens, token) == "token claims invalid: Expected `int`, got `str` - at `$.exp`"


def test_a_token_without_kid_is_refused(tokens: TokenService) -> None:
    assert refused(tokens, signed(claims_now(), header(kid=None))) == "token has no key id"


@pytest.mark.parametrize("kid", [7, ["test-key"], {"kid": "test-key"}, True])
def test_a_kid_that_is_not_a_string_is_refused(tokens: TokenService, kid: object) -> None:
    token = signed(claims_now(), header(kid=kid))
    assert refused(tokens, token) == "token key id is not a string"


def test_critical_header_extensions_are_refused(tokens: TokenService) -> None:
    token = signed(claims_now(), header(crit=["exp"], exp=1))
    assert refused(tokens, token) == "token has critical header extensions"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "!!!.e30.sig",
        f"{keys.b64url(b'not json')}.e30.sig",
        f"{keys.b64url_json(['RS256'])}.e30.sig",
    ],
    ids=[
        "empty",
        "one-part",
        "two-parts",
        "four-parts",
        "bad-base64",
        "header-not-json",
        "header-not-object",
    ],
)
def test_malformed_tokens_are_refused(tokens: TokenService, token: str) -> None:
    assert refused(tokens, token) == "token malformed"


def test_a_token_too_large_is_refused_before_parsing(tokens: TokenService) -> None:
    token = signed(claims_now(padding="x" * MAX_TOKEN_LENGTH))
    assert refused(tokens, token) == "token too large"


def test_a_signed_payload_that_is_not_json_is_refused(tokens: TokenService) -> None:
    token = keys.signed_rs256_raw(header(), b"{not json", keys.rsa_key())
    assert refused(tokens, token) == "token malformed"


@pytest.mark.parametrize("payload", [[claims_now()], "claims", 1, None])
def test_a_signed_payload_that_is_not_an_object_is_refused(
    tokens: TokenService, payload: object
) -> None:
    assert refused(tokens, signed(payload)) == "token malformed"


def test_no_single_character_change_gets_past_verification(tokens: TokenService) -> None:
    # Changing any character anywhere must be refused with InvalidTokenError (never another
    # exception), or, where only base64 padding bits change, verify to the very same claims.
    token = tokens.generate(KID, USER, ["USER"])
    claims = tokens.verify(token)
    for position in range(len(token)):
        for replacement in "A_.é":
            if token[position] == replacement:
                continue
            mutated = token[:position] + replacement + token[position + 1 :]
            with contextlib.suppress(InvalidTokenError):
                assert tokens.verify(mutated) == claims
