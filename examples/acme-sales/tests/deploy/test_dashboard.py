"""Every metric the Grafana dashboard queries is in a real scrape of the running services.

The dashboard (deploy/observability/grafana/dashboards/service.json) is what operators look at;
a panel whose metric the services never export shows "No data" forever, and nobody notices until
the day it matters. Both services run for real, serve a few requests (an authenticated one, a
refused one, an unknown route), and their debug ports are scraped.
"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from acme_sales.api.services.auth.config import DEFAULT_ISSUER, DEFAULT_TTL
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.business.domain.userbus import User
from acme_sales.business.types import Role
from acme_sales.foundation import sqldb
from acme_sales.foundation.keystore import KeyStore
from tests.support import running, services
from tests.support.users import new_user, user_bus

DASHBOARD = running.PROJECT_ROOT / "deploy/observability/grafana/dashboards/service.json"
# A metric name followed by its selector or range: `http_requests_total{...}`, `up[5m]`.
METRIC = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{\[]")


def prometheus_queries(dashboard: dict[str, Any]) -> list[str]:
    def panels(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for panel in items:
            yield panel
            yield from panels(panel.get("panels", []))

    return [
        target["expr"]
        for panel in panels(dashboard["panels"])
        for target in panel.get("targets", [])
        if (target.get("datasource") or panel.get("datasource") or {}).get("type") == "prometheus"
    ]


def scraped_names(url: str) -> set[str]:
    text = httpx.get(f"{url}/metrics", timeout=10).text
    return {
        sample.name for family in text_string_to_metric_families(text) for sample in family.samples
    }


@pytest.fixture(scope="module")
def keys_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return services.write_signing_key(tmp_path_factory.mktemp("keys"))


@pytest.fixture
async def admin(db_pool: asyncpg.Pool[asyncpg.Record]) -> User:
    return await user_bus(db_pool).create(new_user(0, Role.ADMIN), actor_id=None)


def test_every_dashboard_metric_is_exported(
    db_config: sqldb.DBConfig, keys_folder: Path, admin: User, tmp_path: Path
) -> None:
    queries = prometheus_queries(json.loads(DASHBOARD.read_text(encoding="utf-8")))
    wanted = {name for query in queries for name in METRIC.findall(query)}
    assert len(wanted) >= 10, f"found too few metrics in the dashboard: {sorted(wanted)}"

    tokens = TokenService(KeyStore.load_folder(keys_folder), issuer=DEFAULT_ISSUER, ttl=DEFAULT_TTL)
    token = tokens.generate(
        services.KID, admin.id, ["ADMIN"], credentials=admin.credentials_version
    )
    with running.both(db_config, keys_folder, tmp_path) as (sales, auth):
        users = f"{sales.api_url}/v1/users"
        assert httpx.get(users, headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert httpx.get(users, headers={"Authorization": "Bearer forged"}).status_code == 401
        assert httpx.get(f"{sales.api_url}/nowhere").status_code == 404
        exported = scraped_names(sales.debug_url) | scraped_names(auth.debug_url)

    missing = sorted(wanted - exported)
    assert not missing, f"the dashboard queries metrics no service exports: {missing}"
