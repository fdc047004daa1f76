"""Basic credentials (RFC 7617): the email and password a token request carries."""

import base64
import binascii


class CredentialsError(ValueError):
    """The authorization header holds no usable Basic credentials; the message says why."""


def parse_basic(header: str | None) -> tuple[str, str]:
    """The email and password of a `Basic base64(email:password)` header."""
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise CredentialsError("expected Basic credentials in the authorization header")
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as err:
        raise CredentialsError("malformed Basic credentials") from err
    email, separator, password = decoded.partition(":")
    if not separator:
        raise CredentialsError("malformed Basic credentials")
    return email, password


def basic_email(header: str | None) -> str | None:
    """The email a Basic header names, or None when it holds no usable credentials."""
    try:
        email, _ = parse_basic(header)
    except CredentialsError:
        return None
    return email or None
