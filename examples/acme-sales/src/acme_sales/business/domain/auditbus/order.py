"""The fields audits can be ordered by (`auditbus.order.OBJ_ID`, ...): each maps to a column."""

from typing import Final

from acme_sales.business.sdk.order import Direction, OrderBy

OBJ_ID: Final = "obj_id"
OBJ_DOMAIN: Final = "obj_domain"
OBJ_NAME: Final = "obj_name"
ACTOR_ID: Final = "actor_id"
ACTION: Final = "action"
TIMESTAMP: Final = "timestamp"

# What `business.sdk.order.parse` is given as `allowed`.
FIELDS: Final = (OBJ_ID, OBJ_DOMAIN, OBJ_NAME, ACTOR_ID, ACTION, TIMESTAMP)

# As the reference: by object, and (the store's tie-break) each object's history in time order.
DEFAULT: Final = OrderBy(OBJ_ID, Direction.ASC)
