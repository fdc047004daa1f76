"""The home domain: homes owned by users.

`HomeBus` holds the rules and depends only on the `HomeStorer` protocol;
`stores.homedb.HomeDB` is the Postgres implementation.
"""

from acme_sales.business.domain.homebus import order
from acme_sales.business.domain.homebus.bus import (
    HomeBus,
    HomeNotFoundError,
    HomeStorer,
    OwnerDisabledError,
    OwnerNotFoundError,
)
from acme_sales.business.domain.homebus.filter import HomeFilter
from acme_sales.business.domain.homebus.model import (
    Home,
    HomeTypeChoice,
    HomeView,
    NewHome,
    UpdateHome,
)

__all__ = [
    "Home",
    "HomeBus",
    "HomeFilter",
    "HomeNotFoundError",
    "HomeStorer",
    "HomeTypeChoice",
    "HomeView",
    "NewHome",
    "OwnerDisabledError",
    "OwnerNotFoundError",
    "UpdateHome",
    "order",
]
