"""Names: the rules a domain's and a field's names follow, the names the service already holds,
and the names derived from a snake_case one (class, JSON, SQL, enum member)."""

from __future__ import annotations

import builtins
import re
from typing import Any

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

# Domains every render has, with their tables and routes: a domain may not take their names (nor
# a name whose packages would be theirs: `us_er` -> userbus). Generated code reaches other modules'
# classes through their modules (`types.Money`, `page.Page`), so a domain called `page`, `event`
# or `order` shadows nothing.
BUILT_IN_DOMAINS = frozenset({"user", "audit"})
# Python's built-in names (`Exception`, `ValueError`): a domain's class may not be one, since the
# domain's modules raise and catch them by name. Those of every version rendered for, whatever
# Python runs Copier (3.13 added PythonFinalizationError).
BUILTIN_NAMES = frozenset(dir(builtins)) | {"PythonFinalizationError"}
# The app packages of the service's own routes, beside the domains' under app/domain/: a domain
# named so would render into them. (Moving them out of app/domain needs a Copier migration that
# carries a project's edits along; until then these three names are taken.)
BUILT_IN_APP_PACKAGES = {
    "check": "the liveness and readiness routes",
    "auth": "the auth service's routes",
    "tran": "the transaction example's route",
}

# Longest domain and field names: generated lines must fit ruff's 100 columns even with the
# longest package name (a store's import path holds the package once and the domain twice).
MAX_DOMAIN_NAME = 16
MAX_PLURAL = MAX_DOMAIN_NAME + 1  # the longest name's own plural: generated prose holds plurals
MAX_NAME = 20


# Tables and routes the service already has: a domain's plural must not take them.
TAKEN_PLURALS = frozenset(
    {"users", "audit", "audits", "schema_migrations", "auth", "tranexample"}
    | {"liveness", "readiness"}  # the checks' routes: a domain's would stop the app starting
    | {"delegate"}  # the sales service's Buses holds the domain buses by plural, and its delegate
)

# PostgreSQL's key words that cannot name a column unquoted (`SELECT word, catcode FROM
# pg_get_keywords()` on PostgreSQL 15, plus 16's `system_user`): reserved (R), and reserved but for
# function or type names (T). Generated SQL quotes a column or table so named and leaves every
# other name bare, so the migrations of names that always worked stay byte for byte what a project
# already applied.
_SQL_RESERVED_WORDS = """
all analyse analyze and any array as asc asymmetric both case cast check collate column constraint
create current_catalog current_date current_role current_time current_timestamp current_user
default deferrable desc distinct do else end except false fetch for foreign from grant group having
in initially intersect into lateral leading limit localtime localtimestamp not null offset on only
or order placing primary references returning select session_user some symmetric system_user table
then to trailing true union unique user using variadic when where window with
"""
_SQL_TYPE_OR_FUNCTION_WORDS = """
authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull
join left like natural notnull outer overlaps right similar tablesample verbose
"""
SQL_QUOTED = frozenset((_SQL_RESERVED_WORDS + _SQL_TYPE_OR_FUNCTION_WORDS).split())

# The query parameters every list route has besides the fields' filters (and `<domain>Id`): no
# field's filter may take their names.
ROUTE_PARAMETERS = frozenset(
    {"page", "rows", "orderBy", "userId", "startCreatedDate", "endCreatedDate"}
)

# Lowercase names the generated classes use in annotations: types (`date`) and the modules they
# reach classes through (`types.Money`, `uuid.UUID`). A field may be called so, and a class body
# that binds the field's name would then mean the field by it in every later line: such a domain's
# classes name the type or module through a module alias no field can take (`_date`, `_types`).
ANNOTATION_NAMES = frozenset(
    {"str", "int", "bool", "date", "datetime"}
    | {"types", "uuid", "decimal", "msgspec", "unchanged"}
)


def sql_name(name: str) -> str:
    """`name` as generated SQL writes it: double-quoted when a key word, else bare."""
    return f'"{name}"' if name in SQL_QUOTED else name


# Columns every domain row has anyway, and the one its view adds.
IMPLICIT_FIELDS = frozenset({"id", "user_id", "date_created", "date_updated", "user_name"})


def plural_of(name: str, spec: Any) -> str:
    """A domain's plural: its spec's `plural`, else its name and an s."""
    plural = spec.get("plural") if isinstance(spec, dict) else None
    return plural if isinstance(plural, str) and plural else f"{name}s"


def pascal_case(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def camel_case(snake: str) -> str:
    """The JSON name msgspec's `rename="camel"` gives the field: `str.title` on each later part
    (`non_2xx` -> `non2Xx`), so that the names the templates write agree with the wire."""
    first, *rest = snake.split("_")
    return first + "".join(part.title() for part in rest)


def member_name(value: str) -> str:
    """The enum member an enum value is: upper snake case, never starting with a digit."""
    member = re.sub(r"[^0-9A-Za-z]+", "_", value.strip()).strip("_").upper()
    return f"V_{member}" if not member or member[0].isdigit() else member
