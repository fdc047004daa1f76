"""What authorization needs to know of a user now, cached per worker process.

A token says who its holder was when it was issued; whether that user still exists, is enabled,
has the same password and which roles they have is read here, so a demoted, disabled or deleted
user, or a changed password, takes effect at once rather than when the token expires. Entries
are dropped when the user changes (Postgres notifies every process: see userbus.changes and
foundation/sqldb/listen.py), and expire after `ttl` in any case, a safety net should a
notification be missed.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from acme_sales.business.domain.userbus import UserBus, UserNotFoundError


@dataclass(frozen=True, slots=True)
class UserState:
    """A user as authorization sees them."""

    enabled: bool
    roles: tuple[str, ...]
    credentials_version: str  # see userbus.User.credentials_version


class UserStates:
    """Users' current state by id: from the cache, else from the database."""

    def __init__(
        self,
        users: UserBus,
        *,
        ttl: float,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._users = users
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        self._entries: dict[UUID, tuple[UserState | None, float]] = {}
        # Counts the entries dropped: a read that began before a drop may have seen the old
        # state, so it is not cached (it is still returned: it was true when read).
        self._drops = 0

    async def get(self, user_id: UUID) -> UserState | None:
        """The user's state, or None when there is no such user."""
        cached = self._entries.get(user_id)
        if cached is not None and cached[1] > self._clock():
            return cached[0]
        drops = self._drops
        try:
            user = await self._users.query_by_id(user_id)
        except UserNotFoundError:
            state = None
        else:
            state = UserState(
                enabled=user.enabled,
                roles=tuple(str(role) for role in user.roles),
                credentials_version=user.credentials_version,
            )
        if drops == self._drops:
            self._entries.pop(user_id, None)  # re-added last: the order is age
            if len(self._entries) >= self._max_entries:
                del self._entries[next(iter(self._entries))]  # the oldest entry
            self._entries[user_id] = (state, self._clock() + self._ttl)
        return state

    def drop(self, user_id: UUID) -> None:
        """Forget one user (they changed)."""
        self._drops += 1
        self._entries.pop(user_id, None)

    def drop_all(self) -> None:
        """Forget everyone (changes may have been missed)."""
        self._drops += 1
        self._entries.clear()

    def changed(self, payload: str) -> None:
        """A notification from userbus.changes.CHANNEL: the payload is the user's id."""
        try:
            user_id = UUID(payload)
        except ValueError:
            self.drop_all()  # not ours to understand: forget everyone rather than risk it
            return
        self.drop(user_id)
