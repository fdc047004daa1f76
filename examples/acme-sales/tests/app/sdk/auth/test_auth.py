"""Authentication takes a Bearer header to an enabled user whose password has not changed since
the token; authorization applies a rule to the caller's current roles."""

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
from acme_sales.app.sdk.auth.users import UserState
from acme_sales.app.sdk.auth.verifier import KeyStoreKeys, TokenVerifier
from acme_sales.foundation.keystore import KeyStore
from tests.app.sdk.auth.conftest import ISSUER, KID, TTL
from tests.support.logs import CapturedLogs

ALICE = uuid.UUID("11111111-1111-4111-8111-111111111111")  # an enabled user
BOB = uuid.UUID("22222222-2222-4222-8222-222222222222")  # gone
CAROL = uuid.UUID("33333333-3333-4333-8333-333333333333")  # disabled
PASSWORD_V1 = "0123456789abcdef"  # a credentials version


class Users:
    """Users' current states, as a test sets them, recording who was asked about."""

    def __init__(self) -> None:
        self.states = {
            ALICE: UserState(enabled=True, roles=("USER",), credentials_version=PASSWORD_V1),
            CAROL: UserState(enabled=False, roles=("ADMIN",), credentials_version=PASSWORD_V1),
        }
        self.asked: list[uuid.UUID] = []

    async def get(self, user_id: uuid.UUID) -> UserState | None:
        self.asked.append(user_id)
        return self.states.get(user_id)


@pytest.fixture
def users() -> Users:
    return Users()


@pytest.fixture
def auth(key_store: KeyStore, policy: PolicyEngine, users: Users) -> Auth:
    return Auth(
        tokens=TokenVerifier(KeyStoreKeys(key_store), issuer=ISSUER), policy=policy, users=users
    )


def token_for(tokens: TokenService, user: uuid.UUID, roles: list[str], **kwargs: datetime) -> str:
    return tokens.generate(KID, user, roles, credentials=PASSWORD_V1, **kwargs)


async def refused(auth: Auth, header: str) -> str:
    with pytest.raises(AuthenticationError) as caught:
        await auth.authenticate(header)
    assert str(caught.value) == caught.value.reason
    return caught.value.reason


async def test_a_valid_bearer_token_of_an_enabled_user_authenticates(
    auth: Auth, tokens: TokenService, users: Users
) -> None:
    token = token_for(tokens, ALICE, ["USER"])

    info = await auth.authenticate(f"Bearer {token}")

    assert info.user_id == ALICE
    assert info.claims == tokens.verify(token)
    assert users.asked == [ALICE]


@pytest.mark.parametrize("template", ["bearer {}", "BEARER {}", "  Bearer   {}  "])
async def test_the_scheme_is_case_insensitive_and_spaces_are_trimmed(
    auth: Auth, tokens: TokenService, template: str
) -> None:
    info = await auth.authenticate(template.format(token_for(tokens, ALICE, ["USER"])))
    assert info.user_id == ALICE


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "abc.def.ghi"]
)
async def test_anything_but_a_bearer_header_is_refused(auth: Auth, header: str) -> None:
    assert await refused(auth, header) == "expected authorization header format: Bearer <token>"


async def test_an_invalid_token_is_refused_with_its_reason(
    auth: Auth, tokens: TokenService, users: Users
) -> None:
    expired = token_for(tokens, ALICE, ["USER"], now=datetime.now(UTC) - 2 * TTL)
    assert await refused(auth, f"Bearer {expired}") == "token expired"
    assert await refused(auth, "Bearer not.a.token") == "token malformed"
    assert users.asked == []  # the user store is not asked about tokens that fail


@pytest.mark.parametrize("user", [BOB, CAROL], ids=["gone", "disabled"])
async def test_a_disabled_or_unknown_user_is_refused(
    auth: Auth, tokens: TokenService, user: uuid.UUID
) -> None:
    token = token_for(tokens, user, ["ADMIN"])
    assert await refused(auth, f"Bearer {token}") == "user unknown or disabled"


