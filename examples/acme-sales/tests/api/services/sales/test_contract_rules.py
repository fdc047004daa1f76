"""What schemathesis found wrong with the contract, each kept fixed as a class (the contract
test, tests/api/services/test_contract.py, fuzzes the whole API; these say which rule failed).
"""

import uuid
from typing import Any

import jsonschema_rs  # the validator schemathesis judges with
import pytest

from acme_sales.business.domain.userbus import User
from acme_sales.business.types import ParseError, Password, Role, password
from acme_sales.foundation.jsonbody import integral_floats_as_ints
from tests.support.services import Services
from tests.support.users import new_user

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture
async def admin(api: Services) -> User:
    return await api.users.create(new_user(0, Role.ADMIN), actor_id=None)


@pytest.fixture
async def document(api: Services) -> dict[str, Any]:
    response = await api.sales.get("/docs/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


async def test_every_error_a_route_answers_is_documented_as_the_error_model(
    document: dict[str, Any],
) -> None:
    for path, method, operation in operations(document):
        responses = operation["responses"]
        if operation.get("security"):  # the guards: no token, a refused one
            assert {"401", "403"} <= responses.keys(), (method, path)
        if operation.get("parameters") or "requestBody" in operation:
            assert "400" in responses, (method, path)
        for status, response in responses.items():
            if status.startswith("4"):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path)
    error = document["components"]["schemas"]["ErrorResponse"]
    assert set(error["properties"]) == {"code", "message", "fields"}


async def test_guarded_routes_take_a_bearer_token(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    for path, method, operation in operations(document):
        if path.startswith("/v1/") and not path.endswith(("liveness", "readiness")):
            assert operation["security"] == [{"bearerAuth": []}], (method, path)


async def test_ids_pages_and_dates_are_typed(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            if parameter["in"] == "path" and parameter["name"].endswith("_id"):
                assert schema == {"type": "string", "format": "uuid"}, (method, path)
            if parameter["in"] == "query":
                typed, empty = schema["oneOf"]  # empty means "no condition", as absent does
                assert empty == {"type": "string", "maxLength": 0}
                if parameter["name"] in {"page", "rows"}:
                    assert typed["type"] == "integer", (method, path)
                if parameter["name"].endswith("Id"):
                    assert typed["format"] == "uuid", (method, path)
                if parameter["name"].endswith("Date"):
                    assert typed["format"] == "date-time", (method, path)


async def test_empty_query_values_match_only_the_empty_arm(document: dict[str, Any]) -> None:
    # oneOf: a value that both arms took (an empty text filter) would be invalid.
    for path, method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                typed, _ = parameter["schema"]["oneOf"]
                valid = jsonschema_rs.validator_for(typed, validate_formats=True).is_valid("")
                assert not valid, (method, path, parameter["name"])


@pytest.mark.parametrize(
    "candidate",
    [
        "x" * 7,
        "x" * 8,
        "x" * 72,
        "x" * 73,
        "é" * 7,  # 14 bytes
        "é" * 36,  # 72 bytes
        "é" * 37,  # 74 bytes
        "🔑" * 18,  # 72 bytes
        "🔑" * 19,  # 76 bytes
        "password\0",
    ],
)
async def test_the_document_states_the_password_rule(
    document: dict[str, Any], candidate: str
) -> None:
    # Exactly, but for the byte limit, which JSON Schema cannot count: that one is in words.
    schemas = document["components"]["schemas"]
    for body in ("NewUser", "UpdateUser"):
        schema = schemas[body]["properties"]["password"]
        stated = jsonschema_rs.validator_for(schema).is_valid(candidate)
        try:
            Password.parse(candidate)
        except ParseError:
            taken = False
        else:
            taken = True
        assert taken == (stated and len(candidate.encode()) <= password.MAX_BYTES), body
        assert f"at most {password.MAX_BYTES} bytes once encoded as UTF-8" in schema["description"]


async def test_the_document_states_the_confirmation_rule(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for body in ("NewUser", "UpdateUser"):
        confirm = schemas[body]["properties"]["passwordConfirm"]
        assert confirm["description"] == "Must equal `password`", body
    assert {"password", "passwordConfirm"} <= set(schemas["NewUser"]["required"])
    assert schemas["UpdateUser"]["dependentRequired"] == {
        "password": ["passwordConfirm"],
        "passwordConfirm": ["password"],
    }


async def test_bodies_that_refuse_unknown_fields_say_so(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name in ("NewUser", "UpdateUser", "UpdateUserRoles"):
        assert schemas[name]["additionalProperties"] is False, name


async def test_a_malformed_id_in_the_path_is_a_400_naming_it(api: Services, admin: User) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = await api.sales.request(
            method, "/v1/users/not-a-uuid", json={}, headers=api.bearer(admin)
        )
        assert response.status_code == 400, method
        assert response.json()["fields"] == [
            {"field": "user_id", "error": "'not-a-uuid' is not a UUID"}
        ]


async def test_options_lists_every_method_of_the_route(api: Services) -> None:
    response = await api.sales.options(f"/v1/users/{uuid.uuid4()}")
    assert response.status_code == 204
    assert response.headers["allow"] == "DELETE, GET, OPTIONS, PATCH"


@pytest.mark.parametrize(
    ("field", "value"),
    [("enabled", 0), ("enabled", "true"), ("name", 123), ("department", False)],
)
async def test_a_body_value_of_another_json_type_is_refused_not_coerced(
    api: Services, admin: User, field: str, value: object
) -> None:
    response = await api.sales.patch(
        f"/v1/users/{admin.id}", json={field: value}, headers=api.bearer(admin)
    )
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == [field]


def test_a_whole_number_written_with_a_point_is_an_integer() -> None:
    # JSON Schema's `integer` takes 5.0, and so does every integer field of a body.
    assert integral_floats_as_ints({"a": [5.0, 5.5, True]}) == {"a": [5, 5.5, True]}


async def test_a_valid_request_the_state_refuses_is_a_409(api: Services, admin: User) -> None:
    response = await api.sales.delete(f"/v1/users/{admin.id}", headers=api.bearer(admin))
    assert response.status_code == 409
    assert response.json()["code"] == "failed_precondition"
