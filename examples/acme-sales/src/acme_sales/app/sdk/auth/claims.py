"""What a token says about its holder, and the names of the authorization rules."""

from enum import StrEnum

import msgspec


class Claims(msgspec.Struct, frozen=True, omit_defaults=True):
    """The claims of a token this service signs: whom it is for, who issued it, and when."""

    sub: str  # the user's id, a UUID in its canonical text form
    iss: str
    iat: int  # seconds since the epoch, as JWT's NumericDate
    exp: int
    roles: list[str]  # when it was issued: decisions use the user's current roles
    nbf: int | None = None
    # The user's credentials version when the token was issued (a digest of the password hash:
    # see userbus.User.credentials_version): a token older than a password change is refused.
    cv: str | None = None


class Rule(StrEnum):
    """An authorization rule; each value is the name of a rule in the `authz` Rego package."""

    ANY = "rule_any"
    ADMIN_ONLY = "rule_admin_only"
    USER_ONLY = "rule_user_only"
    ADMIN_OR_SUBJECT = "rule_admin_or_subject"
