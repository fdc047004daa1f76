"""The `domains` answer, understood once: validated, then normalised for the templates.

Copier loads this package through ../load_domains.py (copier.yml names that file). It gives
templates:

- the filter `domain_problem`: the first thing wrong with a `domains` answer ("" when none), used by
  the question's validator, so a bad answer is refused before anything is written;
- `domain_list` in every render's context: one dict per domain with every name a template needs
  (class, package, table, route, ...) and, per field, its type's facts (see FIELD_TYPES). The
  templates only substitute these; no naming or typing rule lives in Jinja;
- `domain_steps` and `domain_history`: the migrations a changed domain needs, and their record.

One module per concern, each importing only those above it (references names model's Domain in
annotations alone):

    names        naming rules, the names the service holds, derived names (class, JSON, SQL)
    fieldtypes   what each field type means in every layer; reading a field's spec
    references   the graph of references between domains: checks, order, what tests seed
    validation   domain_problem: the first rule an answer breaks
    model        normalise: the answer as the templates read it
    changes      one domain's change of fields: its migration's SQL, or why it is refused
    evolution    the record of a domain's migrations, and the ones an answer adds
    pycode       the Python the templates write: conversions, annotations, ruff formatting
    hooks        the Jinja extension and context hooks copier.yml loads

This module only gathers what the hooks and this repository's tests use.
"""

from .evolution import Evolution, evolve
from .fieldtypes import AUDIT_JSON, ENUM, FIELD_TYPES, ON_DELETE, REF, REF_TYPE, FieldType
from .hooks import DomainsContext, DomainsExtension, EvolutionContext
from .model import normalise
from .names import (
    ANNOTATION_NAMES,
    BUILT_IN_APP_PACKAGES,
    BUILT_IN_DOMAINS,
    IMPLICIT_FIELDS,
    MAX_DOMAIN_NAME,
    MAX_NAME,
    MAX_PLURAL,
    ROUTE_PARAMETERS,
    SNAKE,
    SQL_QUOTED,
    TAKEN_PLURALS,
    pascal_case,
    sql_name,
)
from .pycode import annotation, pyformat, to_app_expr, to_bus_expr, to_db_expr, type_aliases
from .references import constraint_name
from .validation import EVOLUTION_KEYS, domain_problem

__all__ = [
    "ANNOTATION_NAMES",
    "AUDIT_JSON",
    "BUILT_IN_APP_PACKAGES",
    "BUILT_IN_DOMAINS",
    "ENUM",
    "EVOLUTION_KEYS",
    "FIELD_TYPES",
    "IMPLICIT_FIELDS",
    "MAX_DOMAIN_NAME",
    "MAX_NAME",
    "MAX_PLURAL",
    "ON_DELETE",
    "REF",
    "REF_TYPE",
    "ROUTE_PARAMETERS",
    "SNAKE",
    "SQL_QUOTED",
    "TAKEN_PLURALS",
    "DomainsContext",
    "DomainsExtension",
    "Evolution",
    "EvolutionContext",
    "FieldType",
    "annotation",
    "constraint_name",
    "domain_problem",
    "evolve",
    "normalise",
    "pascal_case",
    "pyformat",
    "sql_name",
    "to_app_expr",
    "to_bus_expr",
    "to_db_expr",
    "type_aliases",
]
