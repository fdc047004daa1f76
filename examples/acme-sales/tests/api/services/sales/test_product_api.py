"""The product routes through both services: who may call them, what they refuse, how they
filter, order and page. Generated from the `domains` answer."""

from dataclasses import dataclass
from typing import Any

import pytest

from acme_sales.business.domain.userbus import User
from acme_sales.business.types import Role
from tests.support.services import Services
from tests.support.users import new_user

ROUTE = "/v1/products"
# Valid JSON values for each field, in ascending order.
SAMPLES: dict[str, list[Any]] = {
    "name": ["Anvil", "Bolt", "Crate"],
    "cost": ["0.10", "19.99", "250.00"],
    "quantity": [1, 20, 300],
}
# Per field: a value of the wrong JSON shape, and one of the right shape the rules refuse.
WRONG_SHAPE: dict[str, Any] = {
    "name": 123,
    "cost": 19.99,
    "quantity": "many",
}
REFUSED: dict[str, Any] = {
    "name": "x",
    "cost": "1e2",
    "quantity": -1,
}
REQUIRED = [
    "name",
    "cost",
    "quantity",
]
ORDERABLE = [
    "name",
    "cost",
    "quantity",
]


def body(index: int = 0, /, **changes: Any) -> dict[str, Any]:
    """A valid new product, varied by `index`; `changes` by JSON name (any field's)."""
    values = {field: samples[index % len(samples)] for field, samples in SAMPLES.items()}
    return {**values, **changes}


@dataclass(frozen=True)
class Seeded:
    admin: User
    owner: User
    other: User


@pytest.fixture
async def seeded(api: Services) -> Seeded:
    return Seeded(
        admin=await api.users.create(new_user(0, Role.ADMIN), actor_id=None),
        owner=await api.users.create(new_user(0, Role.USER), actor_id=None),
        other=await api.users.create(new_user(1, Role.USER), actor_id=None),
    )


async def create(api: Services, user: User, data: dict[str, Any]) -> dict[str, Any]:
    response = await api.sales.post(ROUTE, json=data, headers=api.bearer(user))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


# --- who may call what -------------------------------------------------------------------------

# route -> (method, path, body); {id} is the owner's product
ROUTES: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "query": ("GET", ROUTE, None),
    "get": ("GET", ROUTE + "/{id}", None),
    "create": ("POST", ROUTE, body(1)),
    "update": ("PATCH", ROUTE + "/{id}", {"name": SAMPLES["name"][-1]}),
    "delete": ("DELETE", ROUTE + "/{id}", None),
    "view": ("GET", "/v1/vproducts", None),
}
# route -> expected status for callers: no token, another user, the owner, an admin
EXPECTED: dict[str, tuple[int, int, int, int]] = {
    "query": (401, 200, 200, 200),
    "get": (401, 403, 200, 200),
    "create": (401, 201, 201, 403),  # only users create; an ADMIN-only token is refused
    "update": (401, 403, 200, 200),
    "delete": (401, 403, 204, 204),
    "view": (401, 403, 403, 200),
}
CALLERS = ("none", "other", "owner", "admin")


@pytest.mark.parametrize(
    ("route", "caller", "status"),
    [
        (route, caller, status)
        for route, statuses in EXPECTED.items()
        for caller, status in zip(CALLERS, statuses, strict=True)
    ],
)
async def test_access(api: Services, seeded: Seeded, route: str, caller: str, status: int) -> None:
    owned = await create(api, seeded.owner, body())
    method, path, data = ROUTES[route]
    headers = {} if caller == "none" else api.bearer(getattr(seeded, caller))
    response = await api.sales.request(
        method, path.format(id=owned["id"]), headers=headers, json=data
    )
    assert response.status_code == status, response.text


async def test_the_owner_comes_from_the_token_never_the_body(api: Services, seeded: Seeded) -> None:
    created = await create(api, seeded.owner, body())
    assert created["userId"] == str(seeded.owner.id)
    forged = await api.sales.post(
        ROUTE, json=body(userId=str(seeded.other.id)), headers=api.bearer(seeded.owner)
    )
    assert forged.status_code == 400


