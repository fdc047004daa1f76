"""A clock for tests that need distinct, predictable times."""

from datetime import UTC, datetime, timedelta


class TickingClock:
    """Each call returns a time `step` later than the call before, starting at `start`."""

    def __init__(
        self,
        start: datetime = datetime(2024, 1, 1, tzinfo=UTC),
        step: timedelta = timedelta(seconds=1),
    ) -> None:
        self.next = start
        self.step = step

    def __call__(self) -> datetime:
        now = self.next
        self.next += self.step
        return now
