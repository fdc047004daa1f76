"""What schemathesis cannot learn from the OpenAPI document, and what it must not do to the
caller (loaded by the contract test and `make fuzz` through SCHEMATHESIS_HOOKS).

The document states every rule of a new password, two of them only in words, which JSON Schema
cannot check: at most 72 bytes as UTF-8 (it counts characters, as the rule's 8 to 72 do), and
`passwordConfirm` equal to `password` (it relates no two fields). A case whose password keeps
what the schema does state is made to keep those two as well, so that a refusal schemathesis
reports is a real bug; a password the schema refuses is left for the API to refuse. Cases, not
only generated bodies: the coverage phase builds its own.
"""

import os
from typing import Any

import schemathesis

from acme_sales.business.types import password as rule

# The caller's user id (the contract test sets it). schemathesis reads it from the token's `sub`
# and tries it wherever a user id goes.
CALLER = os.environ.get("FUZZ_CALLER_ID")


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    body = case.body
    for part in (body, *(body.values() if isinstance(body, dict) else ())):
        if isinstance(part, dict):
            _keep_the_rules_in_words(part)
    return case


def _keep_the_rules_in_words(part: dict[str, Any]) -> None:
    password, confirm = part.get("password"), part.get("passwordConfirm")
    if isinstance(password, str) and isinstance(confirm, str) and _schema_allows(password):
        part["password"] = part["passwordConfirm"] = _within_max_bytes(password)


def _schema_allows(password: str) -> bool:
    return rule.MIN_LENGTH <= len(password) <= rule.MAX_LENGTH and "\x00" not in password


def _within_max_bytes(password: str) -> str:
    """The characters of `password` that fit in MAX_BYTES: at least 18 (4 bytes at most each),
    so still MIN_LENGTH. A lone surrogate, which is no character, becomes "?"."""
    encoded = password.encode(errors="replace")[: rule.MAX_BYTES]
    return encoded.decode(errors="ignore")  # drops a character the cut split


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    """Not a case that would end the caller's session, leaving the rest of the run to 401s and
    403s that test nothing: deleting themself, disabling themself or changing their password
    (each revokes their token at once: app/sdk/auth/auth.py), or dropping their own ADMIN role.
    tests/api/services/sales/test_user_api.py tests each of those."""
    if CALLER is None or str(case.path_parameters.get("user_id")) != CALLER:
        return True
    body = case.body if isinstance(case.body, dict) else {}
    match case.method.upper(), case.operation.path:
        case "DELETE", "/v1/users/{user_id}":
            return False
        case "PATCH", "/v1/users/{user_id}":
            return body.get("enabled") is not False and "password" not in body
        case "PUT", "/v1/users/{user_id}/roles":
            roles = body.get("roles")
            return not isinstance(roles, list) or "ADMIN" in roles
    return True
