"""What copier.yml loads (through ../load_domains.py): the Jinja extension, whose filters the
question's validator and the templates use, and the context hooks that add the normalised
domains and their migrations to every render's context."""

from __future__ import annotations

import json
from typing import Any

import yaml
from copier_template_extensions import ContextHook
from jinja2 import Environment
from jinja2.ext import Extension

from .evolution import ANSWERS_FILE, HISTORY_KEY, Evolution, evolve, first_record
from .model import normalise
from .pycode import (
    annotation,
    pyformat,
    to_app_expr,
    to_bus_expr,
    to_db_expr,
    to_json_expr,
    type_aliases,
)
from .validation import domain_problem


class DomainsExtension(Extension):
    """Filters: `domain_problem` for the validator; conversions and literals for the templates."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["domain_problem"] = domain_problem
        environment.filters["to_app_expr"] = to_app_expr
        environment.filters["to_db_expr"] = to_db_expr
        environment.filters["to_bus_expr"] = to_bus_expr
        environment.filters["to_json_expr"] = to_json_expr
        environment.filters["py"] = repr
        environment.filters["pyformat"] = pyformat
        environment.filters["expr"] = lambda template, value: template.replace("{v}", value)
        environment.filters["ann"] = annotation
        environment.filters["type_aliases"] = type_aliases


class DomainsContext(ContextHook):
    """Adds `domain_list` to the context of every file rendered."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        # Copier calls the hook once per file rendered (thousands with many domains): the answer
        # is normalised once per distinct answer. Templates only read the lists.
        self._normalised: dict[str, list[dict[str, Any]]] = {}

    def hook(self, context: dict[str, Any]) -> None:
        domains = context.get("domains")
        key = json.dumps(domains, sort_keys=True, default=str)
        if key not in self._normalised:
            self._normalised[key] = normalise(domains)
        context["domain_list"] = self._normalised[key]


class EvolutionContext(ContextHook):
    """Adds `domain_steps` (the migrations to add), `domain_history` (the record the answers file
    keeps) and `domain_evolution_problem` (for the validator) to every render's context.

    The record comes from the answers Copier passes on (`domain_migrations`, from the project's
    answers file or the data of an update's old and new renders). A project rendered before the
    record existed has none: its answers file, as it was before this run wrote anything, stands in
    for it (its migrations were written for its last `domains` answer).
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self._last_answers: dict[str, dict[str, Any]] = {}  # per destination, read once
        self._evolutions: dict[str, Evolution] = {}  # per distinct record and answer, as above

    def hook(self, context: dict[str, Any]) -> None:
        recorded = context.get(HISTORY_KEY)
        if not isinstance(recorded, dict):
            recorded = self._legacy_record(str(context["_copier_conf"]["dst_path"]))
        key = json.dumps([recorded, context.get("domains")], sort_keys=True, default=str)
        if key not in self._evolutions:
            self._evolutions[key] = evolve(recorded, context.get("domains"))
        evolution = self._evolutions[key]
        context["domain_steps"] = evolution.steps
        context["domain_history"] = evolution.history
        context["domain_evolution_problem"] = evolution.problem

    def _legacy_record(self, dst_path: str) -> dict[str, Any] | None:
        if dst_path not in self._last_answers:
            # The first context of a run is built while asking the questions, before anything
            # is written: the answers file read then is the project's last one.
            try:
                with open(f"{dst_path}/{ANSWERS_FILE}", encoding="utf-8") as answers:
                    last = yaml.safe_load(answers)
            except (OSError, yaml.YAMLError):
                last = None
            self._last_answers[dst_path] = last if isinstance(last, dict) else {}
        return first_record(self._last_answers[dst_path].get("domains"))
