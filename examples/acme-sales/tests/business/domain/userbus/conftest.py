from __future__ import annotations

import asyncpg
import pytest

from acme_sales.business.domain.userbus import UserBus
from tests.support import users
from tests.support.clock import TickingClock


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock()


@pytest.fixture
def bus(db_pool: asyncpg.Pool[asyncpg.Record], clock: TickingClock) -> UserBus:
    """A UserBus on this test's own database; its clock ticks a second per reading."""
    return users.user_bus(db_pool, clock=clock)
