"""Authentication takes a Bearer header to an enabled user; authorization applies a rule."""

import uuid
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from acme_sales.app.sdk.auth.auth import (
    Auth,
    AuthenticationError,
    AuthInfo,
    AuthorizationError,
)
from acme_sales.app.sdk.auth.claims import Rule
from acme_sales.app.sdk.auth.policy import PolicyEngine
from acme_sales.app.sdk.auth.tokens import TokenService
from tests.app.sdk.auth.conftest import KID, TTL
from tests.support.logs import CapturedLogs

ALICE = uuid.UUID("11111111-1111-4111-8111-111111111111")  # enabled
BOB = uuid.UUID("22222222-2222-4222-8222-222222222222")  # disabled or gone


class Users:
    """A UserLookup over a fixed set of enabled users, recording who was asked about."""

    def __init__(self, *enabled_ids: uuid.UUID) -> None:
        self.enabled_ids = set(enabled_ids)
        self.asked: list[uuid.UUID] = []

    async def enabled(self, user_id: uuid.UUID) -> bool:
        self.asked.append(user_id)
        return user_id in self.enabled_ids


@pytest.fixture
def users() -> Users:
    return Users(ALICE)


@pytest.fixture
def auth(tokens: TokenService, policy: PolicyEngine, users: Users) -> Auth:
    return Auth(tokens=tokens, policy=policy, users=users)


async def refused(auth: Auth, header: str) -> str:
    with pytest.raises(AuthenticationError) as caught:
        await auth.authenticate(header)
    assert str(caught.value) == caught.value.reason
    return caught.value.reason


async def test_a_valid_bearer_token_of_an_enabled_user_authenticates(
    auth: Auth, tokens: TokenService, users: Users
) -> None:
    token = tokens.generate(KID, ALICE, ["USER"])

    info = await auth.authenticate(f"Bearer {token}")

    assert info.user_id == ALICE
    assert info.claims == tokens.verify(token)
    assert users.asked == [ALICE]


@pytest.mark.parametrize("template", ["bearer {}", "BEARER {}", "  Bearer   {}  "])
async def test_the_scheme_is_case_insensitive_and_spaces_are_trimmed(
    auth: Auth, tokens: TokenService, template: str
) -> None:
    info = await auth.authenticate(template.format(tokens.generate(KID, ALICE, ["USER"])))
    assert info.user_id == ALICE


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "abc.def.ghi"]
)
async def test_anything_but_a_bearer_header_is_refused(auth: Auth, header: str) -> None:
    assert await refused(auth, header) == "expected authorization header format: Bearer <token>"


async def test_an_invalid_token_is_refused_with_its_reason(
    auth: Auth, tokens: TokenService, users: Users
) -> None:
    expired = tokens.generate(KID, ALICE, ["USER"], now=datetime.now(UTC) - 2 * TTL)
    assert await refused(auth, f"Bearer {expired}") == "token expired"
    assert await refused(auth, "Bearer not.a.token") == "token malformed"
    assert users.asked == []  # the user store is not asked about tokens that fail


async def test_a_disabled_or_unknown_user_is_refused(auth: Auth, tokens: TokenService) -> None:
    token = tokens.generate(KID, BOB, ["ADMIN"])
    assert await refused(auth, f"Bearer {token}") == "user unknown or disabled"


async def test_tokens_never_reach_the_logs(auth: Auth, tokens: TokenService) -> None:
    logs = CapturedLogs()
    good = tokens.generate(KID, ALICE, ["USER"])
    await auth.authenticate(f"Bearer {good}")
    for header in (f"Bearer {good}x", f"Bearer {tokens.generate(KID, BOB, ['USER'])}"):
        with pytest.raises(AuthenticationError) as caught:
            await auth.authenticate(header)
        assert header.split()[1] not in str(caught.value)
    written = logs.stream.getvalue()
    assert good.split(".")[2] not in written


def test_authorize_returns_when_the_rule_allows(auth: Auth, tokens: TokenService) -> None:
    claims = tokens.verify(tokens.generate(KID, ALICE, ["USER"]))
    auth.authorize(claims, ALICE, Rule.ADMIN_OR_SUBJECT)
    auth.authorize(claims, None, Rule.USER_ONLY)


@pytest.mark.parametrize(
    ("roles", "target", "rule"),
    [
        (["USER"], BOB, Rule.ADMIN_OR_SUBJECT),
        (["USER"], ALICE, Rule.ADMIN_ONLY),
        (["USER"], None, Rule.ADMIN_OR_SUBJECT),
        ([], ALICE, Rule.ANY),
    ],
)
def test_authorize_refuses_when_the_rule_does_not_allow(
    auth: Auth, tokens: TokenService, roles: list[str], target: uuid.UUID | None, rule: Rule
) -> None:
    claims = tokens.verify(tokens.generate(KID, ALICE, roles))
    with pytest.raises(AuthorizationError) as caught:
        auth.authorize(claims, target, rule)
    assert caught.value.reason == f"not authorized: {rule.value} does not allow this"


def test_auth_info_round_trips_as_json(tokens: TokenService) -> None:
    # The auth service answers with AuthInfo as JSON; other services decode it back.
    claims = tokens.verify(
        tokens.generate(KID, ALICE, ["USER"], now=datetime.now(UTC) - timedelta(seconds=1))
    )
    info = AuthInfo(user_id=ALICE, claims=claims)
    assert msgspec.json.decode(msgspec.json.encode(info), type=AuthInfo) == info
