"""`UNCHANGED`: the value of an update field the caller left out.

Every field of an update model (UpdateUser, ...) defaults to UNCHANGED, so "left out" never needs
None and None keeps its one meaning, NULL, on the fields that may be NULL:

    UpdateUser()                                  # change nothing (date_updated still moves)
    UpdateUser(department=None)                   # clear the department
    UpdateUser(department=Name.parse("Sales"))    # set it
    UpdateUser(enabled=False)                     # False is a value, not "left out"

Test a field with `is UNCHANGED` (mypy narrows the type after it), or take the new value or the
current one with `resolve(update.field, current.field)`.
"""

import enum
from typing import Final, NoReturn, TypeVar

T = TypeVar("T")


class Unchanged(enum.Enum):
    # A one-member enum rather than object(): mypy knows UNCHANGED is its only value, so
    # `x is UNCHANGED` narrows `Name | Unchanged` to `Name`.
    UNCHANGED = "UNCHANGED"

    def __repr__(self) -> str:
        return "UNCHANGED"

    def __bool__(self) -> NoReturn:
        # `if update.enabled:` would read UNCHANGED as True and enabled=False as "left out".
        raise TypeError("test an update field with `is UNCHANGED`, not its truth")


UNCHANGED: Final = Unchanged.UNCHANGED


def resolve(change: T | Unchanged, current: T) -> T:
    """The value after an update: `change`, or `current` when the field was left out."""
    return current if change is UNCHANGED else change
