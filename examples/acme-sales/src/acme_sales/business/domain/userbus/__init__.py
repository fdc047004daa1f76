"""The user domain: who can sign in, with which roles.

`UserBus` holds the rules and depends only on the `UserStorer` protocol; `stores.userdb.UserDB` is
the Postgres implementation. The api layer builds one and hands it to the other. The fields users
can be ordered by are in `userbus.order`.
"""

from acme_sales.business.domain.userbus import order
from acme_sales.business.domain.userbus.bus import (
    DEFAULT_BCRYPT_COST,
    AuthenticationFailedError,
    DuplicateEmailError,
    UserBus,
    UserNotFoundError,
    UserStorer,
)
from acme_sales.business.domain.userbus.filter import UserFilter
from acme_sales.business.domain.userbus.model import NewUser, UpdateUser, User

__all__ = [
    "DEFAULT_BCRYPT_COST",
    "AuthenticationFailedError",
    "DuplicateEmailError",
    "NewUser",
    "UpdateUser",
    "User",
    "UserBus",
    "UserFilter",
    "UserNotFoundError",
    "UserStorer",
    "order",
]
