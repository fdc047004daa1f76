"""What makes a strong type's `parse` the only way to build one.

Each strong type is a frozen, slotted dataclass whose `__post_init__` calls `require_parsed`;
only its `parse` passes `PARSED`, so `Name("x")` and `dataclasses.replace(name, value="x")` fail
loudly instead of producing a value nobody checked.
"""

from typing import Final


class _ParsedToken:
    __slots__ = ()

    def __repr__(self) -> str:
        return "PARSED"


PARSED: Final = _ParsedToken()


def require_parsed(instance: object, token: object) -> None:
    """Refuse to finish building `instance` unless its type's `parse` passed `PARSED`."""
    if token is not PARSED:
        kind = type(instance).__name__
        raise TypeError(f"build a {kind} with {kind}.parse(...), which checks the value")
