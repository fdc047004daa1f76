"""Real RSA keys for tests, and PEM files of them.

A 2048-bit key takes tens of milliseconds to generate: each kind is made once per session.
"""

import base64
import functools
import json
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

PemFormat = Literal["pkcs1", "pkcs8"]

_FORMATS = {
    "pkcs1": serialization.PrivateFormat.TraditionalOpenSSL,
    "pkcs8": serialization.PrivateFormat.PKCS8,
}


@functools.cache
def rsa_key(name: str = "default", bits: int = 2048) -> rsa.RSAPrivateKey:
    """A key generated once per session for each (name, bits): different names, different keys."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@functools.cache
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def private_pem(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, fmt: PemFormat = "pkcs8"
) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, _FORMATS[fmt], serialization.NoEncryption()
    )


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def write_key(
    folder: Path,
    kid: str,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    fmt: PemFormat = "pkcs8",
) -> Path:
    """Write `key` as `<folder>/<kid>.pem`; return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kid}.pem"
    path.write_bytes(private_pem(key, fmt))
    return path


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(value: Any) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def signed_rs256(header: dict[str, Any], payload: Any, key: rsa.RSAPrivateKey) -> str:
    """A JWT with exactly this header and JSON payload, signed RS256 by hand (nothing checked)."""
    return signed_rs256_raw(header, json.dumps(payload).encode(), key)


def signed_rs256_raw(header: dict[str, Any], payload: bytes, key: rsa.RSAPrivateKey) -> str:
    """A JWT whose payload is exactly these bytes, whatever they are, signed RS256."""
    signing_input = f"{b64url_json(header)}.{b64url(payload)}"
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"
