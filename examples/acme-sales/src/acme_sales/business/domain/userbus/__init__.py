"""The user domain: who can sign in, with which roles.

`UserBus` holds the rules and depends only on the `UserStorer` protocol; `stores.userdb.UserDB` is
the Postgres implementation. The api layer builds one and hands it to the other. The fields users
can be ordered by are in `userbus.order`. Deleting a user raises the delegate events
DOMAIN/ACTION_DELETING ("user"/"deleting", UserDeleting: the rows that go with the user go
first, audited) and DOMAIN/ACTION_DELETED ("user"/"deleted", UserDeleted). Every update and
delete is announced on the Postgres channel `changes.CHANNEL` (see `changes`). The last enabled
admin cannot be demoted, disabled or deleted (LastAdminError): someone must be left to manage
users.
"""

from acme_sales.business.domain.userbus import changes, order
from acme_sales.business.domain.userbus.bus import (
    DEFAULT_BCRYPT_COST,
    AuthenticationFailedError,
    DuplicateEmailError,
    LastAdminError,
    UserBus,
    UserInUseError,
    UserNotFoundError,
    UserStorer,
)
from acme_sales.business.domain.userbus.event import (
    ACTION_DELETED,
    ACTION_DELETING,
    DOMAIN,
    UserDeleted,
    UserDeleting,
)
from acme_sales.business.domain.userbus.filter import UserFilter
from acme_sales.business.domain.userbus.model import NewUser, UpdateUser, User

__all__ = [
    "ACTION_DELETED",
    "ACTION_DELETING",
    "DEFAULT_BCRYPT_COST",
    "DOMAIN",
    "AuthenticationFailedError",
    "DuplicateEmailError",
    "LastAdminError",
    "NewUser",
    "UpdateUser",
    "User",
    "UserBus",
    "UserDeleted",
    "UserDeleting",
    "UserFilter",
    "UserInUseError",
    "UserNotFoundError",
    "UserStorer",
    "changes",
    "order",
]
