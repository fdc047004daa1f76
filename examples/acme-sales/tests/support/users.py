"""Users for tests: predictable new users, and a UserBus quick enough to store many of them."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from acme_sales.business.domain.auditbus import AuditBus
from acme_sales.business.domain.auditbus.stores.auditdb import AuditDB
from acme_sales.business.domain.userbus import NewUser, User, UserBus
from acme_sales.business.domain.userbus.stores.userdb import UserDB
from acme_sales.business.sdk.delegate import Delegate
from acme_sales.business.types import Email, Name, Password, Role
from acme_sales.foundation import sqldb

# bcrypt's minimum cost: a hash takes about a millisecond instead of a few hundred.
FAST_BCRYPT_COST: Final = 4

# Every seeded user's password.
PASSWORD: Final = "gophers-in-tests"


def new_user_json(**changes: Any) -> dict[str, Any]:
    """A valid body for `POST /v1/users` (no department), with `changes` applied."""
    body: dict[str, Any] = {
        "name": "Brand New",
        "email": "brand.new@example.com",
        "roles": ["USER"],
        "password": "correct horse battery",
        "passwordConfirm": "correct horse battery",
    }
    body.update(changes)
    return body


def user_bus(
    db: sqldb.Querier,
    *,
    clock: Callable[[], datetime] | None = None,
    delegate: Delegate | None = None,
) -> UserBus:
    """A UserBus on Postgres through `db`, auditing as the service does, hashing at the fast
    test cost."""
    audits = AuditBus(AuditDB(db))
    if clock is None:
        return UserBus(UserDB(db), audit=audits, delegate=delegate, bcrypt_cost=FAST_BCRYPT_COST)
    return UserBus(
        UserDB(db), audit=audits, delegate=delegate, bcrypt_cost=FAST_BCRYPT_COST, clock=clock
    )


def new_user(
    index: int,
    role: Role = Role.USER,
    *,
    prefix: str | None = None,
    department: str | None = None,
) -> NewUser:
    """User number `index` (0 to 675) of a series: "User Aa" <user.aa@example.com>, ...

    The series is `prefix`, by default the role's name ("Admin", "User"). Names of one series
    differ only in two letters of fixed case, so every database collation sorts them alike.
    """
    prefix = prefix or role.title()
    suffix = _suffix(index)
    return NewUser(
        name=Name.parse(f"{prefix} {suffix}"),
        email=Email.parse(f"{prefix.lower().replace(' ', '.')}.{suffix.lower()}@example.com"),
        roles=(role,),
        department=None if department is None else Name.parse(department),
        password=Password.parse(PASSWORD),
    )


async def seed_users(bus: UserBus, n: int, role: Role, *, prefix: str | None = None) -> list[User]:
    """Create users 0 to n-1 of the series (see new_user), one after another; return them."""
    # One at a time, so that with a ticking clock the creation order is the date order.
    return [
        await bus.create(new_user(index, role, prefix=prefix), actor_id=None) for index in range(n)
    ]


def _suffix(index: int) -> str:
    if not 0 <= index < 26 * 26:
        raise ValueError(f"a series has 676 users; {index} is out of range")
    first, second = divmod(index, 26)
    return chr(ord("A") + first) + chr(ord("a") + second)
