"""Writing audit rows and reading them back by filter, order and page."""

from __future__ import annotations

import uuid
from datetime import timedelta

import asyncpg
import pytest

from acme_sales.business.domain.auditbus import (
    Action,
    Audit,
    AuditBus,
    AuditFilter,
    NewAudit,
    order,
)
from acme_sales.business.domain.auditbus.stores.auditdb import AuditDB
from acme_sales.business.sdk.order import Direction, OrderBy
from acme_sales.business.sdk.page import Page
from tests.support.clock import TickingClock

ANN, BOB = uuid.uuid4(), uuid.uuid4()  # actors


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock()


@pytest.fixture
def audits(db_pool: asyncpg.Pool[asyncpg.Record], clock: TickingClock) -> AuditBus:
    return AuditBus(AuditDB(db_pool), clock=clock)


def new_audit(
    obj_id: uuid.UUID,
    *,
    domain: str = "user",
    name: str = "Ann Lee",
    actor: uuid.UUID | None = ANN,
    action: Action = Action.CREATED,
) -> NewAudit:
    return NewAudit(
        obj_id=obj_id,
        obj_domain=domain,
        obj_name=name,
        actor_id=actor,
        action=action,
        data={"name": name, "roles": ["USER"], "enabled": True, "department": None},
        message=f"{domain} {action}",
    )


async def everything(audits: AuditBus, query_filter: AuditFilter | None = None) -> list[Audit]:
    return await audits.query(query_filter or AuditFilter(), order.DEFAULT, Page(1, 100))


async def test_create_stamps_an_id_and_the_time_and_reads_back_the_same(
    audits: AuditBus, clock: TickingClock
) -> None:
    stamped_at = clock.next
    audit = await audits.create(new_audit(uuid.uuid4()))

    assert audit.id.version == 4
    assert audit.timestamp == stamped_at
    assert audit.data == {"name": "Ann Lee", "roles": ["USER"], "enabled": True, "department": None}
    assert await everything(audits) == [audit]


async def test_no_actor_and_no_data_are_kept_as_none(audits: AuditBus) -> None:
    audit = await audits.create(
        NewAudit(
            obj_id=uuid.uuid4(),
            obj_domain="user",
            obj_name="Gone",
            actor_id=None,
            action=Action.DELETED,
            message="user deleted",
        )
    )

    [stored] = await everything(audits)
    assert stored == audit
    assert (stored.actor_id, stored.data) == (None, None)


@pytest.fixture
async def trail(audits: AuditBus) -> list[Audit]:
    """Six rows a second apart: two objects' histories, by two actors, across two domains."""
    user, product = uuid.UUID(int=1), uuid.UUID(int=2)
    return [
        await audits.create(new_audit(user, name="Ann Lee", actor=None)),
        await audits.create(new_audit(product, domain="product", name="Anvil", actor=ANN)),
        await audits.create(new_audit(user, name="Ann Lee", action=Action.UPDATED, actor=ANN)),
        await audits.create(
            new_audit(product, domain="product", name="Anvil", action=Action.UPDATED, actor=BOB)
        ),
        await audits.create(new_audit(user, name="Ann Smith", action=Action.UPDATED, actor=BOB)),
        await audits.create(
            new_audit(product, domain="product", name="Anvil", action=Action.DELETED, actor=BOB)
        ),
    ]


FILTERS: dict[str, tuple[AuditFilter, list[int]]] = {
    "none": (AuditFilter(), [0, 2, 4, 1, 3, 5]),
    "obj_id": (AuditFilter(obj_id=uuid.UUID(int=2)), [1, 3, 5]),
    "obj_domain": (AuditFilter(obj_domain="user"), [0, 2, 4]),
    "obj_name part, any case": (AuditFilter(obj_name="SMI"), [4]),
    "obj_name literal %": (AuditFilter(obj_name="%"), []),
    "actor_id": (AuditFilter(actor_id=BOB), [4, 3, 5]),
    "action": (AuditFilter(action=Action.UPDATED), [2, 4, 3]),
    "all of them": (
        AuditFilter(obj_domain="product", actor_id=BOB, action=Action.DELETED),
        [5],
    ),
}


@pytest.mark.parametrize(("query_filter", "expected"), list(FILTERS.values()), ids=list(FILTERS))
async def test_query_and_count_apply_each_filter(
    audits: AuditBus, trail: list[Audit], query_filter: AuditFilter, expected: list[int]
) -> None:
    found = await everything(audits, query_filter)

    # The default order: by object, each object's history in time order.
    assert found == [trail[index] for index in expected]
    assert await audits.count(query_filter) == len(expected)


async def test_since_and_until_bound_the_time_inclusively(
    audits: AuditBus, trail: list[Audit]
) -> None:
    since, until = trail[1].timestamp, trail[3].timestamp

    found = await everything(audits, AuditFilter(since=since, until=until))

    assert {audit.id for audit in found} == {trail[1].id, trail[2].id, trail[3].id}


def test_since_and_until_must_carry_a_time_zone() -> None:
    naive = TickingClock().next.replace(tzinfo=None)

    with pytest.raises(ValueError, match="must carry a time zone"):
        AuditFilter(since=naive)


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        (OrderBy(order.TIMESTAMP, Direction.DESC), [5, 4, 3, 2, 1, 0]),
        (OrderBy(order.OBJ_NAME, Direction.DESC), [1, 3, 5, 4, 0, 2]),
        (OrderBy(order.ACTION), [0, 1, 5, 2, 3, 4]),
        (OrderBy(order.OBJ_DOMAIN), [1, 3, 5, 0, 2, 4]),
    ],
)
async def test_query_orders_by_the_field_then_by_time(
    audits: AuditBus, trail: list[Audit], order_by: OrderBy, expected: list[int]
) -> None:
    found = await audits.query(AuditFilter(), order_by, Page(1, 100))

    assert found == [trail[index] for index in expected]


async def test_query_pages(audits: AuditBus, trail: list[Audit]) -> None:
    by_time = OrderBy(order.TIMESTAMP)

    pages = [await audits.query(AuditFilter(), by_time, Page(n, 4)) for n in (1, 2, 3)]

    assert pages == [trail[:4], trail[4:], []]


async def test_timestamps_are_utc(audits: AuditBus, trail: list[Audit]) -> None:
    assert all(a.timestamp.utcoffset() == timedelta(0) for a in await everything(audits))
