"""A password in the clear, on its way to being hashed."""

from dataclasses import InitVar, dataclass, field
from typing import Final

from acme_sales.business.types.errors import ParseError
from acme_sales.business.types.parsed import PARSED, require_parsed

# Counted in characters (Unicode code points), as a person counts them and as JSON Schema's
# minLength and maxLength do, so the OpenAPI document can state the rule exactly.
MIN_LENGTH: Final = 8
MAX_LENGTH: Final = 72
# bcrypt reads no further: a longer password would be silently cut. Only a password with
# characters beyond ASCII can reach it within MAX_LENGTH (é takes 2 bytes, € 3, most emoji 4).
MAX_BYTES: Final = 72

LENGTH_RULE: Final = f"must be {MIN_LENGTH} to {MAX_LENGTH} characters long"
BYTES_RULE: Final = f"must be at most {MAX_BYTES} bytes as UTF-8 (é takes 2, € 3, most emoji 4)"

_MASK: Final = "********"


@dataclass(frozen=True, slots=True)
class Password:
    """8 to 72 characters, and at most 72 bytes once encoded as UTF-8.

    Unlike the other strong types, `str()` and `repr()` hide the value, so a password that reaches
    a log line or a traceback shows as a mask; code that needs it reads `.value`.
    """

    value: str = field(repr=False)
    _parsed: InitVar[object] = None

    def __post_init__(self, _parsed: object) -> None:
        require_parsed(self, _parsed)

    @classmethod
    def parse(cls, raw: str) -> "Password":
        try:
            size = len(raw.encode())
        except UnicodeEncodeError:  # a lone surrogate, which JSON's \ud800 escapes can carry
            raise ParseError("must be valid Unicode text") from None
        if not MIN_LENGTH <= len(raw) <= MAX_LENGTH:
            raise ParseError(LENGTH_RULE)
        if size > MAX_BYTES:
            raise ParseError(BYTES_RULE)
        if "\0" in raw:  # bcrypt's C core stops at the first NUL: the rest would not count
            raise ParseError("must not contain a NUL character")
        return cls(raw, PARSED)

    @classmethod
    def parse_confirmed(cls, password: str, confirm: str) -> "Password":
        """`password` checked against the rule, then against its confirmation."""
        parsed = cls.parse(password)
        if password != confirm:
            raise ParseError("passwords do not match")
        return parsed

    def __str__(self) -> str:
        return _MASK
