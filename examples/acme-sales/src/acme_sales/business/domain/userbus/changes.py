"""Changes to stored users, announced to every process that keeps user state.

Every update and delete of a user notifies the Postgres channel CHANNEL with the user's id, in the
transaction of the change: Postgres delivers it when (and only if) the change commits, to every
session listening, so a cache of user state in any worker of any replica drops the entry then
(see app/sdk/auth/users.py).
"""

CHANNEL = "users_changed"
