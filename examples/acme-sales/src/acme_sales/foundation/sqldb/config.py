"""Where the database is and how many connections the service may hold to it."""

import dataclasses
from datetime import timedelta

from acme_sales.foundation.config import masked, setting


@dataclasses.dataclass(frozen=True, repr=False)
class DBConfig:
    """Connection settings for one Postgres database (a group named `db` in a service config)."""

    user: str = setting("postgres", help="database user")
    password: str = setting("postgres", help="database user's password", secret=True)
    host: str = setting("localhost", help="database host name or address")
    port: int = setting(5432, help="database TCP port")
    name: str = setting("postgres", help="database name")
    pool_min_size: int = setting(2, help="connections kept open while the database answers")
    pool_max_size: int = setting(10, help="most connections open at once")
    tls: bool = setting(False, help="require TLS to the database (off only for local/dev)")
    connect_timeout: timedelta = setting(
        timedelta(seconds=5), help="how long one connection attempt may take"
    )
    statement_timeout: timedelta = setting(
        timedelta(seconds=5),
        help="longest a statement of a service may run (a lock held elsewhere, a slow plan); "
        "beyond it the request is answered 504. 0 for no limit. The admin tool has none",
    )
    pool_acquire_timeout: timedelta = setting(
        timedelta(seconds=2),
        help="longest a request waits for a connection (all in use, or a new one connecting); "
        "beyond it the request is answered 503. 0 for no limit",
    )

    def __repr__(self) -> str:
        # The dataclass repr would print the password into tracebacks and logs.
        fields = ", ".join(f"{name}={value!r}" for name, value in masked(self).items())
        return f"DBConfig({fields})"