async def test_each_change_is_in_the_audit_trail_under_its_domain(
    api: Services, seeded: Seeded
) -> None:
    created = await create(api, seeded.owner, body())
    path = f"{ROUTE}/{created['id']}"
    changed = await api.sales.patch(path, json=body(1), headers=api.bearer(seeded.admin))
    assert changed.status_code == 200, changed.text
    deleted = await api.sales.delete(path, headers=api.bearer(seeded.owner))
    assert deleted.status_code == 204, deleted.text

    trail = await api.sales.get(
        "/v1/audits",
        params={"objDomain": "product", "objId": created["id"], "orderBy": "timestamp,ASC"},
        headers=api.bearer(seeded.admin),
    )

    assert trail.status_code == 200, trail.text
    rows = trail.json()["items"]
    assert [(row["action"], row["actorId"]) for row in rows] == [
        ("created", str(seeded.owner.id)),
        ("updated", str(seeded.admin.id)),
        ("deleted", str(seeded.owner.id)),
    ]
    assert set(rows[0]["data"]) == set(body())


async def test_a_product_that_does_not_exist_is_404(api: Services, seeded: Seeded) -> None:
    response = await api.sales.get(
        f"{ROUTE}/00000000-0000-4000-8000-000000000000", headers=api.bearer(seeded.admin)
    )
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "product not found"}


# --- what it stores and refuses ---------------------------------------------------------------


async def test_create_then_get_returns_every_field(api: Services, seeded: Seeded) -> None:
    created = await create(api, seeded.owner, body(1))
    for field, value in body(1).items():
        assert created[field] == value, field
    got = await api.sales.get(f"{ROUTE}/{created['id']}", headers=api.bearer(seeded.owner))
    assert got.json() == created


@pytest.mark.parametrize("field", list(WRONG_SHAPE))
async def test_a_value_of_the_wrong_shape_is_400_naming_the_field(
    api: Services, seeded: Seeded, field: str
) -> None:
    response = await api.sales.post(
        ROUTE, json=body(**{field: WRONG_SHAPE[field]}), headers=api.bearer(seeded.owner)
    )
    assert response.status_code == 400, response.text
    assert [f["field"] for f in response.json()["fields"]] == [field]


@pytest.mark.parametrize("field", list(REFUSED) or [pytest.param("", marks=pytest.mark.skip)])
async def test_a_value_the_rules_refuse_is_400_naming_the_field(
    api: Services, seeded: Seeded, field: str
) -> None:
    response = await api.sales.post(
        ROUTE, json=body(**{field: REFUSED[field]}), headers=api.bearer(seeded.owner)
    )
    assert response.status_code == 400, response.text
    assert [f["field"] for f in response.json()["fields"]] == [field]


@pytest.mark.parametrize("field", REQUIRED)
async def test_a_missing_required_field_is_400(api: Services, seeded: Seeded, field: str) -> None:
    data = body()
    del data[field]
    response = await api.sales.post(ROUTE, json=data, headers=api.bearer(seeded.owner))
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == field


