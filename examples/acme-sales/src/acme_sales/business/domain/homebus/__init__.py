"""The home domain: homes owned by users.

`HomeBus` holds the rules and depends only on the `HomeStorer` protocol;
`stores.homedb.HomeDB` is the Postgres implementation.
"""

from acme_sales.business.domain.homebus import order
from acme_sales.business.domain.homebus.bus import (
    DisabledOwnerError,
    HomeBus,
    HomeNotFoundError,
    HomeStorer,
    UnknownOwnerError,
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
    "DisabledOwnerError",
    "Home",
    "HomeBus",
    "HomeFilter",
    "HomeNotFoundError",
    "HomeStorer",
    "HomeTypeChoice",
    "HomeView",
    "NewHome",
    "UnknownOwnerError",
    "UpdateHome",
    "order",
]
