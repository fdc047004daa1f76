"""The default render: nothing left unrendered, and (slow) its whole toolchain passes."""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from extension import domains_extension, generated_test_files
from images import base_images
from names import (
    accepted_domain_names,
    colliding_domains,
    domain_marks,
    field_count,
    field_kinds,
    generated_identifiers,
    names_a_domain_could_take,
)
from rendering import GENERATED_NAMES, REPO_ROOT, iter_files, read_answers, render

if TYPE_CHECKING:
    from conftest import Run, Runner

# --- unrendered Jinja ---------------------------------------------------------------------------

# Delimiters that, left in a rendered file or path, mean something escaped rendering (a template
# file missing its .jinja suffix, a {% raw %} block gone wrong, a typo in a path name).
JINJA_MARKERS = ("{{", "}}", "{%", "%}")

# Legitimate delimiter-like text in rendered output. Each entry is
#     (glob over the rendered path relative to the project root, regex, why)
# Before a file is scanned, every match of the regex in files matching the glob is blanked out;
# whatever delimiter remains is reported. `*` in the glob also matches `/`. Keep entries narrow
# (a specific file or directory, an anchored regex) and say why; an entry that no longer matches
# anything fails test_allowlist_entries_are_used, so the list cannot rot. Examples:
#     (".github/workflows/*.yml", r"\$\{\{[^}]*\}\}", "GitHub Actions expressions ${{ ... }}")
#     ("src/*/api/*.py", r'f"[^"\n]*\{\{[^"\n]*\}\}[^"\n]*"', "f-string with literal braces")
ALLOWED_DELIMITERS: list[tuple[str, str, str]] = []


def _allowed_for(rel: str) -> list[str]:
    return [regex for glob, regex, _ in ALLOWED_DELIMITERS if fnmatch.fnmatchcase(rel, glob)]


def find_unrendered(project: Path) -> list[str]:
    """Every leftover Jinja delimiter in the file contents and paths under ``project``."""
    problems: list[str] = []
    for path in sorted(project.rglob("*")):
        rel = path.relative_to(project)
        if any(part in GENERATED_NAMES for part in rel.parts):
            continue
        if any(marker in rel.as_posix() for marker in JINJA_MARKERS):
            problems.append(f"{rel}: Jinja delimiter in the path")
        if path.name.endswith(".jinja"):
            problems.append(f"{rel}: .jinja suffix survived rendering")
    for rel in iter_files(project):
        try:
            text = (project / rel).read_text(encoding="utf-8")
        except (UnicodeDecodeError, IsADirectoryError):
            continue  # binary files are copied verbatim, never rendered
        for regex in _allowed_for(rel.as_posix()):
            text = re.sub(regex, lambda match: " " * len(match.group()), text)
        for number, line in enumerate(text.splitlines(), start=1):
            if any(marker in line for marker in JINJA_MARKERS):
                problems.append(f"{rel}:{number}: {line.strip()}")
    return problems


def test_no_unrendered_jinja(default_render: Path) -> None:
    problems = find_unrendered(default_render)
    if problems:
        pytest.fail(
            "unrendered Jinja in the default render (if legitimate, add a narrow entry to "
            "ALLOWED_DELIMITERS in tests/test_render.py):\n  " + "\n  ".join(problems),
            pytrace=False,
        )


def test_allowlist_entries_are_used(default_render: Path) -> None:
    unused = [
        (glob, regex, why)
        for glob, regex, why in ALLOWED_DELIMITERS
        if not any(
            re.search(regex, (default_render / rel).read_text(encoding="utf-8", errors="replace"))
            for rel in iter_files(default_render)
            if fnmatch.fnmatchcase(rel.as_posix(), glob)
        )
    ]
    assert not unused, f"ALLOWED_DELIMITERS entries that match nothing, remove them: {unused}"