async def test_a_token_older_than_a_password_change_is_refused(
    auth: Auth, tokens: TokenService, users: Users
) -> None:
    header = f"Bearer {token_for(tokens, ALICE, ['USER'])}"
    await auth.authenticate(header)
    users.states[ALICE] = UserState(enabled=True, roles=("USER",), credentials_version="changed")

    assert await refused(auth, header) == "token revoked: the password changed since it was issued"
    unversioned = tokens.generate(KID, ALICE, ["USER"])  # no credentials version at all
    assert await refused(auth, f"Bearer {unversioned}") == (
        "token revoked: the password changed since it was issued"
    )


async def test_tokens_never_reach_the_logs(auth: Auth, tokens: TokenService) -> None:
    logs = CapturedLogs()
    good = token_for(tokens, ALICE, ["USER"])
    await auth.authenticate(f"Bearer {good}")
    for header in (f"Bearer {good}x", f"Bearer {token_for(tokens, BOB, ['USER'])}"):
        with pytest.raises(AuthenticationError) as caught:
            await auth.authenticate(header)
        assert header.split()[1] not in str(caught.value)
    written = logs.stream.getvalue()
    assert good.split(".")[2] not in written


async def test_authorize_returns_when_the_rule_allows(auth: Auth, tokens: TokenService) -> None:
    claims = tokens.verify(token_for(tokens, ALICE, ["USER"]))
    await auth.authorize(claims, ALICE, Rule.ADMIN_OR_SUBJECT)
    await auth.authorize(claims, None, Rule.USER_ONLY)


async def test_authorize_uses_the_callers_current_roles_not_the_tokens(
    auth: Auth, tokens: TokenService, users: Users
) -> None:
    claims = tokens.verify(token_for(tokens, ALICE, ["ADMIN"]))  # an admin when issued
    with pytest.raises(AuthorizationError):
        await auth.authorize(claims, BOB, Rule.ADMIN_ONLY)  # a user now
    users.states[ALICE] = UserState(enabled=True, roles=("ADMIN",), credentials_version="x")
    await auth.authorize(claims, BOB, Rule.ADMIN_ONLY)
    users.states[ALICE] = UserState(enabled=False, roles=("ADMIN",), credentials_version="x")
    with pytest.raises(AuthorizationError):
        await auth.authorize(claims, BOB, Rule.ADMIN_ONLY)  # disabled: no roles at all


@pytest.mark.parametrize(
    "case",
    [
        (("USER",), BOB, Rule.ADMIN_OR_SUBJECT),
        (("USER",), ALICE, Rule.ADMIN_ONLY),
        (("USER",), None, Rule.ADMIN_OR_SUBJECT),
        ((), ALICE, Rule.ANY),
    ],
)
async def test_authorize_refuses_when_the_rule_does_not_allow(
    auth: Auth,
    tokens: TokenService,
    users: Users,
    case: tuple[tuple[str, ...], uuid.UUID | None, Rule],
) -> None:
    roles, target, rule = case
    users.states[ALICE] = UserState(enabled=True, roles=roles, credentials_version="x")
    claims = tokens.verify(tokens.generate(KID, ALICE, list(roles)))
    with pytest.raises(AuthorizationError) as caught:
        await auth.authorize(claims, target, rule)
    assert caught.value.reason == f"not authorized: {rule.value} does not allow this"


def test_auth_info_round_trips_as_json(tokens: TokenService) -> None:
    # The auth service answers with AuthInfo as JSON; other services decode it back.
    claims = tokens.verify(
        tokens.generate(KID, ALICE, ["USER"], now=datetime.now(UTC) - timedelta(seconds=1))
    )
    info = AuthInfo(user_id=ALICE, claims=claims)
    assert msgspec.json.decode(msgspec.json.encode(info), type=AuthInfo) == info
