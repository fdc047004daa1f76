"""An email address."""

import re
from dataclasses import InitVar, dataclass
from typing import Final

from acme_sales.business.types.errors import ParseError
from acme_sales.business.types.parsed import PARSED, require_parsed

MAX_LENGTH: Final = 254  # the longest address SMTP can carry (RFC 5321 path limit less <>)
_MAX_LOCAL_LENGTH: Final = 64

# A plain address: the dot-atom of RFC 5322 before the '@', a host name after it. Quoted local
# parts, comments, IP literals and display names ("Ann <ann@example.com>") are legal in mail
# headers but are typing mistakes in a sign-up form, so they are refused.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")

_NOT_AN_ADDRESS: Final = "must be an email address such as name@example.com"


@dataclass(frozen=True, slots=True)
class Email:
    """An address such as ann@example.com, its domain lowercased.

    Only the domain is case-insensitive (RFC 5321); the part before the '@' is kept as given,
    though users' emails are unique, and found, whatever the case of their letters (userdb).
    """

    value: str
    _parsed: InitVar[object] = None

    def __post_init__(self, _parsed: object) -> None:
        require_parsed(self, _parsed)

    @classmethod
    def parse(cls, raw: str) -> "Email":
        if len(raw) > MAX_LENGTH:
            raise ParseError(f"must be at most {MAX_LENGTH} characters")
        local, at, domain = raw.rpartition("@")
        if not at or not _is_local_part(local) or not _is_domain(domain):
            raise ParseError(_NOT_AN_ADDRESS)
        return cls(f"{local}@{domain.lower()}", PARSED)

    def __str__(self) -> str:
        return self.value


def _is_local_part(local: str) -> bool:
    return len(local) <= _MAX_LOCAL_LENGTH and _LOCAL.fullmatch(local) is not None


def _is_domain(domain: str) -> bool:
    labels = domain.split(".")
    # At least a name and a top-level domain; an all-digit last label would be an IP address.
    return (
        len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )
