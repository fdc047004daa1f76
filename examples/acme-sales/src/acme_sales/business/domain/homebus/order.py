"""The fields homes can be ordered by; the store maps each to a column."""

from typing import Final

from acme_sales.business.sdk.order import Direction, OrderBy

ID: Final = "id"
USER_ID: Final = "user_id"
TYPE: Final = "type"
ADDRESS1: Final = "address1"
ADDRESS2: Final = "address2"
ZIP_CODE: Final = "zip_code"
CITY: Final = "city"
STATE: Final = "state"
COUNTRY: Final = "country"
DATE_CREATED: Final = "date_created"

# What `business.sdk.order.parse` is given as `allowed`.
FIELDS: Final = (
    ID,
    USER_ID,
    TYPE,
    ADDRESS1,
    ADDRESS2,
    ZIP_CODE,
    CITY,
    STATE,
    COUNTRY,
    DATE_CREATED,
)
DEFAULT: Final = OrderBy(ID, Direction.ASC)