def test_detector_finds_leftovers(tmp_path: Path) -> None:
    """The scan itself works: a leftover in content, in a path, and a .jinja suffix."""
    (tmp_path / "{{ package_name }}").mkdir()
    (tmp_path / "{{ package_name }}" / "x.py").write_text("ok\n", encoding="utf-8")
    (tmp_path / "README.md.jinja").write_text("fine\n", encoding="utf-8")
    (tmp_path / "a.toml").write_text('name = "{{ project_slug }}"\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text("{% if x %}\n", encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(b"\xff\xfe{{")
    problems = "\n".join(find_unrendered(tmp_path))
    assert "{{ package_name }}: Jinja delimiter in the path" in problems
    assert "README.md.jinja: .jinja suffix" in problems
    assert 'a.toml:1: name = "{{ project_slug }}"' in problems
    assert "b.txt:1:" in problems
    assert "blob.bin" not in problems


def test_default_answers(default_render: Path) -> None:
    answers = read_answers(default_render)
    assert answers["project_slug"] == "acme-sales"
    assert answers["package_name"] == "acme_sales"
    assert (default_render / "src" / answers["package_name"] / "__init__.py").is_file()


# --- python_version: what it chooses, and what it does not -------------------------------------

_PYTHON_QUESTION = yaml.safe_load((REPO_ROOT / "copier.yml").read_text(encoding="utf-8"))[
    "python_version"
]
DEFAULT_PYTHON: str = _PYTHON_QUESTION["default"]
# The default first: its toolchain run reuses the session's default render and reports first.
PYTHON_VERSIONS: list[str] = [DEFAULT_PYTHON] + [
    version for version in _PYTHON_QUESTION["choices"] if version != DEFAULT_PYTHON
]


def _rendered_for(version: str, default_render: Path, tmp_path: Path) -> Path:
    if version == DEFAULT_PYTHON:
        return default_render
    return render(tmp_path / default_render.name, {"python_version": version})


@pytest.mark.parametrize("version", PYTHON_VERSIONS)
def test_python_version_choices(version: str, default_render: Path, tmp_path: Path) -> None:
    """The answer picks the interpreter, the image and the linters' targets; requires-python
    stays the floor the code supports, so one uv.lock fits every answer."""
    project = _rendered_for(version, default_render, tmp_path)
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    dockerfile = (project / "deploy" / "docker" / "Dockerfile").read_text(encoding="utf-8")
    assert (project / ".python-version").read_text(encoding="utf-8") == f"{version}\n"
    # The image's Python is the answer's minor version, pinned to a patch release.
    assert re.search(rf"^ARG PYTHON_VERSION={re.escape(version)}\.\d+$", dockerfile, re.MULTILINE)
    assert f'\ntarget-version = "py{version.replace(".", "")}"\n' in pyproject
    assert f'\npython_version = "{version}"\n' in pyproject
    assert re.search(r'^requires-python = ">=3\.11"', pyproject, re.MULTILINE)
    assert 'requires-python = ">=3.11"' in (project / "uv.lock").read_text(encoding="utf-8")


def test_dockerfile_has_a_target_per_service_and_no_keys(default_render: Path) -> None:
    """One Dockerfile builds both services; no signing key is copied into the auth image."""
    dockerfile = (default_render / "deploy" / "docker" / "Dockerfile").read_text(encoding="utf-8")
    assert re.findall(r"^FROM \S+ AS (\w+)$", dockerfile, re.MULTILINE) == [
        "build",
        "runtime",
        "sales",
        "auth",
    ]
    auth = dockerfile.split("FROM runtime AS auth\n", 1)[1]
    assert 'CMD ["auth"]' in auth
    assert "EXPOSE 6000 6010" in auth
    assert "AUTH_BUILD=${BUILD_REF}" in auth
    assert not re.search(r"^(COPY|ADD) .*(deploy|keys|\.pem)", dockerfile, re.MULTILINE)
    dockerignore = (default_render / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "deploy/keys" in dockerignore
    assert "**/*.pem" in dockerignore


def test_dockerfile_is_pinned_and_labelled(default_render: Path) -> None:
    """Every base image is pinned to an exact version (a rebuild gets the same Python and uv),
    and the images carry the OCI labels. tests/test_image.py builds and runs them (slow)."""
    dockerfile = (default_render / "deploy" / "docker" / "Dockerfile").read_text(encoding="utf-8")
    bases = base_images(dockerfile)
    assert [base.split(":")[0] for base in bases] == ["python", "ghcr.io/astral-sh/uv"]
    assert [base for base in bases if not re.search(r":\d+\.\d+\.\d+(-|$)", base)] == []
    for label in ("title", "description", "version", "revision", "created", "source"):
        assert f"org.opencontainers.image.{label}=" in dockerfile, label
    assert "\nUSER 1000:1000\n" in dockerfile


# --- the rendered project's own toolchain (slow), for every python_version ----------------------

SYNC_TIMEOUT = 900.0  # a cold uv cache downloads every dependency
UV_SYNC = ["uv", "sync", "--locked"]  # a lock stale against pyproject.toml fails, as in CI

# Skips of the rendered suite that are right on this machine (pytest's -ra summary names them).
ALLOWED_SKIPS = ("root writes into read-only folders",)

# What the rendered README tells users to run: lint, format check, import layers, mypy and the
# whole suite, exactly as written there.
MAKE_TEST = ["make", "test"]
# The static checks alone, for renders whose suite adds nothing the default's does not cover.
CHECKS: dict[str, list[str]] = {
    "ruff-check": ["uv", "run", "ruff", "check"],
    "ruff-format": ["uv", "run", "ruff", "format", "--check"],
    "mypy": ["uv", "run", "mypy"],
    "lint-imports": ["uv", "run", "lint-imports"],
}

# The rendered suite's closing line: "12 passed, 1 skipped in 3.21s" or "no tests ran in 0.01s".
PYTEST_SUMMARY = re.compile(r"^=*\s*((?:\d+ \w+(?:, )?)+|no tests ran) in [\d.]+s.*?\s*=*$")


@pytest.fixture(scope="session", params=PYTHON_VERSIONS, ids=lambda version: f"py{version}")
def uv_sync(
    request: pytest.FixtureRequest,
    default_render: Path,
    tmp_path_factory: pytest.TempPathFactory,
    run_in_project: Runner,
) -> tuple[Path, Run]:
    """A render for one python_version (a copy of the default render for the default) with
    `uv sync --locked` run once, shared by every toolchain step for that version."""
    version: str = request.param
    tmp = tmp_path_factory.mktemp(f"toolchain-py{version}")
    project = tmp / default_render.name
    if version == DEFAULT_PYTHON:
        shutil.copytree(default_render, project, symlinks=True)
    else:
        render(project, {"python_version": version})
    label = f"{shlex.join(UV_SYNC)} [py{version}]"
    return project, run_in_project(project, UV_SYNC, timeout=SYNC_TIMEOUT, check=False, label=label)


@pytest.fixture
def synced_project(uv_sync: tuple[Path, Run]) -> Path:
    project, sync = uv_sync
    if sync.failure:  # reported in full once, by test_uv_sync
        pytest.fail(f"`{sync.command}` {sync.failure}: see test_uv_sync", pytrace=False)
    return project


@pytest.mark.slow
def test_uv_sync(uv_sync: tuple[Path, Run]) -> None:
    project, sync = uv_sync
    if sync.failure:
        hint = ""
        if "needs to be updated" in sync.output:
            hint = "\ntemplate/uv.lock.jinja is stale: run `make lock` and commit it"
        pytest.fail(sync.describe(project) + hint, pytrace=False)
    assert (project / ".venv").is_dir()


@pytest.mark.slow
def test_venv_uses_answered_python(synced_project: Path, run_in_project: Runner) -> None:
    """`uv sync` picks the python_version answer, not just any interpreter >= it."""
    wanted = read_answers(synced_project)["python_version"]
    got = run_in_project(
        synced_project,
        [".venv/bin/python", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        label=f".venv/bin/python --version [py{wanted}]",
    ).output.strip()
    assert got == wanted, (
        f"the rendered venv runs Python {got}, the answer was {wanted} "
        "(render a .python-version so uv picks it)"
    )


@pytest.mark.slow
def test_make_test(
    synced_project: Path,
    run_in_project: Runner,
    report: Callable[[str], None],
    record_property: Callable[[str, object], None],
) -> None:
    """`make test`, the README's command, passes on a fresh render: lint, types and the suite."""
    version = read_answers(synced_project)["python_version"]
    run = run_in_project(synced_project, MAKE_TEST, label=f"make test [py{version}]")
    record_property("seconds", round(run.seconds, 1))
    summary = _pytest_summary(run)
    report(f"rendered test suite [py{version}]: {summary}")
    record_property("summary", summary)
    skipped = [line for line in run.output.splitlines() if line.startswith("SKIPPED")]
    unexpected = [line for line in skipped if not any(ok in line for ok in ALLOWED_SKIPS)]
    assert not unexpected, "the rendered suite skipped tests it must run here:\n" + "\n".join(
        unexpected
    )
    left = _processes_running_from(synced_project)
    assert not left, "the rendered suite left processes running:\n" + "\n".join(left)


def _processes_running_from(project: Path, grace: float = 5.0) -> list[str]:
    """Processes whose command line names a path in `project` (its venv's Python runs every
    service and worker a test starts): "pid command" each. Killed ones get `grace` seconds to
    be reaped."""
    marker = str(project.resolve())
    give_up_at = time.monotonic() + grace
    while True:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                args = cmdline.read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue  # gone meanwhile
            command = " ".join(arg for arg in args if arg)
            if marker in command and cmdline.parent.name != str(os.getpid()):
                found.append(f"{cmdline.parent.name} {command[:300]}")
        if not found or time.monotonic() > give_up_at:
            return found
        time.sleep(0.2)


@pytest.mark.slow
def test_suite_without_a_database_stops_once_saying_how_to_provide_one(
    synced_project: Path, run_in_project: Runner
) -> None:
    if read_answers(synced_project)["python_version"] != DEFAULT_PYTHON:
        pytest.skip("the same on every Python: checked on the default")
    run = run_in_project(
        synced_project,
        ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider"],
        env={"TEST_DATABASE_URL": "", "DOCKER_HOST": "unix:///nonexistent/docker.sock"},
        check=False,
        label="pytest without a database",
    )
    assert run.failure == "exited with 3", run.output[-2000:]
    assert run.output.count("the tests need PostgreSQL: set TEST_DATABASE_URL") == 1, run.output


# --- names of every allowed length (slow): the code stays lint-, format- and type-clean ----------

_QUESTIONS = yaml.safe_load((REPO_ROOT / "copier.yml").read_text(encoding="utf-8"))


def _max_length(question: str) -> int:
    """The length limit the question's validator enforces (`{question} | length > N`)."""
    found = re.search(rf"{question} \| length > (\d+)", _QUESTIONS[question]["validator"])
    assert found, f"copier.yml: {question}'s validator has no length limit"
    return int(found.group(1))


def _filled(prefix: str, filler: str, length: int) -> str:
    return (prefix + filler * length)[:length]


# The package name is in every import line and the slug and project name in strings: the longest
# answers the validators allow must not push a line past 100 columns, and a one-letter package must
# not let `ruff format` join lines the template splits. Both names sort after "tests", where the
# default sorts before it, so import order cannot depend on the name either.
NAME_CASES: dict[str, dict[str, str]] = {
    "longest-names": {
        "project_name": _filled("Z Long Project Name ", "X", _max_length("project_name")),
        "project_slug": _filled("z-long-project-slug-", "x", _max_length("project_slug")),
        "package_name": _filled("z_long_package_", "x", _max_length("package_name")),
    },
    "one-letter-package": {"package_name": "z"},
}
# Domains at the longest names the validator allows (a domain's, its plural's and a field's),
# with cascading references to a user and to another domain: the generated code and its tests
# hold them in imports, SQL, comments and docstrings.
LONGEST_DOMAINS = {
    "abcdefghi_klmnop": {
        "plural": "abcdefghi_klmnopq",
        "fields": {
            "label_of_the_longest": "text",
            "abcdefghij_klmnopqrs": {"ref": "user", "on_delete": "cascade"},
        },
    },
    "qrstuvwxy_abcdef": {
        "fields": {"abcdefghij_klmnopqrs": {"ref": "abcdefghi_klmnop", "on_delete": "cascade"}},
    },
}
NAME_CASES["longest-names"]["domains"] = yaml.safe_dump(LONGEST_DOMAINS)
NAME_STEPS = tuple(CHECKS)


@pytest.fixture(scope="session", params=NAME_CASES)
def name_sync(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    run_in_project: Runner,
) -> tuple[str, Path, Run]:
    """A render with the case's names (default python_version) and `uv sync --locked` run once."""
    case: str = request.param
    project = render(tmp_path_factory.mktemp(f"names-{case}") / "project", NAME_CASES[case])
    label = f"{shlex.join(UV_SYNC)} [{case}]"
    sync = run_in_project(project, UV_SYNC, timeout=SYNC_TIMEOUT, check=False, label=label)
    return case, project, sync


def test_name_cases_are_the_extremes_allowed() -> None:
    longest = NAME_CASES["longest-names"]
    for question, answer in longest.items():
        if question != "domains":
            assert len(answer) == _max_length(question), question
    ext = domains_extension()
    assert ext.domain_problem(LONGEST_DOMAINS) == ""
    for name, spec in LONGEST_DOMAINS.items():
        assert len(name) == ext.MAX_DOMAIN_NAME, name
        assert max(len(field) for field in spec["fields"]) == ext.MAX_NAME, name
    assert len(LONGEST_DOMAINS["abcdefghi_klmnop"]["plural"]) == ext.MAX_PLURAL
    assert len(NAME_CASES["one-letter-package"]["package_name"]) == 1


@pytest.mark.slow
@pytest.mark.parametrize("step", NAME_STEPS)
def test_names_of_every_length_render_clean(
    step: str, name_sync: tuple[str, Path, Run], run_in_project: Runner
) -> None:
    case, project, sync = name_sync
    if sync.failure:
        pytest.fail(sync.describe(project), pytrace=False)
    answers = read_answers(project)
    given = {question: answers[question] for question in NAME_CASES[case]}
    if "domains" in given:  # a YAML answer: the answers file keeps what it parsed to
        given["domains"] = yaml.safe_dump(given["domains"])
    assert given == NAME_CASES[case]
    command = CHECKS[step]
    run_in_project(project, command, label=f"{shlex.join(command)} [{case}]")


# --- every field type: a claimed answer set, rendered and (slow) run through its whole toolchain --

# A multi-word domain with a custom plural and every field type, required and optional (both
# optional forms), plus a second, small domain whose fields are SQL key words (`left` and
# `similar` quoted, `position` not). test_every_field_type_claim keeps the claim true when a field
# type is added.
EVERY_FIELD_TYPE_DOMAINS = """\
work_order:
  fields:
    title: text
    due: date?
    left: bool?
    similar: text?
    position: int?
    batch: {ref: delivery_batch}
    backup_batch: {ref: delivery_batch, optional: true, on_delete: cascade}
    reviewer: {ref: user, optional: true}
delivery_batch:
  plural: delivery_batches
  fields:
    label: text
    format: {type: text, optional: true}
    carrier: name
    courier: name?
    contact: email
    backup_email: {type: email, optional: true}
    priority: int
    retries: int?
    parcels: quantity
    spare_parcels: {type: quantity, optional: true}
    declared_value: money
    insured_value: money?
    fragile: bool
    signed: {type: bool, optional: true}
    ship_date: date
    return_date: date?
    departed_at: datetime
    delivered_at: {type: datetime, optional: true}
    status: {enum: [PENDING, IN TRANSIT, DELIVERED]}
    size: {enum: [small, medium, large], optional: true}
"""
ANSWER_SETS: dict[str, dict[str, str]] = {"every-field-type": {"domains": EVERY_FIELD_TYPE_DOMAINS}}


def test_every_field_type_claim() -> None:
    answer = yaml.safe_load(EVERY_FIELD_TYPE_DOMAINS)
    ext = domains_extension()
    assert ext.domain_problem(answer) == ""
    # First: the transaction example (POST /v1/tranexample) takes the first domain, and its
    # references are seeded and checked there too.
    order, batch = ext.normalise(answer)
    assert order["refs"]
    assert "_" in batch["name"] and batch["plural"] != batch["name"] + "s"  # multi-word, custom
    every_type = {*ext.FIELD_TYPES, ext.ENUM}
    kinds = {(field["type"], field["optional"]) for field in batch["fields"]}
    assert kinds == {(kind, optional) for kind in every_type for optional in (False, True)}
    # References: to a domain (restrict, and an optional one that cascades) and to a user.
    refs = {
        (f["ref"]["target"], f["optional"], f["ref"]["on_delete"])
        for f in order["fields"]
        if f["ref"]
    }
    assert {
        ("delivery_batch", False, "restrict"),
        ("delivery_batch", True, "cascade"),
        ("user", True, "restrict"),
    } <= refs
    specs = answer["delivery_batch"]["fields"].values()
    assert any(isinstance(spec, str) and spec.endswith("?") for spec in specs)
    assert any(isinstance(spec, dict) and spec.get("optional") is True for spec in specs)


@pytest.fixture(scope="session", params=ANSWER_SETS)
def answer_set_render(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    report: Callable[[str], None],
) -> tuple[str, Path]:
    """A render of one claimed answer set, once per session. Do not modify it: copy it first."""
    case: str = request.param
    started = time.perf_counter()
    project = render(tmp_path_factory.mktemp(f"answers-{case}") / "project", ANSWER_SETS[case])
    report(f"{f'render [{case}]':<40} {time.perf_counter() - started:7.1f}s  ok")
    return case, project


def test_answer_set_renders_clean(answer_set_render: tuple[str, Path]) -> None:
    case, project = answer_set_render
    assert find_unrendered(project) == []
    assert read_answers(project)["domains"] == yaml.safe_load(ANSWER_SETS[case]["domains"])


def test_every_field_type_paths_and_routes(
    answer_set_render: tuple[str, Path], default_render: Path
) -> None:
    case, project = answer_set_render
    if case != "every-field-type":
        pytest.skip("about the every-field-type answers")
    src = project / "src" / "acme_sales"
    for pkg in ("deliverybatch", "workorder"):
        bus = src / "business" / "domain" / f"{pkg}bus"
        for module in ("__init__", "audit", "bus", "model", "filter", "order"):
            assert (bus / f"{module}.py").is_file(), f"{bus}/{module}.py"
        assert (bus / "stores" / f"{pkg}db.py").is_file()
        app = src / "app" / "domain" / f"{pkg}app"
        for module in ("__init__", "models", "query", "routes"):
            assert (app / f"{module}.py").is_file(), f"{app}/{module}.py"
        assert (
            project / "tests" / "business" / "domain" / f"{pkg}bus" / f"test_{pkg}bus.py"
        ).is_file()
        assert (project / "tests" / "api" / "services" / "sales" / f"test_{pkg}_api.py").is_file()
    # The domains of the default answer are gone, the built-in ones stay.
    domain_dirs = sorted(path.name for path in (src / "business" / "domain").iterdir())
    assert domain_dirs == ["__init__.py", "auditbus", "deliverybatchbus", "userbus", "workorderbus"]
    migrations = src / "business" / "sdk" / "migrate" / "sql" / "domains"
    assert sorted(path.name for path in migrations.glob("*.sql")) == [
        "delivery_batch.sql",
        "work_order.sql",
    ]

    routes = {
        pkg: (src / "app" / "domain" / f"{pkg}app" / "routes.py").read_text(encoding="utf-8")
        for pkg in ("deliverybatch", "workorder")
    }
    assert '@litestar.get(\n        "/v1/work-orders",' in routes["workorder"]
    assert '"/v1/work-orders/{work_order_id:str}"' in routes["workorder"]
    assert '"/v1/vwork-orders"' in routes["workorder"]
    assert (
        '@litestar.get(\n        "/v1/delivery-batches",' in routes["deliverybatch"]
    )  # the custom plural
    assert '"/v1/delivery-batches/{delivery_batch_id:str}"' in routes["deliverybatch"]
    sales_routes = (src / "api" / "services" / "sales" / "routes.py").read_text(encoding="utf-8")
    assert "deliverybatchapp" in sales_routes and "workorderapp" in sales_routes
    assert "productapp" not in sales_routes and "homeapp" not in sales_routes

    model = (src / "business" / "domain" / "deliverybatchbus" / "model.py").read_text("utf-8")
    assert re.search(r"^class DeliveryBatch\b", model, re.MULTILINE)
    for enum in ("DeliveryBatchStatusChoice", "DeliveryBatchSizeChoice"):
        assert re.search(rf"^class {enum}\(enum\.StrEnum\):", model, re.MULTILINE), enum

    sql = (migrations / "delivery_batch.sql").read_text(encoding="utf-8")
    assert "CREATE TABLE delivery_batches (" in sql
    assert "CREATE VIEW view_delivery_batches AS" in sql
    for column in (
        "label TEXT NOT NULL,",
        "format TEXT NULL,",
        "carrier TEXT NOT NULL,",
        "courier TEXT NULL,",
        "backup_email TEXT NULL,",
        "priority INTEGER NOT NULL,",
        "retries INTEGER NULL,",
        "spare_parcels INTEGER NULL,",
        "declared_value NUMERIC(14, 2) NOT NULL,",
        "insured_value NUMERIC(14, 2) NULL,",
        "fragile BOOLEAN NOT NULL,",
        "signed BOOLEAN NULL,",
        "ship_date DATE NOT NULL,",
        "return_date DATE NULL,",
        "departed_at TIMESTAMPTZ NOT NULL,",
        "delivered_at TIMESTAMPTZ NULL,",
        "status TEXT NOT NULL,",
        "size TEXT NULL,",
    ):
        assert f"\n    {column}\n" in sql, f"delivery_batch.sql lacks `{column}`"
    # The lock covers dependencies only: every answer set shares the default's.
    assert (project / "uv.lock").read_bytes() == (default_render / "uv.lock").read_bytes()


@pytest.fixture(scope="session")
def answer_set_sync(
    answer_set_render: tuple[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    run_in_project: Runner,
) -> tuple[str, Path, Run]:
    """A copy of the answer set's render with `uv sync --locked` run once."""
    case, rendered = answer_set_render
    project = tmp_path_factory.mktemp(f"toolchain-{case}") / rendered.name
    shutil.copytree(rendered, project, symlinks=True)
    label = f"{shlex.join(UV_SYNC)} [{case}]"
    sync = run_in_project(project, UV_SYNC, timeout=SYNC_TIMEOUT, check=False, label=label)
    return case, project, sync


@pytest.mark.slow
def test_answer_set_make_test(
    answer_set_sync: tuple[str, Path, Run],
    run_in_project: Runner,
    report: Callable[[str], None],
) -> None:
    case, project, sync = answer_set_sync
    if sync.failure:
        pytest.fail(sync.describe(project), pytrace=False)
    run = run_in_project(project, MAKE_TEST, label=f"make test [{case}]")
    report(f"rendered test suite [{case}]: {_pytest_summary(run)}")


def _pytest_summary(run: Run) -> str:
    return next(
        (
            m.group(0).strip("= ")
            for line in reversed(run.output.splitlines())
            if (m := PYTEST_SUMMARY.match(line.strip()))
        ),
        "no summary line found",
    )


# --- how many tests each domain's slice generates (slow: collects the rendered suite) -----------

COLLECT = ["uv", "run", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]


def _tests_per_domain(
    project: Path, case: str, run_in_project: Runner, report: Callable[[str], None]
) -> None:
    """Collect the rendered suite; report and check the tests of each domain's generated files."""
    run = run_in_project(project, COLLECT, label=f"pytest --collect-only [{case}]")
    per_file = Counter(line.split("::", 1)[0] for line in run.output.splitlines() if "::" in line)
    files = generated_test_files(read_answers(project)["domains"])
    assert files, "the answers have no domains"
    for domain, paths in files.items():
        counts = {path: per_file[path] for path in paths}
        report(
            f"rendered tests of domain {domain} [{case}]: {sum(counts.values())} "
            f"({', '.join(f'{Path(path).name} {count}' for path, count in counts.items())})"
        )
        empty = [path for path, count in counts.items() if not count]
        assert not empty, f"{domain}: generated test files without tests: {empty}"


@pytest.mark.slow
def test_rendered_tests_per_domain(
    synced_project: Path, run_in_project: Runner, report: Callable[[str], None]
) -> None:
    version = read_answers(synced_project)["python_version"]
    _tests_per_domain(synced_project, f"default, py{version}", run_in_project, report)


@pytest.mark.slow
def test_answer_set_tests_per_domain(
    answer_set_sync: tuple[str, Path, Run], run_in_project: Runner, report: Callable[[str], None]
) -> None:
    case, project, sync = answer_set_sync
    if sync.failure:
        pytest.fail(sync.describe(project), pytrace=False)
    _tests_per_domain(project, case, run_in_project, report)


# --- names: a domain or field may be called like anything the generated code binds ----------------

# Domains of the colliding-names answer: enough to name them after the most-bound identifiers,
# few enough that the render's suite stays a few minutes.
COLLIDING_DOMAIN_COUNT = 6
# The rendered suite's tests parametrized per field. With hundreds of fields they would be
# thousands of tests; every field still goes through create, get, update, the queries, the views
# and the audit trail in the others, and through lint and mypy.
PER_FIELD_TESTS = (
    "each_field",
    "wrong_shape",
    "rules_refuse",
    "missing_required",
    "clears_the_optional",
    "only_the_field_sent",
)


@pytest.fixture(scope="session")
def colliding_names_answer(
    answer_set_render: tuple[str, Path], report: Callable[[str], None]
) -> dict[str, object]:
    """A `domains` answer named after what the every-field-type render's generated code binds."""
    case, probe = answer_set_render
    assert case == "every-field-type"
    every_field_type = yaml.safe_load(EVERY_FIELD_TYPE_DOMAINS)
    identifiers = generated_identifiers(probe, domain_marks(every_field_type))
    domains = colliding_domains(identifiers, COLLIDING_DOMAIN_COUNT)
    report(
        f"identifier collisions: {len(identifiers)} identifiers bound by the generated code; "
        f"{field_count(domains)} of them fields of {len(domains)} domains named "
        f"{', '.join(domains)}"
    )
    return domains


def test_colliding_names_answer_is_accepted_and_covers_every_field_type(
    colliding_names_answer: dict[str, object],
) -> None:
    ext = domains_extension()
    assert ext.domain_problem(colliding_names_answer) == ""
    kinds = {
        (field["type"], field["optional"])
        for domain in ext.normalise(colliding_names_answer)
        for field in domain["fields"]
    }
    assert len(field_kinds()) == len(kinds) == 2 * (len(ext.FIELD_TYPES) + 2)  # + enum, ref
    # Names the first wave refused or broke on are among them.
    fields = {name for spec in colliding_names_answer.values() for name in spec["fields"]}
    assert {"order", "params", "nullable", "errors", "filter", "date", "scalars"} <= fields


# Business words a sales team names its first domains after (issue 20): most are also names the
# generated code uses (modules, classes), the rest ordinary words it must take as well.
BUSINESS_WORDS = (
    "order",
    "query",
    "event",
    "page",
    "request",
    "role",
    "email",
    "money",
    "rule",
    "text",
    "name",
    "delegate",
    "session",
    "token",
    "key",
    "item",
    "status",
    "type",
    "match",
    "owner",
    "reference",
    "filter",
    "model",
    "bus",
    "decimal",
)
# The generated tests run for each of the hundred-odd domains named after the code's own names:
# one row's whole life through the API and the bus (create, read, the views, the audit trail with
# its change and deletion) and the references between them. The rest (access rules, per-field
# rules, paging) run in the every-field-type render: their code does not differ by name.
DOMAIN_NAME_TESTS = (
    "create_then_get or audit_trail or delete_then_not_found or view_names_the_owner "
    "or admin_view or refused_or_cascades or each_audited"
)


@pytest.fixture(scope="session")
def domain_names_answer(
    answer_set_render: tuple[str, Path], report: Callable[[str], None]
) -> dict[str, object]:
    """A `domains` answer with a domain named after every module and class the every-field-type
    render's generated code defines or imports (those the validator accepts), and the business
    words above; some reference others, so the code naming another domain is covered."""
    case, probe = answer_set_render
    assert case == "every-field-type"
    marks = domain_marks(yaml.safe_load(EVERY_FIELD_TYPE_DOMAINS))
    found = names_a_domain_could_take(probe, marks)
    domains = accepted_domain_names(found | set(BUSINESS_WORDS))
    names = sorted(domains)
    # Each of every seventh domain references the next one, so their code names another domain
    # (imports its bus, checks its rows) whatever the two are called.
    for index in range(0, len(names) - 1, 7):
        domains[names[index]]["fields"]["ref_next"] = {"ref": names[index + 1]}
    report(
        f"domain names: {len(found)} module and class names in the generated code, "
        f"{len(domains)} domains rendered (with the business words); refused: "
        f"{', '.join(sorted(found - set(domains)))}"
    )
    return domains


def test_business_words_and_the_codes_own_names_are_accepted_as_domains(
    domain_names_answer: dict[str, object],
) -> None:
    ext = domains_extension()
    assert ext.domain_problem(domain_names_answer) == ""
    assert set(BUSINESS_WORDS) <= set(domain_names_answer)
    # Names the generated code binds as modules or classes, refused by the first waves.
    assert {"page", "event", "errs", "types", "uuid", "sqldb", "delegate", "query"} <= set(
        domain_names_answer
    )


@pytest.mark.slow
def test_domains_named_after_the_codes_own_names_lint_type_check_and_pass(
    domain_names_answer: dict[str, object],
    tmp_path_factory: pytest.TempPathFactory,
    run_in_project: Runner,
    report: Callable[[str], None],
) -> None:
    started = time.perf_counter()
    project = tmp_path_factory.mktemp("domain-names") / "project"
    render(project, {"domains": yaml.safe_dump(domain_names_answer)})
    report(f"{'render [domain-names]':<40} {time.perf_counter() - started:7.1f}s  ok")
    assert find_unrendered(project) == []
    run_in_project(project, UV_SYNC, timeout=SYNC_TIMEOUT, label=f"{shlex.join(UV_SYNC)} [domains]")
    for target in ("lint", "typecheck"):
        run_in_project(
            project, ["make", target], timeout=1800, label=f"make {target} [domain-names]"
        )
    files = generated_test_files(read_answers(project)["domains"])
    paths = [path for domain_files in files.values() for path in domain_files]
    command = ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", "-k", DOMAIN_NAME_TESTS]
    run = run_in_project(project, [*command, *paths], timeout=3600, label="pytest [domain-names]")
    report(f"rendered domain tests [domain-names]: {_pytest_summary(run)}")


@pytest.fixture(scope="session")
def colliding_names_project(
    colliding_names_answer: dict[str, object],
    tmp_path_factory: pytest.TempPathFactory,
    run_in_project: Runner,
    report: Callable[[str], None],
) -> Path:
    started = time.perf_counter()
    project = tmp_path_factory.mktemp("colliding-names") / "project"
    render(project, {"domains": yaml.safe_dump(colliding_names_answer)})
    report(f"{'render [colliding-names]':<40} {time.perf_counter() - started:7.1f}s  ok")
    run_in_project(project, UV_SYNC, timeout=SYNC_TIMEOUT, label=f"{shlex.join(UV_SYNC)} [names]")
    return project


@pytest.mark.slow
def test_colliding_names_render_lints_type_checks_and_passes_its_domain_tests(
    colliding_names_project: Path, run_in_project: Runner, report: Callable[[str], None]
) -> None:
    project = colliding_names_project
    assert find_unrendered(project) == []
    for target in ("lint", "typecheck"):
        run_in_project(project, ["make", target], label=f"make {target} [colliding-names]")
    files = generated_test_files(read_answers(project)["domains"])
    paths = [path for domain_files in files.values() for path in domain_files]
    deselect = " and ".join(f"not {name}" for name in PER_FIELD_TESTS)
    command = ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", "-k", deselect, *paths]
    run = run_in_project(project, command, label="pytest [colliding-names]")
    report(f"rendered domain tests [colliding-names]: {_pytest_summary(run)}")
