"""What schemathesis cannot learn from the OpenAPI document (loaded by the contract test and
`make fuzz` through SCHEMATHESIS_HOOKS).

A new password is 8 to 72 bytes of UTF-8 (bcrypt reads no further) and comes twice, the two
the same: JSON Schema counts characters, not bytes, and cannot relate two fields. Every case is
made to keep both rules (a case, not only a generated body: the coverage phase builds its own),
so that a refusal the fuzzer reports is a real bug.
"""

from typing import Any

import schemathesis

_MIN_BYTES, _MAX_BYTES = 8, 72
_FIELDS = ("password", "passwordConfirm")


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    body = case.body
    # Only a partial update may leave one out; elsewhere a missing one is the case's point.
    may_leave_out = case.method == "PATCH"
    for part in (body, *(body.values() if isinstance(body, dict) else ())):
        if isinstance(part, dict) and _text_or_absent(part, may_leave_out=may_leave_out):
            password = part.get("password", part.get("passwordConfirm"))
            if not _keeps_the_rule(password):
                password = "gopher-password"
            part["password"] = part["passwordConfirm"] = password
    return case


def _text_or_absent(part: dict[str, Any], *, may_leave_out: bool) -> bool:
    """The password fields are given (one may be left out when `may_leave_out`), as text: a
    case of another type keeps it, since that is what it tests."""
    given = [part[key] for key in _FIELDS if key in part]
    enough = len(given) == len(_FIELDS) or (given and may_leave_out)
    return bool(enough) and all(isinstance(value, str) for value in given)


def _keeps_the_rule(password: Any) -> bool:
    try:
        size = len(password.encode())
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return _MIN_BYTES <= size <= _MAX_BYTES and "\x00" not in password
