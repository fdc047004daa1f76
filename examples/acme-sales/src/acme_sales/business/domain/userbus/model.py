"""The user as the business sees it, and the requests to create and change one."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from acme_sales.business.sdk.unchanged import UNCHANGED, Unchanged
from acme_sales.business.types import Email, Name, Password, Role


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    id: UUID
    name: Name
    email: Email
    roles: tuple[Role, ...]
    password_hash: bytes = field(repr=False)  # bcrypt's output; kept out of logs all the same
    department: Name | None
    enabled: bool
    date_created: datetime  # UTC
    date_updated: datetime  # UTC

    @property
    def credentials_version(self) -> str:
        """Changes with every password change: a digest of the password hash (which tells
        nothing of the password: the hash is salted and slow to test guesses against). Tokens
        carry it, so that a password change revokes the tokens issued before it."""
        return hashlib.sha256(self.password_hash).hexdigest()[:16]


@dataclass(frozen=True, slots=True, kw_only=True)
class NewUser:
    name: Name
    email: Email
    roles: tuple[Role, ...]
    department: Name | None = None
    password: Password


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateUser:
    """The changes to make; a field left out (UNCHANGED) keeps its value.

    `department=None` clears the department. `password` has already been checked against its
    confirmation by whoever built this.
    """

    name: Name | Unchanged = UNCHANGED
    email: Email | Unchanged = UNCHANGED
    roles: tuple[Role, ...] | Unchanged = UNCHANGED
    department: Name | Unchanged | None = UNCHANGED
    password: Password | Unchanged = UNCHANGED
    enabled: bool | Unchanged = UNCHANGED
