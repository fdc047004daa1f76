"""What a user may do."""

from collections.abc import Iterable
from enum import StrEnum

from acme_sales.business.types.errors import ParseError


class Role(StrEnum):
    ADMIN = "ADMIN"
    USER = "USER"

    @classmethod
    def parse(cls, raw: str) -> "Role":
        """The role spelled exactly `raw` (roles are upper case)."""
        try:
            return cls(raw)
        except ValueError:
            raise ParseError(f"unknown role {raw!r}; use one of: {', '.join(cls)}") from None

    @classmethod
    def parse_many(cls, raws: Iterable[str]) -> tuple["Role", ...]:
        """Each role of `raws`, in the order given; an empty list is allowed."""
        if isinstance(raws, str):  # a str is an Iterable[str] of its letters: surely a slip
            raise TypeError("parse_many takes a collection of roles, not one string")
        roles: list[Role] = []
        for raw in raws:
            role = cls.parse(raw)
            if role in roles:
                raise ParseError(f"role {raw!r} is listed more than once")
            roles.append(role)
        return tuple(roles)
