"""Questions in copier.yml: validators refuse bad answers before anything is written, the
computed name lists stay in step with Python, and good non-default answers render."""

from __future__ import annotations

import json
import keyword
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_copier.plugin import CopierFixture
from rendering import ANSWERS_FILE, diff_trees

REPO_ROOT = Path(__file__).resolve().parent.parent
COPIER_YML = yaml.safe_load((REPO_ROOT / "copier.yml").read_text(encoding="utf-8"))
PYTHON_VERSIONS: list[str] = COPIER_YML["python_version"]["choices"]

# The rule package_name enforces first: what a name must look like to be checked against lists.
PACKAGE_NAME_SHAPE = re.compile(r"^[a-z][a-z0-9_]*$")

KEBAB = "project_slug must be kebab-case"
KEYWORD = "package_name must not be a Python keyword"
SHADOWS = "package_name must not shadow a standard-library or dependency module"
IDENTIFIER = "package_name must be a valid lowercase Python identifier"

# (test id, answers, text the refusal must contain)
BAD_ANSWERS: list[tuple[str, dict[str, Any], str]] = [
    ("name-empty", {"project_name": ""}, "project_name must not be empty"),
    ("name-blank", {"project_name": "   "}, "project_name must not be empty"),
    ("name-leading-space", {"project_name": " Acme"}, "project_name must not start or end"),
    ("name-trailing-space", {"project_name": "Acme "}, "project_name must not start or end"),
    ("name-too-long", {"project_name": "A" * 61}, "project_name must be at most 60 characters"),
    ("name-starts-with-digit", {"project_name": "1Acme"}, "project_name must start with a letter"),
    ("name-bad-char", {"project_name": "Acme/Sales"}, "project_name must start with a letter"),
    ("slug-spaces", {"project_slug": "acme sales"}, KEBAB),
    ("slug-uppercase", {"project_slug": "Acme-sales"}, KEBAB),
    ("slug-double-dash", {"project_slug": "acme--sales"}, KEBAB),
    ("slug-trailing-dash", {"project_slug": "acme-"}, KEBAB),
    ("slug-leading-digit", {"project_slug": "1acme"}, KEBAB),
    ("slug-underscore", {"project_slug": "acme_sales"}, KEBAB),
    ("slug-too-long", {"project_slug": "a" * 41}, "project_slug must be at most 40 characters"),
    ("package-keyword-class", {"package_name": "class"}, KEYWORD),
    ("package-soft-keyword-match", {"package_name": "match"}, KEYWORD),
    ("package-soft-keyword-type", {"package_name": "type"}, KEYWORD),
    ("package-stdlib-json", {"package_name": "json"}, SHADOWS),
    ("package-stdlib-asyncio", {"package_name": "asyncio"}, SHADOWS),
    ("package-dependency-litestar", {"package_name": "litestar"}, SHADOWS),
    ("package-layer-app", {"package_name": "app"}, SHADOWS),
    ("package-layer-business", {"package_name": "business"}, SHADOWS),
    ("package-dash", {"package_name": "acme-sales"}, IDENTIFIER),
    ("package-uppercase", {"package_name": "Acme"}, IDENTIFIER),
    ("package-leading-digit", {"package_name": "1acme"}, IDENTIFIER),
    ("package-leading-underscore", {"package_name": "_acme"}, IDENTIFIER),
    ("package-too-long", {"package_name": "a" * 25}, "package_name must be at most 24 characters"),
    ("description-empty", {"description": ""}, "description must not be empty"),
    ("description-blank", {"description": "  "}, "description must not be empty"),
    ("description-multiline", {"description": "One\nTwo"}, "description must be a single line"),
    ("description-too-long", {"description": "x" * 201}, "description must be at most 200"),
    ("author-empty", {"author_name": ""}, "author_name must not be empty"),
    ("author-quote", {"author_name": 'The "A" Team'}, "author_name must be a single line"),
    ("author-multiline", {"author_name": "A\nB"}, "author_name must be a single line"),
    ("email-no-at", {"author_email": "platform.example.com"}, "author_email must be an email"),
    ("email-no-domain-dot", {"author_email": "platform@example"}, "author_email must be an email"),
    ("email-space", {"author_email": "plat form@example.com"}, "author_email must be an email"),
    ("email-two-ats", {"author_email": "a@b@example.com"}, "author_email must be an email"),
    ("python-3.10", {"python_version": "3.10"}, "Invalid choice for 'python_version'"),
    ("python-3.14", {"python_version": "3.14"}, "Invalid choice for 'python_version'"),
    # domains: YAML text as `--data domains=...` gives it, or a mapping as the API takes it. Every
    # rule has a unit test in tests/test_domains_extension.py; these prove Copier applies them.
    (
        "domains-not-a-mapping",
        {"domains": "[product, home]"},
        "domains must be a mapping of domain name to its spec",
    ),
    (
        "domains-name-camel-case",
        {"domains": "WorkOrder:\n  fields:\n    title: text\n"},
        "domains: 'WorkOrder' must be a singular snake_case name such as work_order",
    ),
    (
        "domains-name-keyword",
        {"domains": {"class": {"fields": {"title": "text"}}}},
        "domains: 'class' is a Python keyword",
    ),
    (
        "domains-name-built-in",
        {"domains": "user: {fields: {nickname: text}}"},
        "domains: 'user' would be the built-in user domain's packages",
    ),
    (
        "domains-missing-fields",
        {"domains": "widget: {plural: widgets}"},
        "domains: 'widget' needs `fields`, a mapping of field name to type",
    ),
    (
        "domains-unknown-field-type",
        {"domains": "widget: {fields: {label: string}}"},
        "domains: widget.label: unknown field type 'string'",
    ),
    (
        "domains-implicit-column",
        {"domains": {"work_order": {"fields": {"work_order_id": "text"}}}},
        "domains: work_order.work_order_id: 'work_order_id' is an implicit column",
    ),
    (
        "domains-empty-enum",
        {"domains": "home: {fields: {type: {enum: []}}}"},
        "domains: home.type: an enum needs at least one value",
    ),
    (
        "domains-same-plural",
        {
            "domains": "person: {plural: people, fields: {name: name}}\n"
            "human: {plural: people, fields: {name: name}}\n"
        },
        "domains: 'human' and 'person' have the same plural 'people'",
    ),
]


