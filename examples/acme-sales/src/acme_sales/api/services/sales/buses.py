"""The sales service's business layer, built once when the app is wired.

Every domain in the `domains` answer has its bus here; a domain whose rows belong to users
receives the UserBus to check owners, and a domain with reference fields the stores of the
domains they reference (to check the rows exist) and a handler of their deletion.
"""

from dataclasses import dataclass

from acme_sales.business.domain import (
    auditbus,
    homebus,
    productbus,
    userbus,
)
from acme_sales.business.domain.auditbus.stores import auditdb
from acme_sales.business.domain.homebus.stores import homedb
from acme_sales.business.domain.productbus.stores import productdb
from acme_sales.business.domain.userbus.stores import userdb
from acme_sales.business.sdk import delegate

# Not the foundation's `sqldb`: that is also the store module of a domain called `sql`.
from acme_sales.foundation.sqldb import query


@dataclass(frozen=True)
class Buses:
    delegate: delegate.Delegate
    audits: auditbus.AuditBus
    users: userbus.UserBus
    products: productbus.ProductBus
    homes: homebus.HomeBus


def build(db: query.Querier) -> Buses:
    audits = auditbus.AuditBus(auditdb.AuditDB(db))
    # Cross-domain event handlers are registered on it below, once (business.sdk.delegate).
    events = delegate.Delegate()
    users = userbus.UserBus(userdb.UserDB(db), audit=audits, delegate=events)
    buses = Buses(
        delegate=events,
        audits=audits,
        users=users,
        products=productbus.ProductBus(productdb.ProductDB(db), users, audit=audits),
        homes=homebus.HomeBus(homedb.HomeDB(db), users, audit=audits),
    )
    # (domain, action, handler): the rows the database would delete with a user or a referenced
    # row are deleted first by their own domain, audited. One table, whatever the domain count.
    handlers: list[tuple[str, str, delegate.Handler]] = [
        (userbus.DOMAIN, userbus.ACTION_DELETING, buses.products.on_user_deleting),
        (userbus.DOMAIN, userbus.ACTION_DELETING, buses.homes.on_user_deleting),
    ]
    for domain, action, handler in handlers:
        events.register(domain, action, handler)
    return buses
