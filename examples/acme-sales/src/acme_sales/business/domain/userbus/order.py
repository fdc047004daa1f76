"""The fields users can be ordered by (`userbus.order.NAME`, ...); a store maps each to a column."""

from typing import Final

from acme_sales.business.sdk.order import Direction, OrderBy

ID: Final = "id"
NAME: Final = "name"
EMAIL: Final = "email"
ROLES: Final = "roles"
ENABLED: Final = "enabled"
CREATED: Final = "created"

# What `business.sdk.order.parse` is given as `allowed`.
FIELDS: Final = (ID, NAME, EMAIL, ROLES, ENABLED, CREATED)

DEFAULT: Final = OrderBy(ID, Direction.ASC)
