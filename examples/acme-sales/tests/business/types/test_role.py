import pytest

from acme_sales.business.types import ParseError, Role


@pytest.mark.parametrize(("raw", "role"), [("ADMIN", Role.ADMIN), ("USER", Role.USER)])
def test_parse_accepts_each_role(raw: str, role: Role) -> None:
    assert Role.parse(raw) is role
    assert str(role) == raw


@pytest.mark.parametrize("raw", ["admin", "User", "ROOT", "", " ADMIN"])
def test_parse_refuses_unknown_roles_naming_the_known_ones(raw: str) -> None:
    with pytest.raises(ParseError) as refused:
        Role.parse(raw)

    assert str(refused.value) == f"unknown role {raw!r}; use one of: ADMIN, USER"


@pytest.mark.parametrize(
    ("raws", "roles"),
    [
        ([], ()),
        (["USER"], (Role.USER,)),
        (["USER", "ADMIN"], (Role.USER, Role.ADMIN)),
        (("ADMIN", "USER"), (Role.ADMIN, Role.USER)),
    ],
)
def test_parse_many_keeps_the_order_given(raws: list[str], roles: tuple[Role, ...]) -> None:
    assert Role.parse_many(raws) == roles


@pytest.mark.parametrize(
    ("raws", "message"),
    [
        (["ADMIN", "ADMIN"], "role 'ADMIN' is listed more than once"),
        (["USER", "ADMIN", "USER"], "role 'USER' is listed more than once"),
        (["ADMIN", "ROOT"], "unknown role 'ROOT'; use one of: ADMIN, USER"),
    ],
)
def test_parse_many_refuses_unknown_and_repeated_roles(raws: list[str], message: str) -> None:
    with pytest.raises(ParseError) as refused:
        Role.parse_many(raws)

    assert str(refused.value) == message


def test_parse_many_refuses_a_bare_string() -> None:
    with pytest.raises(TypeError, match="not one string"):
        Role.parse_many("ADMIN")