@pytest.mark.parametrize(
    ("answers", "message"),
    [pytest.param(answers, message, id=case) for case, answers, message in BAD_ANSWERS],
)
def test_bad_answer_is_refused_and_nothing_is_written(
    copier: CopierFixture, tmp_path: Path, answers: dict[str, Any], message: str
) -> None:
    dst = tmp_path / "out"
    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        copier.copy(dst, **answers)
    question = next(iter(answers))
    assert f"'{question}'" in str(refused.value), "the refusal must name the question"
    assert not dst.exists() or not any(dst.iterdir()), f"files written: {list(dst.rglob('*'))}"


def test_good_non_default_answers_render(copier: CopierFixture, tmp_path: Path) -> None:
    project = copier.copy(tmp_path / "out", project_name="Billing API", python_version="3.13")
    assert project.answers["project_slug"] == "billing-api"
    assert project.answers["package_name"] == "billing_api"
    assert project.answers["python_version"] == "3.13"
    assert (project / "src" / "billing_api" / "__init__.py").is_file()
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "billing-api"' in pyproject
    assert 'requires-python = ">=3.11"' in pyproject  # the floor, whatever python_version
    assert "acme" not in pyproject.lower()


@pytest.mark.parametrize(
    ("name", "slug", "package"),
    [
        ("Acme Sales", "acme-sales", "acme_sales"),
        ("Billing API", "billing-api", "billing_api"),
        ("Orders v2.1", "orders-v2-1", "orders_v2_1"),
        ("Foo_Bar Service", "foo-bar-service", "foo_bar_service"),
        # A package name is at most 24 characters: the slug's words that fit.
        ("Northwind Billing Platform", "northwind-billing-platform", "northwind_billing"),
        ("Abcdefghijklmnopqrstuvwx Y", "abcdefghijklmnopqrstuvwx-y", "abcdefghijklmnopqrstuvwx"),
    ],
)
def test_slug_and_package_derive_from_name(
    copier: CopierFixture, name: str, slug: str, package: str
) -> None:
    context = copier.context(project_name=name)
    assert (context["project_slug"], context["package_name"]) == (slug, package)


# --- domains: the default, exactly as the README documents it ------------------------------------

DEFAULT_DOMAINS = """\
product:
  fields:
    name: name
    cost: money
    quantity: quantity
home:
  fields:
    type: {enum: [SINGLE FAMILY, CONDO]}
    address1: text
    address2: text?
    zip_code: text
    city: text
    state: text
    country: text
"""


def test_default_domains_are_the_documented_form() -> None:
    assert COPIER_YML["domains"]["default"] == DEFAULT_DOMAINS
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```yaml\n{DEFAULT_DOMAINS}```" in readme, "README.md: document the default domains"


