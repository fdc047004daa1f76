"""Querying users: each filter, each order both ways, and paging."""

import operator
from collections.abc import Callable
from typing import Any

import pytest

from acme_sales.business.domain.userbus import UpdateUser, User, UserBus, UserFilter
from acme_sales.business.domain.userbus import order as user_order
from acme_sales.business.sdk.order import Direction, OrderBy
from acme_sales.business.sdk.page import Page
from acme_sales.business.types import Email, Role
from tests.support.users import seed_users

EVERYONE = Page(1, 100)

# How Postgres sorts each order field, as Python sort keys (ties are broken by id).
SORT_KEYS: dict[str, Callable[[User], Any]] = {
    user_order.ID: operator.attrgetter("id"),
    user_order.NAME: lambda user: str(user.name),
    user_order.EMAIL: lambda user: str(user.email),
    user_order.ROLES: lambda user: [str(role) for role in user.roles],
    user_order.ENABLED: operator.attrgetter("enabled"),
    user_order.CREATED: operator.attrgetter("date_created"),
}


@pytest.fixture
async def population(bus: UserBus) -> list[User]:
    """Three admins then four users, created a second apart; varied in roles and enabled."""
    admins = await seed_users(bus, 3, Role.ADMIN)
    users = await seed_users(bus, 4, Role.USER)
    admins[1] = await bus.update(
        admins[1], UpdateUser(roles=(Role.ADMIN, Role.USER)), actor_id=None
    )
    users[0] = await bus.update(users[0], UpdateUser(enabled=False), actor_id=None)
    users[2] = await bus.update(users[2], UpdateUser(enabled=False, roles=()), actor_id=None)
    return admins + users


def in_order(users: list[User], field: str, direction: Direction = Direction.ASC) -> list[User]:
    by_id = sorted(users, key=operator.attrgetter("id"))
    # Python's sort is stable even when reversed, so ties stay in id order, as in the SQL.
    return sorted(by_id, key=SORT_KEYS[field], reverse=direction is Direction.DESC)


def test_every_order_field_has_a_sort_key_here() -> None:
    assert set(SORT_KEYS) == set(user_order.FIELDS)


async def test_no_filter_matches_everyone(bus: UserBus, population: list[User]) -> None:
    everyone = await bus.query(UserFilter(), user_order.DEFAULT, EVERYONE)

    assert everyone == in_order(population, user_order.ID)
    assert await bus.count(UserFilter()) == 7


FILTERS: dict[str, Callable[[list[User]], tuple[UserFilter, list[int]]]] = {
    "id": lambda people: (UserFilter(id=people[4].id), [4]),
    "name part, any case": lambda _: (UserFilter(name="ser a"), [3, 4, 5, 6]),
    "name part in two series": lambda _: (UserFilter(name="aB"), [1, 4]),
    "name matching no one": lambda _: (UserFilter(name="Gopher"), []),
    "whole email": lambda _: (UserFilter(email=Email.parse("admin.ac@example.com")), [2]),
    "email is not a pattern": lambda _: (UserFilter(email=Email.parse("admin.a@example.com")), []),
    "created from (inclusive)": lambda people: (
        UserFilter(start_created_date=people[5].date_created),
        [5, 6],
    ),
    "created until (inclusive)": lambda people: (
        UserFilter(end_created_date=people[1].date_created),
        [0, 1],
    ),
    "created between": lambda people: (
        UserFilter(
            start_created_date=people[2].date_created, end_created_date=people[4].date_created
        ),
        [2, 3, 4],
    ),
    "every condition holds": lambda people: (
        UserFilter(name="user", start_created_date=people[5].date_created),
        [5, 6],
    ),
}


@pytest.mark.parametrize("case", FILTERS.values(), ids=FILTERS.keys())
async def test_query_and_count_apply_the_filter(
    bus: UserBus,
    population: list[User],
    case: Callable[[list[User]], tuple[UserFilter, list[int]]],
) -> None:
    query_filter, matching = case(population)
    expected = in_order([population[index] for index in matching], user_order.ID)

    assert await bus.query(query_filter, user_order.DEFAULT, EVERYONE) == expected
    assert await bus.count(query_filter) == len(expected)


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("field", user_order.FIELDS)
async def test_query_orders_by_each_field_both_ways(
    bus: UserBus, population: list[User], field: str, direction: Direction
) -> None:
    found = await bus.query(UserFilter(), OrderBy(field, direction), EVERYONE)

    assert found == in_order(population, field, direction)


@pytest.mark.parametrize("rows", [1, 3, 7, 100])
async def test_pages_cover_every_user_once_in_order(
    bus: UserBus, population: list[User], rows: int
) -> None:
    order = OrderBy(user_order.NAME, Direction.DESC)
    pages = [
        await bus.query(UserFilter(), order, Page(number, rows))
        for number in range(1, len(population) // rows + 2)
    ]

    assert [len(page) for page in pages[:-1]] == [rows] * (len(pages) - 1)
    assert [user for page in pages for user in page] == in_order(
        population, user_order.NAME, Direction.DESC
    )
    assert await bus.query(UserFilter(), order, Page(len(pages) + 1, rows)) == []


async def test_paging_applies_after_the_filter(bus: UserBus, population: list[User]) -> None:
    admins = UserFilter(name="admin")

    second_page = await bus.query(admins, OrderBy(user_order.CREATED), Page(2, 2))

    assert second_page == [population[2]]
    assert await bus.count(admins) == 3
