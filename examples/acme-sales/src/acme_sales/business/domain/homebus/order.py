"""The fields homes can be ordered by; the store maps each to a column.

One constant per field, named after it in capitals: the module holds nothing else, so a field
may be called anything.
"""

from typing import Final

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
