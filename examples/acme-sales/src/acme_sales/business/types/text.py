"""Free text, such as an address line or a description."""

from dataclasses import InitVar, dataclass
from typing import Final

from acme_sales.business.types.errors import ParseError
from acme_sales.business.types.parsed import PARSED, require_parsed

MAX_LENGTH: Final = 1000

_RULE: Final = f"must be 1 to {MAX_LENGTH} characters, not only spaces"


@dataclass(frozen=True, slots=True)
class Text:
    """1 to 1000 characters with at least one that is not whitespace; kept exactly as given.

    The value is not stripped: what was sent is what is stored. Blank text is refused because a
    required field of spaces is an empty field in disguise.
    """

    value: str
    _parsed: InitVar[object] = None

    def __post_init__(self, _parsed: object) -> None:
        require_parsed(self, _parsed)

    @classmethod
    def parse(cls, raw: str) -> "Text":
        if not raw.strip() or len(raw) > MAX_LENGTH:
            raise ParseError(_RULE)
        if "\0" in raw:  # Postgres text cannot hold a NUL: the insert would fail later
            raise ParseError("must not contain a NUL character")
        try:
            raw.encode()
        except UnicodeEncodeError:  # a lone surrogate, which JSON's \ud800 escapes can carry
            raise ParseError("must be valid Unicode text") from None
        return cls(raw, PARSED)

    def __str__(self) -> str:
        return self.value
