"""Hostile or broken input through the whole stack: each is a 4xx naming the field or the body
and the reason, never a 500, and nothing is written. (Per-field rules have their own tests.)"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import json

import asyncpg
import pytest

from acme_sales.business.domain.userbus import User
from acme_sales.business.types import Role
from tests.support.logs import CapturedLogs
from tests.support.services import Services
from tests.support.users import new_user, new_user_json

JSON = {"content-type": "application/json"}


def raw_user(**replaced: str) -> bytes:
    """The new user's body as JSON bytes, each `replaced` field's value spliced in raw."""
    text = json.dumps({**new_user_json(department="Shipping"), **dict.fromkeys(replaced, "@@")})
    for field, raw in replaced.items():
        text = text.replace(f'"{field}": "@@"', f'"{field}": {raw}', 1)
    return text.encode()


# The password's bytes are not UTF-8: the decoder's error would quote them.
INVALID_UTF8 = raw_user().replace(
    b'"password": "correct horse battery"', b'"password": "se\xffcret"', 1
)


@pytest.fixture
async def admin(api: Services) -> User:
    return await api.users.create(new_user(0, Role.ADMIN), actor_id=None)


async def users_stored(db_pool: asyncpg.Pool[asyncpg.Record]) -> int:
    return int(await db_pool.fetchval("SELECT count(*) FROM users"))


# case -> (body, headers beyond the token, status, {field: part of its error})
BODIES: dict[str, tuple[bytes, dict[str, str], int, dict[str, str]]] = {
    "invalid UTF-8 in a string": (INVALID_UTF8, JSON, 400, {"body": "not valid UTF-8"}),
    # Refused as nested too deeply where the decoder gives up (Python 3.11, 3.12), or for its
    # shape where it gets to the end (3.13): a 400 naming the body either way.
    "nested thousands deep": (b"[" * 5000 + b"]" * 5000, JSON, 400, {"body": ""}),
    "NUL in a text field": (
        raw_user(department='"Ship\\u0000ping"'),
        JSON,
        400,
        {"department": "NUL"},
    ),
    "NUL in a key": (raw_user()[:-1] + b', "x\\u0000": "y"}', JSON, 400, {"x\x00": "NUL"}),
    "plain text": (raw_user(), {"content-type": "text/plain"}, 415, {}),
    "no content type": (raw_user(), {}, 415, {}),
    "a form": (b"name=Brand+New", {"content-type": "application/x-www-form-urlencoded"}, 415, {}),
    "empty": (b"", JSON, 400, {"body": "a JSON body is required"}),
    "truncated": (b'{"name": "Brand', JSON, 400, {"body": "malformed JSON"}),
    "ten megabytes": (raw_user(department='"' + "a" * 10_000_000 + '"'), JSON, 413, {}),
}


@pytest.mark.parametrize("case", list(BODIES))
async def test_a_bad_body_is_refused_and_nothing_is_written(
    api: Services, admin: User, db_pool: asyncpg.Pool[asyncpg.Record], case: str
) -> None:
    body, headers, status, fields = BODIES[case]
    before = await users_stored(db_pool)

    response = await api.sales.post(
        "/v1/users", content=body, headers={**headers, **api.bearer(admin)}
    )

    assert response.status_code == status, response.text
    refused = response.json()
    for field, error in fields.items():
        [named] = [item for item in refused["fields"] if item["field"] == field]
        assert error in named["error"], refused
    assert await users_stored(db_pool) == before


async def test_the_refusal_never_quotes_the_body(api: Services, admin: User) -> None:
    logs = CapturedLogs()

    response = await api.sales.post(
        "/v1/users", content=INVALID_UTF8, headers={**JSON, **api.bearer(admin)}
    )

    assert response.status_code == 400
    assert "cret" not in response.text
    assert logs.events("request refused")  # the log was captured: its absence below means something
    assert "cret" not in logs.stream.getvalue()


async def test_every_field_that_misses_the_model_is_named_at_once(
    api: Services, admin: User, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    # msgspec stops at the first bad field: a client must still learn of all of them.
    body = {"name": 7, "email": 5, "roles": ["USER", 3], "password": "x", "surprise": 1}
    before = await users_stored(db_pool)

    response = await api.sales.post("/v1/users", json=body, headers=api.bearer(admin))

    assert response.status_code == 400, response.text
    named = {item["field"]: item["error"] for item in response.json()["fields"]}
    assert named == {
        "name": "Expected `str`, got `int`",
        "email": "Expected `str`, got `int`",
        "roles[1]": "Expected `str`, got `int`",
        "passwordConfirm": "Object missing required field `passwordConfirm`",
        "surprise": "unknown field",
    }
    assert await users_stored(db_pool) == before


async def test_a_patch_with_a_bad_body_names_the_body_fields_only(
    api: Services, admin: User, db_pool: asyncpg.Pool[asyncpg.Record]
) -> None:
    response = await api.sales.patch(
        f"/v1/users/{admin.id}", json={"name": 7, "enabled": "yes"}, headers=api.bearer(admin)
    )

    assert response.status_code == 400, response.text
    assert {item["field"] for item in response.json()["fields"]} == {"name", "enabled"}
    stored = await db_pool.fetchrow("SELECT name, enabled FROM users WHERE user_id = $1", admin.id)
    assert stored is not None
    assert (stored["name"], stored["enabled"]) == (str(admin.name), True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("name=a%00b", "name"),
        ("email=a%00@example.com", "email"),
        ("name=ok&orderBy=name%00", "orderBy"),
        ("startCreatedDate=0001-01-01T00:00:00%2B05:00", "startCreatedDate"),
        ("endCreatedDate=9999-12-31T23:59:59-05:00", "endCreatedDate"),
    ],
)
async def test_a_query_value_postgres_cannot_take_is_refused_by_name(
    api: Services, admin: User, query: str, field: str
) -> None:
    response = await api.sales.get(f"/v1/users?{query}", headers=api.bearer(admin))

    assert response.status_code == 400, response.text
    assert field in [item["field"] for item in response.json()["fields"]]
