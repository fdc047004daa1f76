import pytest

from acme_sales.business.sdk import order
from acme_sales.business.sdk.order import Direction, OrderBy
from acme_sales.business.types import ParseError

ALLOWED = ("id", "name", "created")
DEFAULT = OrderBy("id", Direction.ASC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, DEFAULT),
        ("", DEFAULT),
        ("name", OrderBy("name", Direction.ASC)),
        ("name,ASC", OrderBy("name", Direction.ASC)),
        ("name,DESC", OrderBy("name", Direction.DESC)),
        ("name,desc", OrderBy("name", Direction.DESC)),
        ("created,Asc", OrderBy("created", Direction.ASC)),
        ("created , desc ", OrderBy("created", Direction.DESC)),
    ],
)
def test_parse_reads_field_and_direction(raw: str | None, expected: OrderBy) -> None:
    assert order.parse(raw, ALLOWED, DEFAULT) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("email", "unknown order field 'email'; use one of: created, id, name"),
        ("Name", "unknown order field 'Name'; use one of: created, id, name"),
        (",DESC", "unknown order field ''; use one of: created, id, name"),
        ("name,down", "unknown direction 'down'; use ASC or DESC"),
        ("name,", "unknown direction ''; use ASC or DESC"),
        ("name,DESC,id", "unknown direction 'DESC,id'; use ASC or DESC"),
        (
            "name;DROP TABLE users",
            "unknown order field 'name;DROP TABLE users'; use one of: created, id, name",
        ),
    ],
)
def test_parse_refuses_unknown_fields_and_directions(raw: str, message: str) -> None:
    with pytest.raises(ParseError) as refused:
        order.parse(raw, ALLOWED, DEFAULT)

    assert str(refused.value) == message


def test_the_default_direction_is_ascending() -> None:
    assert OrderBy("name").direction is Direction.ASC
    assert str(Direction.DESC) == "DESC"
