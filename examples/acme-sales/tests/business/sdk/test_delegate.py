"""The delegate: handlers in registration order, the first error stops them, registered once."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import asyncpg
import pytest

from acme_sales.business.sdk.delegate import Delegate, Event, Handler


class NoQueries:
    """A querier for events whose handlers never query."""

    async def execute(self, query: str, *args: object) -> str:
        raise AssertionError("no queries expected")

    async def fetch(self, query: str, *args: object) -> list[asyncpg.Record]:
        raise AssertionError("no queries expected")

    async def fetchrow(self, query: str, *args: object) -> asyncpg.Record | None:
        raise AssertionError("no queries expected")


@dataclass(frozen=True)
class Deleted:
    thing_id: uuid.UUID


def deleted(thing_id: uuid.UUID | None = None) -> Event:
    return Event("thing", "deleted", Deleted(thing_id or uuid.uuid4()), NoQueries())


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Event]] = []

    def handler(self, name: str, *, fail: bool = False) -> Handler:
        """A handler recording each call under `name` (also its name in error notes)."""

        async def handle(event: Event) -> None:
            self.calls.append((name, event))
            if fail:
                raise RuntimeError(f"{name} failed")

        handle.__qualname__ = name
        return handle


async def test_handlers_run_in_registration_order_with_the_event() -> None:
    delegate, seen = Delegate(), Recorder()
    for name in ("first", "second", "third"):
        delegate.register("thing", "deleted", seen.handler(name))
    event = deleted()

    await delegate.call(event)

    assert seen.calls == [("first", event), ("second", event), ("third", event)]


async def test_only_the_handlers_of_the_events_domain_and_action_run() -> None:
    delegate, seen = Delegate(), Recorder()
    delegate.register("thing", "deleted", seen.handler("deleted"))
    delegate.register("thing", "created", seen.handler("created"))
    delegate.register("other", "deleted", seen.handler("other"))

    await delegate.call(deleted())

    assert [name for name, _ in seen.calls] == ["deleted"]


async def test_an_event_nobody_handles_is_fine() -> None:
    await Delegate().call(deleted())


async def test_the_first_error_stops_the_rest_and_propagates_naming_its_handler() -> None:
    delegate, seen = Delegate(), Recorder()
    delegate.register("thing", "deleted", seen.handler("first"))
    delegate.register("thing", "deleted", seen.handler("broken", fail=True))
    delegate.register("thing", "deleted", seen.handler("never"))

    with pytest.raises(RuntimeError) as raised:
        await delegate.call(deleted())

    assert str(raised.value) == "broken failed"  # the handler's own error, unwrapped
    assert [name for name, _ in seen.calls] == ["first", "broken"]
    assert raised.value.__notes__ == ["raised by delegate handler broken for thing/deleted"]


def test_a_handler_is_registered_once() -> None:
    delegate, seen = Delegate(), Recorder()
    handler = seen.handler("only")
    delegate.register("thing", "deleted", handler)

    with pytest.raises(
        ValueError,
        match=re.escape(
            "only is already registered for thing/deleted; "
            "register handlers once, when wiring the service"
        ),
    ):
        delegate.register("thing", "deleted", handler)

    assert delegate.handlers("thing", "deleted") == (handler,)


def test_the_same_handler_may_serve_several_events() -> None:
    delegate, seen = Delegate(), Recorder()
    handler = seen.handler("shared")
    delegate.register("thing", "deleted", handler)
    delegate.register("thing", "created", handler)

    assert delegate.handlers("thing", "created") == delegate.handlers("thing", "deleted")


def test_params_as_gives_the_documented_params() -> None:
    thing_id = uuid.uuid4()

    assert deleted(thing_id).params_as(Deleted) == Deleted(thing_id)


def test_params_as_refuses_other_params() -> None:
    with pytest.raises(TypeError, match=r"^thing/deleted carries Deleted, not int$"):
        deleted().params_as(int)
