"""One trace per request, from the sales edge through the auth service down to each SQL
statement, exported over real OTLP to a receiver run by the test; both services' log lines for
the request carry its trace id."""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import json
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from acme_sales.api.services.auth.config import DEFAULT_ISSUER, DEFAULT_TTL
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.app.sdk.mid.logging import TRACE_ID_HEADER
from acme_sales.business.domain.userbus import User
from acme_sales.business.types import Role
from acme_sales.foundation import sqldb
from acme_sales.foundation.keystore import KeyStore
from tests.support import otlp, running, services
from tests.support.otlp import ReceivedSpan, children, descendants
from tests.support.users import new_user, user_bus

SQL_TEXT = ("db.statement", "db.query.text")
SQL_PARAMETERS = ("db.statement.parameters", "db.query.parameter")
REMOTE = {"SALES_AUTH_MODE": "remote"}  # the auth mode whose requests cross both services


@pytest.fixture
async def user(db_pool: asyncpg.Pool[asyncpg.Record]) -> User:
    return await user_bus(db_pool).create(new_user(0, Role.USER), actor_id=None)


@pytest.fixture
async def admin(db_pool: asyncpg.Pool[asyncpg.Record]) -> User:
    return await user_bus(db_pool).create(new_user(1, Role.ADMIN), actor_id=None)


def bearer(user: User, keys_folder: Path) -> dict[str, str]:
    tokens = TokenService(KeyStore.load_folder(keys_folder), issuer=DEFAULT_ISSUER, ttl=DEFAULT_TTL)
    roles = [str(role) for role in user.roles]
    token = tokens.generate(services.KID, user.id, roles, credentials=user.credentials_version)
    return {"Authorization": f"Bearer {token}"}


def exporting_to(endpoint: str, protocol: str) -> dict[str, str]:
    """The standard OpenTelemetry variables: every trace recorded, in batches sent every 100 ms."""
    return {
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_EXPORTER_OTLP_PROTOCOL": protocol,
        "OTEL_TRACES_SAMPLER": "parentbased_always_on",
        "OTEL_BSP_SCHEDULE_DELAY": "100",
    }


@pytest.fixture
def both_services(
    db_config: sqldb.DBConfig, keys_folder: Path, tmp_path: Path
) -> Iterator[tuple[running.Process, running.Process, otlp.Spans]]:
    """Auth and sales as real processes, both exporting to one OTLP/HTTP receiver; the sales
    service in remote auth mode, whose requests cross both services."""
    with otlp.http_receiver() as (endpoint, spans):
        env = exporting_to(endpoint, "http/protobuf")
        with running.both(db_config, keys_folder, tmp_path, env=env, sales_env=REMOTE) as pair:
            sales, auth = pair
            yield sales, auth, spans


def test_one_trace_from_the_edge_to_each_sql_statement(
    both_services: tuple[running.Process, running.Process, otlp.Spans],
    user: User,
    keys_folder: Path,
) -> None:
    sales, auth, spans = both_services
    response = httpx.get(
        f"{sales.api_url}/v1/users/{user.id}", headers=bearer(user, keys_folder), timeout=10
    )
    assert response.status_code == 200
    trace_id = response.headers[TRACE_ID_HEADER]
    route = "GET /v1/users/{user_id}"
    # Both auth calls' server spans too: each service exports in batches of its own.
    trace = spans.wait_for(
        trace_id,
        services={"sales", "auth"},
        named={route, "GET /v1/auth/authenticate", "POST /v1/auth/authorize"},
    )
    print("\n" + render_tree(trace))  # shown with -s: the tree a collector would display

    # One root: the sales service's server span, named after the route template.
    [root] = [span for span in trace if not span.parent_id]
    assert (root.service, root.kind, root.name) == ("sales", "server", route)
    assert root.attributes["http.route"] == "/v1/users/{user_id}"
    # Every other span hangs off a span of the same trace.
    ids = {span.span_id for span in trace}
    assert all(span.parent_id in ids for span in trace if span is not root)

    # Each auth call is a client span of sales, continued by the auth service's server span.
    calls = {span.name: span for span in children(trace, root) if span.kind == "client"}
    assert set(calls) == {"authclient.authenticate", "authclient.authorize"}
    continued = {
        call: [(span.service, span.kind, span.name) for span in children(trace, client)]
        for call, client in calls.items()
    }
    assert continued == {
        "authclient.authenticate": [("auth", "server", "GET /v1/auth/authenticate")],
        "authclient.authorize": [("auth", "server", "POST /v1/auth/authorize")],
    }

    # The business call, then its SQL: statement text, never the parameters' values.
    [lookup] = [span for span in children(trace, root) if span.name == "userbus.query_by_id"]
    statements = [sql_text(span) for span in children(trace, lookup)]
    assert [text for text in statements if "FROM users" in text and "$1" in text]
    sql = [span for span in trace if sql_text(span)]
    assert {span.service for span in sql} == {"sales", "auth"}  # auth looks the user up too
    assert not [span for span in sql if set(span.attributes) & set(SQL_PARAMETERS)]
    assert str(user.id) not in json.dumps([span.attributes for span in sql])

    # Both services' log lines for the request carry the trace id.
    assert logged_trace_ids(sales, f"/v1/users/{user.id}") == {trace_id}
    assert logged_trace_ids(auth, "/v1/auth/authenticate") == {trace_id}
    assert logged_trace_ids(auth, "/v1/auth/authorize") == {trace_id}


