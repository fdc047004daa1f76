"""`copier update` on a rendered project: a no-op update is clean, a newer template version
arrives and merges with the user's edits, and the project's own uv.lock is never overwritten.

Slow (marked): a domain added to, then removed from, a project whose database `admin migrate`
has migrated, proving what the README says about both.
"""

from __future__ import annotations

import dataclasses
import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from extension import generated_test_files
from postgres import Database
from pytest_copier.plugin import CopierFixture, CopierProject
from readme_commands import UVX_COPIER, blocks_after, run_as_written
from rendering import REPO_ROOT
from template_versions import (
    append_line,
    assert_clean_merge,
    clone_template,
    commit_all,
    dirty_paths,
    init_project_repo,
    release_template_version,
)

if TYPE_CHECKING:
    from conftest import Run, Runner

ANSWERS_FILE = ".copier-answers.yml"
TEMPLATE_LINE = "Added by template version 100.0.0."
USER_LINE = "Added by the service's own team."


def _answers(project: Path) -> dict[str, object]:
    answers = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert isinstance(answers, dict)
    return answers


@pytest.fixture
def template_repo(copier_template: Path, tmp_path: Path) -> Path:
    """A clone of pytest-copier's template repository (tag 99.99.99) that a test may release
    newer versions of."""
    return clone_template(copier_template, tmp_path / "template")


@pytest.fixture
def versioned(copier: CopierFixture, template_repo: Path) -> CopierFixture:
    """pytest-copier's fixture, rendering from and updating to ``template_repo``."""
    return dataclasses.replace(copier, template=template_repo)


@pytest.fixture
def project(versioned: CopierFixture, tmp_path: Path) -> CopierProject:
    """The defaults rendered from template 99.99.99, committed to a fresh git repository."""
    rendered = versioned.copy(tmp_path / "project")
    init_project_repo(rendered.path)
    return rendered


def test_update_without_template_changes_is_a_no_op(project: CopierProject) -> None:
    project.update()
    assert dirty_paths(project.path) == [], "an update to the same version changed the project"
    assert _answers(project.path)["_commit"] == "99.99.99"


def test_update_to_a_newer_version_merges_with_user_edits(
    project: CopierProject, template_repo: Path
) -> None:
    readme = project.path / "README.md"
    title, rest = readme.read_text(encoding="utf-8").split("\n", 1)
    # Under the title, away from the template's change at the end: no conflict to resolve.
    readme.write_text(f"{title}\n\n{USER_LINE}\n{rest}", encoding="utf-8")
    commit_all(project.path, "Our own README line")
    release_template_version(
        template_repo,
        "100.0.0",
        lambda root: append_line(root / "template" / "README.md.jinja", TEMPLATE_LINE),
    )

    project.update()

    text = readme.read_text(encoding="utf-8")
    assert TEMPLATE_LINE in text, "the template change did not arrive"
    assert USER_LINE in text, "the update dropped the user's line"
    assert "<<<<<<<" not in text, f"conflict markers in README.md:\n{text}"
    changed = sorted(line[3:] for line in dirty_paths(project.path))
    assert changed == [ANSWERS_FILE, "README.md"], f"unexpected changes: {changed}"
    answers = _answers(project.path)
    assert answers["_commit"] == "100.0.0"
    src_path = Path(str(answers["_src_path"]))
    assert src_path.is_absolute(), f"_src_path is not absolute: {src_path}"
    assert src_path == template_repo


def test_update_keeps_the_projects_own_lock(project: CopierProject, template_repo: Path) -> None:
    """_skip_if_exists: [uv.lock]: once rendered, the lock belongs to the project (it re-locks
    and upgrades on its own schedule); a newer template lock must not overwrite or merge in."""
    lock = project.path / "uv.lock"
    append_line(lock, "# the project's own lock")
    ours = lock.read_text(encoding="utf-8")
    commit_all(project.path, "Our own lock")
    release_template_version(
        template_repo,
        "100.0.0",
        lambda root: append_line(root / "template" / "uv.lock.jinja", "# template 100.0.0"),
    )

    project.update()

    assert lock.read_text(encoding="utf-8") == ours
    assert dirty_paths(project.path) == [f" M {ANSWERS_FILE}"]