def test_default_domains_render(default_render: Path) -> None:
    answers = yaml.safe_load((default_render / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["domains"] == yaml.safe_load(DEFAULT_DOMAINS)
    src = default_render / "src" / "acme_sales"
    routes = (src / "api" / "services" / "sales" / "routes.py").read_text(encoding="utf-8")
    for pkg in ("product", "home"):
        assert (src / "business" / "domain" / f"{pkg}bus" / "stores" / f"{pkg}db.py").is_file()
        assert (src / "app" / "domain" / f"{pkg}app" / "routes.py").is_file()
        assert (src / "business" / "sdk" / "migrate" / "sql" / "domains" / f"{pkg}.sql").is_file()
        assert f"{pkg}app" in routes, f"{pkg}app is not wired into the sales routes"
    home_sql = (src / "business/sdk/migrate/sql/domains/home.sql").read_text(encoding="utf-8")
    assert "address2 TEXT NULL," in home_sql
    assert "address1 TEXT NOT NULL," in home_sql


def test_default_domains_given_as_text_render_the_defaults(
    copier: CopierFixture, tmp_path: Path, default_render: Path
) -> None:
    """`--data domains=<the default text>` is the default answer: the same project."""
    project = copier.copy(tmp_path / "out", domains=DEFAULT_DOMAINS)
    differences = [
        (path, why)
        for path, why in diff_trees(default_render, project.path)
        if path.as_posix() != ANSWERS_FILE
    ]
    assert differences == []
    assert project.answers["domains"] == yaml.safe_load(DEFAULT_DOMAINS)


def test_computed_lists_are_not_stored_in_answers(default_render: Path) -> None:
    answers = yaml.safe_load((default_render / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert "python_keywords" not in answers
    assert "reserved_module_names" not in answers


# --- the computed lists must not rot --------------------------------------------------------


def _reserved() -> set[str]:
    return set(COPIER_YML["reserved_module_names"]["default"])


def _python_keywords() -> list[str]:
    return list(COPIER_YML["python_keywords"]["default"])


def _lowercase_keywords(names: list[str]) -> set[str]:
    return {name for name in names if PACKAGE_NAME_SHAPE.match(name)}


def _public(names: list[str]) -> set[str]:
    return {name for name in names if not name.startswith("_")}


_PROBE = (
    "import json, keyword, sys; print(json.dumps({'stdlib': sorted(sys.stdlib_module_names),"
    " 'keywords': keyword.kwlist + keyword.softkwlist}))"
)


def _probe(version: str) -> dict[str, list[str]] | None:
    """What a given Python knows, or None when that interpreter is not installed."""
    exe = shutil.which(f"python{version}")
    if exe is None:
        return None
    result = subprocess.run([exe, "-c", _PROBE], capture_output=True, text=True, check=False)
    if result.returncode != 0:  # e.g. a pyenv shim for a version not in PYENV_VERSION
        return None
    facts: dict[str, list[str]] = json.loads(result.stdout)
    return facts


def test_reserved_names_cover_running_stdlib() -> None:
    missing = _public(sorted(sys.stdlib_module_names)) - _reserved()
    assert not missing, f"add to reserved_module_names in copier.yml: {sorted(missing)}"


@pytest.mark.parametrize("version", PYTHON_VERSIONS)
def test_reserved_names_cover_stdlib_of_each_supported_python(version: str) -> None:
    facts = _probe(version)
    if facts is None:
        pytest.skip(f"python{version} is not installed (export PYENV_VERSION, see .ci/run)")
    missing = _public(facts["stdlib"]) - _reserved()
    assert not missing, f"add to reserved_module_names in copier.yml: {sorted(missing)}"


def test_python_keywords_cover_running_python() -> None:
    missing = _lowercase_keywords(keyword.kwlist + keyword.softkwlist) - set(_python_keywords())
    assert not missing, f"add to python_keywords in copier.yml: {sorted(missing)}"


def test_python_keywords_equal_keywords_of_supported_pythons() -> None:
    """python_keywords is exactly the lowercase keywords and soft keywords of 3.11-3.13."""
    expected: set[str] = set()
    for version in PYTHON_VERSIONS:
        facts = _probe(version)
        if facts is None:
            pytest.skip(f"python{version} is not installed (export PYENV_VERSION, see .ci/run)")
        expected |= _lowercase_keywords(facts["keywords"])
    listed = _python_keywords()
    assert len(listed) == len(set(listed)), "python_keywords has duplicates"
    assert set(listed) == expected


def test_reserved_names_have_no_duplicates() -> None:
    listed = COPIER_YML["reserved_module_names"]["default"]
    duplicates = sorted({name for name in listed if listed.count(name) > 1})
    assert not duplicates, f"duplicates in reserved_module_names: {duplicates}"
