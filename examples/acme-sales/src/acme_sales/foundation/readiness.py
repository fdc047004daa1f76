"""The readiness check, the same on the API port (answered by each worker) and on the debug port
(answered by the supervisor): not draining, and Postgres answers a query on a one-connection pool
of its own, within the readiness deadline.

Not the service's main pool: when every one of its connections is busy (a slow report, a table
lock), the worker is busy, not broken; failing readiness then would take the pod out of the
load balancer and pile its traffic on the others, who are no less busy. Refusing work beyond a
bound is load shedding's job (see shedding.py); readiness says whether work can be done at all.
"""

import dataclasses

from acme_sales.foundation.drain import DrainFlag, DrainingError
from acme_sales.foundation.sqldb.config import DBConfig
from acme_sales.foundation.sqldb.database import Database


class ReadinessProbe:
    """Open it at startup, close it at shutdown; `check` raises when the service is not ready."""

    def __init__(self, db: DBConfig, drain: DrainFlag) -> None:
        self.db = Database(dataclasses.replace(db, pool_min_size=0, pool_max_size=1))
        self.drain = drain

    async def open(self) -> None:
        await self.db.open()

    async def close(self) -> None:
        await self.db.close()

    async def check(self) -> None:
        if self.drain.raised:
            raise DrainingError
        await self.db.status_check()
