"""The JSON audit row of GET /v1/audits.

camelCase on the wire like every other model of this API; the reference answered audits alone in
snake_case (obj_id, obj_domain, actor_id, ...).
"""

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from acme_sales.business.domain import auditbus


class Audit(msgspec.Struct, frozen=True, rename="camel"):
    id: UUID
    obj_id: UUID
    obj_domain: str
    obj_name: str
    actor_id: UUID | None  # null for a system action (admin tool, ...)
    action: str
    data: dict[str, Any] | None  # the change as a JSON object, not a string holding one
    message: str
    timestamp: datetime


def to_app_audit(audit: auditbus.Audit) -> Audit:
    return Audit(
        id=audit.id,
        obj_id=audit.obj_id,
        obj_domain=audit.obj_domain,
        obj_name=audit.obj_name,
        actor_id=audit.actor_id,
        action=str(audit.action),
        data=audit.data,
        message=audit.message,
        timestamp=audit.timestamp,
    )
