"""The sales service's business wiring: every domain hears of users being deleted, once."""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import asyncpg

from acme_sales.api.services.sales import buses
from acme_sales.business.domain import userbus
from acme_sales.business.types import Role
from tests.support.users import new_user

DOMAINS: list[str] = [
    "products",
    "homes",
]


def test_each_domain_handles_user_deleting_once(db_pool: asyncpg.Pool[asyncpg.Record]) -> None:
    wired = buses.build(db_pool)
    handlers = wired.delegate.handlers(userbus.DOMAIN, userbus.ACTION_DELETING)
    assert [handler.__self__ for handler in handlers] == [  # type: ignore[attr-defined]
        getattr(wired, plural) for plural in DOMAINS
    ]


async def test_deleting_a_user_runs_every_handler_in_its_transaction(
    db_pool: asyncpg.Pool[asyncpg.Record],
) -> None:
    wired = buses.build(db_pool)
    heard: list[str] = []

    async def listener(event: object) -> None:
        heard.append("deleted")

    wired.delegate.register(userbus.DOMAIN, userbus.ACTION_DELETED, listener)
    user = await wired.users.create(new_user(0, Role.USER), actor_id=None)
    await wired.users.delete(user, actor_id=None)
    assert heard == ["deleted"]
