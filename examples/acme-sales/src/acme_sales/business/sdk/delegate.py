"""In-process domain events: one domain tells the others that something happened to its data.

A synchronous call, not an event bus: `call` runs each handler registered for the event's domain
and action, in registration order, and the first one to raise stops the rest and propagates to
the caller (the domain that made the change). Handlers are registered once, when the service is
wired; business objects never register anything themselves, so copies made with `with_querier`
(one per transaction) cannot pile up duplicate handlers as the reference's did.

    delegate = Delegate()
    delegate.register(userbus.DOMAIN, userbus.ACTION_DELETING, products.on_user_deleting)
    users = UserBus(UserDB(db), delegate=delegate)

    # in ProductBus:
    async def on_user_deleting(self, event: Event) -> None:
        deleting = event.params_as(userbus.UserDeleting)
        bus = self.with_querier(event.db)
        await bus._delete_rows(event.db, "user_id", [deleting.user_id], deleting.actor_id)

`event.db` is the querier the change ran through: a connection inside the change's transaction
when it has one (UserBus makes one for every change). A handler that writes through it, as above,
commits or rolls back with the change, and a handler that raises rolls the change back. A handler
that used its own bus on the pool instead would write outside that transaction, and would wait
forever on any row the uncommitted change has locked.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from acme_sales.foundation import sqldb
from acme_sales.foundation.logger import get_logger

P = TypeVar("P")

_log = get_logger(component="delegate")


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened in `domain`: `action` (such as "deleted"), with `params`."""

    domain: str
    action: str
    params: object  # the producing domain's own dataclass, such as userbus.UserDeleted
    db: sqldb.Querier  # where the change ran; inside its transaction when it has one

    def params_as(self, kind: type[P]) -> P:
        """`params`, checked to be the `kind` this event's producer documents."""
        if not isinstance(self.params, kind):
            raise TypeError(
                f"{self.domain}/{self.action} carries {type(self.params).__name__}, "
                f"not {kind.__name__}"
            )
        return self.params


Handler = Callable[[Event], Awaitable[None]]


class Delegate:
    """Handlers by (domain, action); shared by every business object of a service."""

    def __init__(self) -> None:
        self._handlers: dict[tuple[str, str], list[Handler]] = {}

    def register(self, domain: str, action: str, handler: Handler) -> None:
        """Run `handler` on every `domain`/`action` event, after those registered before it."""
        handlers = self._handlers.setdefault((domain, action), [])
        if handler in handlers:
            raise ValueError(
                f"{_describe(handler)} is already registered for {domain}/{action}; "
                "register handlers once, when wiring the service"
            )
        handlers.append(handler)

    def handlers(self, domain: str, action: str) -> tuple[Handler, ...]:
        """The handlers of `domain`/`action`, in the order they run."""
        return tuple(self._handlers.get((domain, action), ()))

    async def call(self, event: Event) -> None:
        """Run the event's handlers in order; the first error stops them and propagates."""
        handlers = self.handlers(event.domain, event.action)
        if not handlers:
            return
        _log.debug(
            "delegate call", domain=event.domain, action=event.action, handlers=len(handlers)
        )
        for handler in handlers:
            try:
                await handler(event)
            except Exception as err:
                err.add_note(
                    f"raised by delegate handler {_describe(handler)} "
                    f"for {event.domain}/{event.action}"
                )
                raise


def _describe(handler: Callable[..., Any]) -> str:
    return getattr(handler, "__qualname__", repr(handler))