@pytest.mark.parametrize("field", ORDERABLE)
async def test_update_changes_only_the_field_sent(
    api: Services, seeded: Seeded, field: str
) -> None:
    created = await create(api, seeded.owner, body(0))
    new_value = SAMPLES[field][-1]
    response = await api.sales.patch(
        f"{ROUTE}/{created['id']}", json={field: new_value}, headers=api.bearer(seeded.owner)
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated[field] == new_value
    for other, value in created.items():
        if other not in {field, "dateUpdated"}:
            assert updated[other] == value, other


# --- query: filters, order, paging ---------------------------------------------------------------


async def seed_rows(api: Services, seeded: Seeded) -> list[dict[str, Any]]:
    """Three products created in reverse sample order, so ordering is tested."""
    return [await create(api, seeded.owner, body(index)) for index in (2, 1, 0)]


def matches(row: dict[str, Any], field: str, kind: str, value: Any) -> bool:
    if kind == "contains":
        return str(value).lower() in str(row[field]).lower()
    if kind == "range":
        return SAMPLES[field].index(row[field]) >= SAMPLES[field].index(value)
    return bool(row[field] == value)


@pytest.mark.parametrize(
    ("field", "param", "kind"),
    [
        ("name", "name", "contains"),
        ("cost", "cost", "equals"),
        ("quantity", "quantity", "equals"),
    ],
)
async def test_filter_by_each_field(
    api: Services, seeded: Seeded, field: str, param: str, kind: str
) -> None:
    rows = await seed_rows(api, seeded)
    value = SAMPLES[field][1 % len(SAMPLES[field])]
    response = await api.sales.get(
        ROUTE,
        params={param: str(value).lower() if isinstance(value, bool) else str(value)},
        headers=api.bearer(seeded.admin),
    )
    assert response.status_code == 200, response.text
    expected = {row["id"] for row in rows if matches(row, field, kind, value)}
    assert {item["id"] for item in response.json()["items"]} == expected
    assert response.json()["total"] == len(expected)


@pytest.mark.parametrize(
    "param",
    [
        "cost",
    ],
)
@pytest.mark.parametrize("value", ["1e2", "19.99.1"])
async def test_a_money_filter_takes_decimal_text_only(
    api: Services, seeded: Seeded, param: str, value: str
) -> None:
    response = await api.sales.get(ROUTE, params={param: value}, headers=api.bearer(seeded.admin))
    assert response.status_code == 400, response.text
    assert [item["field"] for item in response.json()["fields"]] == [param]


async def test_filter_by_owner(api: Services, seeded: Seeded) -> None:
    mine = await create(api, seeded.owner, body())
    await create(api, seeded.other, body(1))
    response = await api.sales.get(
        ROUTE, params={"userId": str(seeded.owner.id)}, headers=api.bearer(seeded.owner)
    )
    assert [item["id"] for item in response.json()["items"]] == [mine["id"]]


@pytest.mark.parametrize("field", ORDERABLE)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_order_by_each_field(
    api: Services, seeded: Seeded, field: str, direction: str
) -> None:
    await seed_rows(api, seeded)
    response = await api.sales.get(
        ROUTE, params={"orderBy": f"{field},{direction}"}, headers=api.bearer(seeded.admin)
    )
    assert response.status_code == 200, response.text
    positions = [SAMPLES[field].index(item[field]) for item in response.json()["items"]]
    assert positions == sorted(positions, reverse=direction == "DESC")


async def test_paging(api: Services, seeded: Seeded) -> None:
    rows = await seed_rows(api, seeded)
    ids = sorted(row["id"] for row in rows)
    response = await api.sales.get(
        ROUTE,
        params={"rows": "2", "page": "2", "orderBy": "productId"},
        headers=api.bearer(seeded.admin),
    )
    result = response.json()
    assert (result["total"], result["page"], result["rowsPerPage"]) == (3, 2, 2)
    assert [item["id"] for item in result["items"]] == ids[2:]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rows": "0"}, "rows"),
        ({"page": "zero"}, "page"),
        ({"orderBy": "no-such-field"}, "orderBy"),  # no field is called so: not snake_case
        ({"orderBy": "productId,UP"}, "orderBy"),
        ({"userId": "42"}, "userId"),
    ],
)
async def test_bad_query_parameters_are_400_naming_the_field(
    api: Services, seeded: Seeded, params: dict[str, str], field: str
) -> None:
    response = await api.sales.get(ROUTE, params=params, headers=api.bearer(seeded.admin))
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == [field]


async def test_admin_view_carries_the_owners_name(api: Services, seeded: Seeded) -> None:
    created = await create(api, seeded.owner, body())
    response = await api.sales.get("/v1/vproducts", headers=api.bearer(seeded.admin))
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert item["id"] == created["id"]
    assert item["userName"] == str(seeded.owner.name)
