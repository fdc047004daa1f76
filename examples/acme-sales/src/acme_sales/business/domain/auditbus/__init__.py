"""The audit domain: who changed which business object, when, and how.

Other domains write through `AuditBus.create`, inside the transaction of the change they record
(see UserBus), so a change and its audit row are committed together or not at all. Rows are only
ever added. The fields audits can be ordered by are in `auditbus.order`.
"""

from acme_sales.business.domain.auditbus import order
from acme_sales.business.domain.auditbus.bus import AuditBus, AuditStorer
from acme_sales.business.domain.auditbus.filter import AuditFilter
from acme_sales.business.domain.auditbus.model import (
    Action,
    Audit,
    JSONObject,
    NewAudit,
)

__all__ = [
    "Action",
    "Audit",
    "AuditBus",
    "AuditFilter",
    "AuditStorer",
    "JSONObject",
    "NewAudit",
    "order",
]