# --- the READMEs' update recipes, run as written (slow: uvx fetches Copier and its extensions) ----

UPDATE = f"{UVX_COPIER} copier update --trust --defaults"
ADD_A_DOMAIN = f"{UPDATE} --data-file ../domains.yml"


def _assert_work_order_added(project: Path, fields: dict[str, str]) -> None:
    __tracebackhide__ = True
    assert_clean_merge(project)
    added = [path for status, path in _changes(project) if status == "??"]
    src = "src/acme_sales"
    for path in (
        f"{src}/business/domain/workorderbus/stores/workorderdb.py",
        f"{src}/app/domain/workorderapp/routes.py",
        f"{src}/business/sdk/migrate/sql/domains/work_order.sql",
    ):
        assert path in added, f"{path} did not arrive: {added}"
    domains = _answers(project)["domains"]
    assert isinstance(domains, dict)
    assert domains["work_order"] == {"fields": fields}
    assert {"product", "home"} <= set(domains), "the update dropped a domain"


@pytest.mark.slow
def test_rendered_readme_update_recipes_as_written(
    project: CopierProject, template_repo: Path, run_in_project: Runner
) -> None:
    """The rendered README's update command, then its add-a-domain recipe, as written there."""
    release_template_version(
        template_repo,
        "100.0.0",
        lambda root: append_line(root / "template" / "README.md.jinja", TEMPLATE_LINE),
    )
    readme = (project.path / "README.md").read_text(encoding="utf-8")
    (update,) = blocks_after(readme, "## Updating from the template", "bash")
    assert update.strip() == UPDATE

    run_as_written(project.path, update.strip(), run_in_project)

    assert TEMPLATE_LINE in (project.path / "README.md").read_text(encoding="utf-8")
    assert _answers(project.path)["_commit"] == "100.0.0"
    commit_all(project.path, "Template 100.0.0")

    # Adding a domain: the `domains:` entry of the answers, then the README's new domain at the
    # same indentation, into ../domains.yml; then the README's command.
    (new_domain,) = blocks_after(readme, "**Adding a domain later**", "yaml")
    (command,) = blocks_after(readme, "**Adding a domain later**", "bash")
    assert command.strip() == ADD_A_DOMAIN
    answers = (project.path / ANSWERS_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    start = answers.index("domains:\n")
    entry = [answers[start]]
    for line in answers[start + 1 :]:
        if not line.startswith(" "):
            break
        entry.append(line)
    (project.path.parent / "domains.yml").write_text("".join(entry) + new_domain, "utf-8")

    run_as_written(project.path, command.strip(), run_in_project)

    _assert_work_order_added(project.path, yaml.safe_load(new_domain)["work_order"]["fields"])


@pytest.mark.slow
def test_template_readme_add_a_domain_recipe_as_written(
    project: CopierProject, run_in_project: Runner
) -> None:
    """This repository's README: the default domains under `domains:` with the new one, in
    ../domains.yml, and its update command; Copier must not find the project dirty."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    (default,) = blocks_after(readme, "The default is exactly:", "yaml")
    assert yaml.safe_load(default) == DEFAULT_DOMAINS
    recipe = "to add `work_order` to the defaults"
    (new_domain,) = blocks_after(readme, recipe, "yaml")
    (command,) = blocks_after(readme, recipe, "bash")
    assert command.strip() == ADD_A_DOMAIN
    indented = "".join(f"  {line}" for line in default.splitlines(keepends=True))
    (project.path.parent / "domains.yml").write_text(f"domains:\n{indented}{new_domain}", "utf-8")

    run_as_written(project.path, command.strip(), run_in_project)

    fields = yaml.safe_load(f"domains:\n{new_domain}")["domains"]["work_order"]["fields"]
    _assert_work_order_added(project.path, fields)


# --- domains added and removed on a project whose database is migrated (slow) ------------------

SYNC_TIMEOUT = 900.0  # as tests/test_render.py: a cold uv cache downloads every dependency
UV_SYNC = ["uv", "sync", "--locked"]
DEFAULT_DOMAINS: dict[str, Any] = yaml.safe_load(
    yaml.safe_load((REPO_ROOT / "copier.yml").read_text(encoding="utf-8"))["domains"]["default"]
)
WORK_ORDER = {"fields": {"title": "text", "due": "date?", "priority": "int"}}


@pytest.fixture
def migrated(project: CopierProject, run_in_project: Runner) -> Iterator[Database]:
    """The default render (committed), synced, with a database of its own migrated by
    `admin migrate`; the database is dropped afterwards."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip("needs TEST_DATABASE_URL, a Postgres server where it may create a database")
    run_in_project(project.path, UV_SYNC, timeout=SYNC_TIMEOUT, label="uv sync --locked [update]")
    db = Database(project.path, server, f"update_{uuid.uuid4().hex[:16]}", run_in_project)
    db.sql("create")
    try:
        first = db.migrate()
        assert "domains/product.sql" in first["applied"] and "domains/home.sql" in first["applied"]
        assert dirty_paths(project.path) == [], "sync or migrate changed the committed project"
        yield db
    finally:
        db.sql("drop")


def _changes(project: Path) -> list[tuple[str, str]]:
    """(status, path) of every change `git status` sees, new files listed one by one."""
    return [(line[:2], line[3:]) for line in dirty_paths(project)]


def _rendered_pytest(project: Path, paths: list[str], run_in_project: Runner) -> Run:
    missing = [path for path in paths if not (project / path).exists()]
    assert not missing, f"not rendered: {missing}"
    command = ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", *paths]
    return run_in_project(project, command, label="pytest [domain added]")


@pytest.mark.slow
def test_update_adds_a_domain_to_a_migrated_project(
    project: CopierProject,
    migrated: Database,
    run_in_project: Runner,
    report: Callable[[str], None],
) -> None:
    before = migrated.migrations()
    assert {"domain:product", "domain:home"} <= set(before)

    project.update(domains={**DEFAULT_DOMAINS, "work_order": WORK_ORDER})

    # A clean merge: the new slice arrives, the old domains' files and migrations are untouched.
    assert_clean_merge(project.path)
    changes = _changes(project.path)
    added = [path for status, path in changes if status == "??"]
    modified = [path for status, path in changes if status == " M"]
    assert sorted(added + modified) == sorted(path for _, path in changes), changes
    assert all("workorder" in path or "work_order" in path for path in added), added
    slices = ("productbus", "productapp", "homebus", "homeapp", "/migrate/sql/")
    assert not [path for path in modified if any(part in path for part in slices)], modified
    src = "src/acme_sales"
    for path in (
        f"{src}/business/domain/workorderbus/stores/workorderdb.py",
        f"{src}/app/domain/workorderapp/routes.py",
        f"{src}/business/sdk/migrate/sql/domains/work_order.sql",
    ):
        assert path in added, f"{path} did not arrive"
    assert _answers(project.path)["domains"] == {**DEFAULT_DOMAINS, "work_order": WORK_ORDER}

    # The same database takes the new domain's migration; the applied ones stay as they were.
    run_in_project(project.path, UV_SYNC, label="uv sync --locked [update, domain added]")
    run = migrated.migrate()
    assert run["applied"] == ["domains/work_order.sql"]
    assert run["retired"] == []
    after = migrated.migrations()
    assert {name: after[name] for name in before} == before, "an applied migration was touched"
    assert set(after) - set(before) == {"domain:work_order"}
    assert after["domain:work_order"][0] == "domain"
    assert migrated.sql("rows", "work_orders") == 0
    assert migrated.migrate()["applied"] == [], "a second run applied something again"

    # The updated project is sound: lint, types, and the new domain's generated tests.
    run_in_project(project.path, ["uv", "run", "ruff", "check"], label="ruff check [domain added]")
    run_in_project(project.path, ["uv", "run", "mypy"], label="mypy [domain added]")
    tests = [
        *generated_test_files({"work_order": WORK_ORDER})["work_order"],
        "tests/business/sdk/migrate",
        "tests/api/services/sales/test_main.py",
    ]
    summary = _rendered_pytest(project.path, tests, run_in_project).output.strip().splitlines()[-1]
    report(f"rendered tests after adding work_order: {summary}")


# A domain whose field references a domain the database already has (issue 12). Its name sorts
# before `product`: on a fresh database (the generated tests') the runner must still create
# `products` first.
ORDER_LINE = {"fields": {"product_id": {"ref": "product"}, "amount": "quantity"}}


@pytest.mark.slow
def test_update_adds_a_domain_referencing_a_migrated_one(
    project: CopierProject,
    migrated: Database,
    run_in_project: Runner,
    report: Callable[[str], None],
) -> None:
    migrated.admin("seed")  # an owner for the rows
    migrated.sql(
        "execute",
        "INSERT INTO products (product_id, user_id, name, cost, quantity, date_created,"
        " date_updated) SELECT gen_random_uuid(), user_id, 'Anvil', 19.99, 3, now(), now()"
        " FROM users LIMIT 1",
    )
    before = migrated.migrations()
    domains = {**DEFAULT_DOMAINS, "order_line": ORDER_LINE}

    project.update(domains=domains)

    # The referenced domain's code changes (its delete event, its 409), never its migration.
    assert_clean_merge(project.path)
    changes = _changes(project.path)
    assert not [path for _, path in changes if "/migrate/sql/" in path and "order_line" not in path]
    sql = (project.path / MIGRATIONS / "order_line.sql").read_text(encoding="utf-8")
    assert "-- requires domain: product\n" in sql
    assert (
        "product_id UUID NOT NULL CONSTRAINT order_lines_product_id_fkey REFERENCES products "
        "(product_id) ON DELETE RESTRICT,"
    ) in sql

    # The migrated database takes it; the foreign key holds against the rows already there.
    run_in_project(project.path, UV_SYNC, label="uv sync --locked [update, reference added]")
    assert migrated.migrate()["applied"] == ["domains/order_line.sql"]
    after = migrated.migrations()
    assert {name: after[name] for name in before} == before, "an applied migration was touched"
    migrated.sql(
        "execute",
        "INSERT INTO order_lines (order_line_id, user_id, product_id, amount, date_created,"
        " date_updated) SELECT gen_random_uuid(), user_id, product_id, 2, now(), now()"
        " FROM products LIMIT 1;"
        "DO $$ BEGIN DELETE FROM products; RAISE EXCEPTION 'a referenced product was deleted';"
        " EXCEPTION WHEN foreign_key_violation THEN NULL; END $$",
    )
    assert migrated.sql("rows", "order_lines") == 1

    # The updated project is sound: lint, types, both domains' tests and the migrations' (on
    # fresh databases, where order_line.sql must wait for product.sql).
    run_in_project(project.path, ["uv", "run", "ruff", "check"], label="ruff check [reference]")
    run_in_project(project.path, ["uv", "run", "mypy"], label="mypy [reference]")
    files = generated_test_files(domains)
    tests = [*files["order_line"], *files["product"], "tests/business/sdk/migrate"]
    summary = _rendered_pytest(project.path, tests, run_in_project).output.strip().splitlines()[-1]
    report(f"rendered tests after adding order_line (references product): {summary}")


@pytest.mark.slow
def test_update_removes_a_domain_and_keeps_its_table(
    project: CopierProject, migrated: Database, run_in_project: Runner
) -> None:
    migrated.admin("seed")  # an owner for a home
    migrated.sql(
        "execute",
        "INSERT INTO homes (home_id, user_id, type, address1, zip_code, city, state, country,"
        " date_created, date_updated) SELECT gen_random_uuid(), user_id, 'CONDO', '1 Main St',"
        " '12345', 'Springfield', 'IL', 'USA', now(), now() FROM users LIMIT 1",
    )
    assert migrated.sql("rows", "homes") == 1
    before = migrated.migrations()

    project.update(domains={"product": DEFAULT_DOMAINS["product"]})

    # Code, routes, tests and the migration file go; nothing else is touched.
    assert_clean_merge(project.path)
    changes = _changes(project.path)
    assert not [path for status, path in changes if status == "??"], changes
    deleted = [path for status, path in changes if status == " D"]
    src = project.path / "src" / "acme_sales"
    gone = [
        src / "business" / "domain" / "homebus",
        src / "app" / "domain" / "homeapp",
        src / "business" / "sdk" / "migrate" / "sql" / "domains" / "home.sql",
        project.path / "tests" / "business" / "domain" / "homebus",
        project.path / "tests" / "api" / "services" / "sales" / "test_home_api.py",
    ]
    assert [path for path in gone if path.exists()] == []
    assert "src/acme_sales/business/sdk/migrate/sql/domains/home.sql" in deleted
    assert all("home" in path for path in deleted), deleted
    assert (src / "business" / "sdk" / "migrate" / "sql" / "domains" / "product.sql").is_file()
    mentions = [
        str(path.relative_to(project.path))
        for path in [*src.rglob("*.py"), *(project.path / "tests").rglob("*.py")]
        if re.search(r"homebus|homeapp|/v1/v?homes", path.read_text(encoding="utf-8"))
    ]
    assert mentions == [], f"still wired to the removed domain: {mentions}"

    # `admin migrate` reports the migration retired and exits 0; table, rows and record stay.
    run = migrated.migrate()
    assert run["applied"] == []
    assert run["retired"] == ["domain:home"]
    assert [w.get("migration") for w in run["warnings"]] == ["domain:home"]
    assert migrated.migrations() == before
    assert migrated.sql("rows", "homes") == 1

    # What remains is sound.
    run_in_project(
        project.path, ["uv", "run", "ruff", "check"], label="ruff check [domain removed]"
    )
    run_in_project(project.path, ["uv", "run", "mypy"], label="mypy [domain removed]")
    run_in_project(project.path, ["uv", "run", "lint-imports"], label="lint-imports [removed]")


# --- the fields of a migrated domain change (slow: one update, one migrate, one domain's tests) --

EVOLVED = {
    **DEFAULT_DOMAINS,
    "product": {
        "fields": {
            "name": "name",
            "cost": "money",
            "quantity": "quantity?",  # made optional
            "color": "text?",  # added, optional
            "weight": "int",  # added, required: existing rows take the backfill
        },
        "backfill": {"weight": 7},
    },
    "home": {
        "fields": {
            **DEFAULT_DOMAINS["home"]["fields"],
            "type": {"enum": ["SINGLE FAMILY", "CONDO", "TOWNHOUSE"]},  # a value added
        }
    },
}
MIGRATIONS = "src/acme_sales/business/sdk/migrate/sql/domains"


@pytest.mark.slow
def test_update_evolves_a_migrated_domain_and_keeps_its_rows(
    project: CopierProject,
    migrated: Database,
    run_in_project: Runner,
    report: Callable[[str], None],
) -> None:
    migrated.admin("seed")  # an owner for the rows
    migrated.sql(
        "execute",
        "INSERT INTO products (product_id, user_id, name, cost, quantity, date_created,"
        " date_updated) SELECT gen_random_uuid(), user_id, 'Anvil', 19.99, 3, now(), now()"
        " FROM users LIMIT 1;"
        "INSERT INTO homes (home_id, user_id, type, address1, zip_code, city, state, country,"
        " date_created, date_updated) SELECT gen_random_uuid(), user_id, 'CONDO', '1 Main St',"
        " '12345', 'Springfield', 'IL', 'USA', now(), now() FROM users LIMIT 1",
    )
    before = migrated.migrations()
    applied = {
        name: (project.path / MIGRATIONS / name).read_bytes()
        for name in ("product.sql", "home.sql")
    }

    project.update(domains=EVOLVED)

    # The next migration of each domain arrives; the applied ones are untouched.
    assert_clean_merge(project.path)
    added = sorted(path for status, path in _changes(project.path) if status == "??")
    assert added == [f"{MIGRATIONS}/home.0002.sql", f"{MIGRATIONS}/product.0002.sql"], added
    assert {name: (project.path / MIGRATIONS / name).read_bytes() for name in applied} == applied
    recorded = _answers(project.path)["domain_migrations"]
    assert isinstance(recorded, dict)
    assert [len(recorded["product"]), len(recorded["home"])] == [2, 2]

    # The same database: the table and view altered, the rows kept with their values.
    run_in_project(project.path, UV_SYNC, label="uv sync --locked [update, fields changed]")
    run = migrated.migrate()
    assert run["applied"] == ["domains/home.0002.sql", "domains/product.0002.sql"]
    after = migrated.migrations()
    assert {name: after[name] for name in before} == before, "an applied migration was touched"
    migrated.sql(
        "execute",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM view_products WHERE name = 'Anvil'"
        " AND cost = 19.99 AND quantity = 3 AND color IS NULL AND weight = 7)"
        " OR NOT EXISTS (SELECT 1 FROM view_homes WHERE type = 'CONDO' AND city = 'Springfield')"
        " THEN RAISE EXCEPTION 'a row lost its values'; END IF; END $$",
    )
    assert migrated.migrate()["applied"] == [], "a second run applied something again"

    # The updated project is sound: lint, types, and the changed domains' generated tests.
    run_in_project(project.path, ["uv", "run", "ruff", "check"], label="ruff check [evolved]")
    run_in_project(project.path, ["uv", "run", "mypy"], label="mypy [evolved]")
    tests = [*generated_test_files(EVOLVED)["product"], *generated_test_files(EVOLVED)["home"]]
    summary = _rendered_pytest(project.path, tests, run_in_project).output.strip().splitlines()[-1]
    report(f"rendered tests after evolving product and home: {summary}")


# --- a refusal, decided before anything is written, and an explicit drop (fast) -----------------


def test_update_refuses_an_implicit_drop_before_writing(project: CopierProject) -> None:
    """Through Copier's validator; every other refusal has a unit test in
    tests/test_domain_evolution.py."""
    dropped = {**DEFAULT_DOMAINS, "product": {"fields": {"name": "name", "cost": "money"}}}

    with pytest.raises(ValueError, match=re.escape("domains: product.quantity is gone from")):
        project.update(domains=dropped)

    assert dirty_paths(project.path) == [], "a refused update wrote something"


def test_update_drops_a_column_when_told_to(project: CopierProject) -> None:
    answer = {
        **DEFAULT_DOMAINS,
        "product": {"fields": {"name": "name", "cost": "money"}, "drop": ["quantity"]},
    }

    project.update(domains=answer)

    assert_clean_merge(project.path)
    added = [path for status, path in _changes(project.path) if status == "??"]
    assert added == [f"{MIGRATIONS}/product.0002.sql"], added
    sql = (project.path / MIGRATIONS / "product.0002.sql").read_text(encoding="utf-8")
    statements = [line for line in sql.splitlines() if line and not line.startswith("--")]
    assert statements[:2] == [
        "DROP VIEW view_products;",
        "ALTER TABLE products DROP COLUMN quantity;",
    ]
    assert "CREATE VIEW view_products AS" in statements
    assert "    t.quantity," not in sql
