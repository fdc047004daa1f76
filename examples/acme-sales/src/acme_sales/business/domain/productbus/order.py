"""The fields products can be ordered by; the store maps each to a column."""

from typing import Final

from acme_sales.business.sdk.order import Direction, OrderBy

ID: Final = "id"
USER_ID: Final = "user_id"
NAME: Final = "name"
COST: Final = "cost"
QUANTITY: Final = "quantity"
DATE_CREATED: Final = "date_created"

# What `business.sdk.order.parse` is given as `allowed`.
FIELDS: Final = (
    ID,
    USER_ID,
    NAME,
    COST,
    QUANTITY,
    DATE_CREATED,
)
DEFAULT: Final = OrderBy(ID, Direction.ASC)
