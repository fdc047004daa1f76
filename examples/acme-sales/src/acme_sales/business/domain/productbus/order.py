"""The fields products can be ordered by; the store maps each to a column.

One constant per field, named after it in capitals: the module holds nothing else, so a field
may be called anything.
"""

from typing import Final

ID: Final = "id"
USER_ID: Final = "user_id"
NAME: Final = "name"
COST: Final = "cost"
QUANTITY: Final = "quantity"
DATE_CREATED: Final = "date_created"
