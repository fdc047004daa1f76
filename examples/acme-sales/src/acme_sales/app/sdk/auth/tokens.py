"""Signed tokens: RS256 JWTs issued for a user, and their verification.

Verification trusts nothing in the token before its signature is checked, and only RS256 is
accepted: `alg: none`, HMAC algorithms (an HS256 token "signed" with the public key as the secret
is the classic attack) and any other algorithm are refused before a key is touched. The key comes
from the `kid` header, looked up in the key store, never from anything else the token names
(`jku`, `x5u`, embedded keys are ignored).

Every failure raises InvalidTokenError with a reason fit to show the client; no reason quotes
the token or any value taken from it.
"""

import base64
import binascii
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
import msgspec
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from acme_sales.app.sdk.auth.claims import Claims
from acme_sales.foundation.keystore import KeyNotFoundError, KeyStore

ALGORITHM = "RS256"
# A token this service signs is well under 1 KiB; refusing big ones early bounds the work an
# unauthenticated caller can ask for.
MAX_TOKEN_LENGTH = 8 * 1024
# Registered claims pyjwt must find (it then checks exp and iat against the clock, iss against
# the issuer); `roles` and the types of all of them are checked by decoding into Claims.
_REQUIRED_CLAIMS = ["exp", "iat", "iss", "sub"]

_header_decoder = msgspec.json.Decoder(dict[str, Any])


class InvalidTokenError(Exception):
    """The token cannot be trusted; `reason` says why, in words fit for the client."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class TokenService:
    """Signs tokens with the key store's keys, and verifies them."""

    def __init__(
        self,
        keys: KeyStore,
        issuer: str,
        ttl: timedelta,
        *,
        leeway: timedelta = timedelta(0),
    ) -> None:
        if ttl <= timedelta(0):
            raise ValueError("token ttl must be positive")
        self.keys = keys
        self.issuer = issuer
        self.ttl = ttl
        # Tokens are verified by the service that signed them, on the same clock: no leeway is
        # needed, and any leeway lengthens every token's life.
        self.leeway = leeway

    def generate(
        self,
        kid: str,
        subject: UUID,
        roles: Sequence[str],
        now: datetime | None = None,
        *,
        credentials: str | None = None,
    ) -> str:
        """A token for user `subject` with `roles`, signed with key `kid` (KeyNotFoundError).

        `credentials`: the user's credentials version (see Claims.cv), so that changing the
        password revokes the token."""
        key = self.keys.private_key(kid)
        issued = int((now or datetime.now(UTC)).timestamp())
        claims = Claims(
            sub=str(subject),
            iss=self.issuer,
            iat=issued,
            exp=issued + int(self.ttl.total_seconds()),
            roles=list(roles),
            cv=credentials,
        )
        return jwt.encode(
            msgspec.to_builtins(claims), key, algorithm=ALGORITHM, headers={"kid": kid}
        )

    def verify(self, token: str) -> Claims:
        """The claims of a token this service signed that is valid now; else InvalidTokenError."""
        try:
            public_key = self.keys.public_key(key_id(token))
        except KeyNotFoundError:
            raise InvalidTokenError("unknown key id") from None
        return decode(token, public_key, issuer=self.issuer, leeway=self.leeway)


def key_id(token: str) -> str:
    """The id of the key a token says it is signed with, once its header asks for nothing this
    service will not do (nothing in it is trusted yet); else InvalidTokenError."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidTokenError("token too large")
    return _trusted_kid(_unverified_header(token))


def decode(
    token: str, public_key: RSAPublicKey, *, issuer: str, leeway: timedelta = timedelta(0)
) -> Claims:
    """The claims of `token` if `public_key` verifies its signature and it is valid now (issued
    by `issuer`, not expired); else InvalidTokenError."""
    try:
        payload = jwt.decode(
            token,
            key=public_key,
            algorithms=[ALGORITHM],
            issuer=issuer,
            leeway=leeway,
            options={"require": _REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as err:
        raise InvalidTokenError(_reason(err)) from None
    try:
        claims = msgspec.convert(payload, Claims)
    except msgspec.ValidationError as err:
        # msgspec names the field and the expected type, never the value it found.
        raise InvalidTokenError(f"token claims invalid: {err}") from None
    if not _is_canonical_uuid(claims.sub):
        raise InvalidTokenError("token subject is not a user id")
    return claims


def _unverified_header(token: str) -> dict[str, Any]:
    segments = token.split(".")
    if len(segments) != 3:
        raise InvalidTokenError("token malformed")
    encoded = segments[0]
    try:
        return _header_decoder.decode(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise InvalidTokenError("token malformed") from None


def _trusted_kid(header: dict[str, Any]) -> str:
    """The header's kid, once the header asks for nothing this service will not do."""
    if header.get("alg") != ALGORITHM:
        raise InvalidTokenError(f"token algorithm not allowed: only {ALGORITHM} is accepted")
    if "crit" in header:  # RFC 7515: extensions marked critical must be understood, and none are
        raise InvalidTokenError("token has critical header extensions")
    kid = header.get("kid")
    if kid is None:
        raise InvalidTokenError("token has no key id")
    if not isinstance(kid, str):
        raise InvalidTokenError("token key id is not a string")
    return kid


def _reason(err: jwt.PyJWTError) -> str:  # noqa: PLR0911  (one answer per kind of failure)
    # Subclasses before their bases: InvalidSignatureError is a DecodeError.
    if isinstance(err, jwt.ExpiredSignatureError):
        return "token expired"
    if isinstance(err, jwt.ImmatureSignatureError):
        return "token not yet valid"
    if isinstance(err, jwt.InvalidSignatureError):
        return "signature invalid"
    if isinstance(err, jwt.InvalidIssuerError):
        return "token issuer not accepted"
    if isinstance(err, jwt.InvalidAudienceError):  # tokens here name no audience
        return "token audience not accepted"
    if isinstance(err, jwt.exceptions.InvalidSubjectError):
        return "token subject is not a user id"
    if isinstance(err, jwt.MissingRequiredClaimError):
        return f"token has no {err.claim} claim"  # a name from _REQUIRED_CLAIMS
    if isinstance(err, jwt.InvalidAlgorithmError):
        return f"token algorithm not allowed: only {ALGORITHM} is accepted"
    if isinstance(err, jwt.DecodeError | jwt.InvalidIssuedAtError):
        return "token malformed"
    return "token invalid"


def _is_canonical_uuid(text: str) -> bool:
    try:
        return str(UUID(text)) == text
    except ValueError:
        return False
