"""Forged and tampered tokens, for proving that every one of them is refused."""

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims(subject: str, issuer: str, **changes: Any) -> dict[str, Any]:
    """A USER's claims like the auth service's, valid for an hour from now, with `changes`
    applied (a change to None removes the claim)."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": subject,
        "iss": issuer,
        "iat": now,
        "exp": now + 3600,
        "roles": ["USER"],
    }
    for name, value in changes.items():
        if value is None:
            payload.pop(name, None)
        else:
            payload[name] = value
    return payload


def rs256(payload: dict[str, Any], key: rsa.RSAPrivateKey, kid: Any) -> str:
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


def unsigned(payload: dict[str, Any], kid: str) -> str:
    """`alg: none`: no signature at all."""
    header = {"alg": "none", "typ": "JWT", "kid": kid}
    return f"{_segment(header)}.{_segment(payload)}."


def hs256_with_public_key(payload: dict[str, Any], public_pem: bytes, kid: str) -> str:
    """The classic confusion attack: HMAC-signed with the RSA public key as the secret."""
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{_segment(payload)}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def with_payload(token: str, payload: dict[str, Any]) -> str:
    """`token` with its payload replaced after signing (the signature no longer matches)."""
    header, _, signature = token.split(".")
    return f"{header}.{_segment(payload)}.{signature}"


def _segment(part: dict[str, Any]) -> str:
    return b64url(json.dumps(part, separators=(",", ":")).encode())