def test_a_transaction_holds_its_statements(
    both_services: tuple[running.Process, running.Process, otlp.Spans],
    admin: User,
    keys_folder: Path,
) -> None:
    sales, _, spans = both_services
    response = httpx.post(
        f"{sales.api_url}/v1/users",
        json={
            "name": "Traced User",
            "email": "traced@example.com",
            "roles": ["USER"],
            "password": "traced-password",
            "passwordConfirm": "traced-password",
        },
        headers=bearer(admin, keys_folder),
        timeout=10,
    )
    assert response.status_code == 201, response.text
    trace = spans.wait_for(
        response.headers[TRACE_ID_HEADER], services={"sales"}, named="POST /v1/users"
    )
    [create] = [span for span in trace if span.name == "userbus.create"]
    [transaction] = [span for span in children(trace, create) if span.name == "sqldb.transaction"]
    statements = [" ".join(sql_text(span).split()) for span in descendants(trace, transaction)]
    assert "BEGIN;" in statements
    assert [s for s in statements if s.startswith("INSERT INTO users")]
    # The audit row (auditbus.create, inside) commits with the user, or not at all.
    assert [s for s in statements if s.startswith("INSERT INTO audit")]
    assert "COMMIT;" in statements


def test_query_values_never_reach_a_span(
    both_services: tuple[running.Process, running.Process, otlp.Spans],
    user: User,
    keys_folder: Path,
) -> None:
    sales, _, spans = both_services
    response = httpx.get(
        f"{sales.api_url}/v1/users",
        params={"email": "someone.private@example.com", "page": "1"},
        headers=bearer(user, keys_folder),
        timeout=10,
    )
    assert response.status_code == 403  # users may not list users: traced all the same
    trace = spans.wait_for(
        response.headers[TRACE_ID_HEADER], services={"sales"}, named="GET /v1/users"
    )
    assert "someone.private" not in json.dumps([span.attributes for span in trace])


def test_a_callers_trace_is_continued(
    both_services: tuple[running.Process, running.Process, otlp.Spans],
    user: User,
    keys_folder: Path,
) -> None:
    sales, _, spans = both_services
    caller_trace, caller_span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    response = httpx.get(
        f"{sales.api_url}/v1/users/{user.id}",
        headers={**bearer(user, keys_folder), "traceparent": f"00-{caller_trace}-{caller_span}-01"},
        timeout=10,
    )
    assert response.headers[TRACE_ID_HEADER] == caller_trace
    trace = spans.wait_for(
        caller_trace, services={"sales", "auth"}, named="GET /v1/users/{user_id}"
    )
    [root] = [span for span in trace if span.parent_id == caller_span]
    assert root.kind == "server"


def test_probes_are_never_traced(
    both_services: tuple[running.Process, running.Process, otlp.Spans],
) -> None:
    sales, _, spans = both_services
    for path in ("/v1/liveness", "/v1/readiness"):
        response = httpx.get(f"{sales.api_url}{path}", timeout=5)
        assert response.status_code == 200
    # A request that is traced, sent after the probes: once it has arrived, so would they have.
    traced = httpx.get(f"{sales.api_url}/nowhere", timeout=5)
    spans.wait_for(traced.headers[TRACE_ID_HEADER], services={"sales"}, named="GET")
    assert not [span for span in spans.received if "liveness" in json.dumps(span.attributes)]
    assert not [span for span in spans.received if "readiness" in json.dumps(span.attributes)]


def test_grpc_is_spoken_too(db_config: sqldb.DBConfig, tmp_path: Path) -> None:
    with (
        otlp.grpc_receiver() as (endpoint, spans),
        running.running(
            "acme_sales.api.services.sales",
            prefix="SALES",
            db=db_config,
            log_path=tmp_path / "sales.log",
            env=exporting_to(endpoint, "grpc"),
        ) as sales,
    ):
        response = httpx.get(f"{sales.api_url}/nowhere", timeout=5)
        assert response.status_code == 404
        [span] = spans.wait_for(response.headers[TRACE_ID_HEADER], services={"sales"}, named="GET")
    assert (span.service, span.kind, status_code(span)) == ("sales", "server", 404)


def status_code(span: ReceivedSpan) -> object:
    """The HTTP status, under the old or the new semantic conventions' name."""
    return span.attributes.get("http.status_code", span.attributes.get("http.response.status_code"))


def sql_text(span: ReceivedSpan) -> str:
    return next((str(span.attributes[key]) for key in SQL_TEXT if key in span.attributes), "")


def logged_trace_ids(service: running.Process, path: str) -> set[str]:
    lines = [json.loads(line) for line in service.log().splitlines() if line.startswith("{")]
    return {
        line["trace_id"]
        for line in lines
        if line.get("event") == "request completed" and line.get("path") == path
    }


def render_tree(trace: list[ReceivedSpan]) -> str:
    """The trace as an indented tree: `service kind name [statement]`."""

    def lines(span: ReceivedSpan, depth: int) -> Iterator[str]:
        statement = " ".join(sql_text(span).split())[:60]
        yield f"{'  ' * depth}{span.service} {span.kind} {span.name} {statement}".rstrip()
        for child in children(trace, span):
            yield from lines(child, depth + 1)

    ids = {span.span_id for span in trace}
    roots = [span for span in trace if span.parent_id not in ids]
    return "\n".join(line for root in roots for line in lines(root, 0))
