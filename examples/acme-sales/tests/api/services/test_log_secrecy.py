"""No secret reaches the logs: a realistic session through both services, every line captured.

Everything the two services log (structlog and the standard library's loggers, as JSON, at
DEBUG) is captured while users sign in, call routes with their tokens, are refused, create users
with passwords (one not even UTF-8), filter users by email, change a password and send forged
tokens. None of the tokens, passwords, Authorization headers, bcrypt hashes, the signing key's
PEM or the email filtered by may appear anywhere in that output.
"""

from __future__ import annotations  # asyncpg.Pool[...] is for type checkers only

import base64
import json
from pathlib import Path

import asyncpg
import httpx

from acme_sales.business.types import Role
from acme_sales.foundation import sqldb
from tests.support import forge, keys, services
from tests.support.logs import CapturedLogs
from tests.support.users import PASSWORD, new_user

# Every password sent in the session; each one distinctive, so a hit is never a coincidence.
NEW_PASSWORD = "new-user-secret-7f3a"
CHANGED_PASSWORD = "changed-secret-c41d"
WRONG_PASSWORD = "wrong-guess-secret-99b2"
MISMATCHED_CONFIRMATION = "mismatch-secret-e8d0"
SHORT_PASSWORD = "s3cr!"  # refused: too short
LONG_PASSWORD = "overlong-secret-" * 6  # refused: over 72 characters
WIDE_PASSWORD = "wide-secret-€€€€-" * 3  # refused: 51 characters, but over 72 bytes
DUPLICATE_PASSWORD = "duplicate-secret-5a6c"
# After a byte that is not UTF-8: a decoder's error message would quote the bytes around it.
UNDECODABLE_PASSWORD_TAIL = "undecodable-secret-2b9f"
FILTERED_EMAIL = "filtered.person@example.com"  # a query filter's value: personal data

BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")


def basic(email: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()


def pem_lines(folder: Path) -> list[str]:
    """The lines of every private key file in `folder`, markers and base64 body alike, but for
    a short last body line (a few characters could turn up anywhere by chance)."""
    return [
        line
        for path in sorted(folder.glob("*.pem"))
        for line in path.read_text(encoding="ascii").splitlines()
        if len(line) >= 16
    ]


def token_of(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    token = response.json()["token"]
    assert isinstance(token, str)
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_no_secret_reaches_the_logs(
    db_config: sqldb.DBConfig, db_pool: asyncpg.Pool[asyncpg.Record], keys_folder: Path
) -> None:
    logs = CapturedLogs(service="secrecy")  # before the services exist: they log into it
    token_path = f"/v1/auth/token/{services.KID}"
    answered: list[tuple[str, int, int]] = []  # (step, status expected, status answered)

    def expect(step: str, status: int, response: httpx.Response) -> None:
        answered.append((step, status, response.status_code))

    async with services.running(db_config, db_pool, keys_folder) as api:
        admin = await api.users.create(new_user(0, Role.ADMIN), actor_id=None)
        user = await api.users.create(new_user(0, Role.USER), actor_id=None)
        admin_email, user_email = str(admin.email), str(user.email)
        admin_basic = {"Authorization": basic(admin_email, PASSWORD)}

        # Basic sign-in, right and wrong; a token for each user.
        admin_token = token_of(await api.auth.get(token_path, auth=(admin_email, PASSWORD)))
        user_token = token_of(await api.auth.get(token_path, auth=(user_email, PASSWORD)))
        wrong = await api.auth.get(token_path, auth=(admin_email, WRONG_PASSWORD))
        expect("sign in with a wrong password", 401, wrong)

        # The tokens at work, and refused where the rules say so.
        admin_bearer, user_bearer = bearer(admin_token), bearer(user_token)
        identity = await api.auth.get("/v1/auth/authenticate", headers=admin_bearer)
        expect("authenticate", 200, identity)
        expect("admin lists", 200, await api.sales.get("/v1/users", headers=admin_bearer))
        own = await api.sales.get(f"/v1/users/{user.id}", headers=user_bearer)
        expect("user reads self", 200, own)
        expect("user lists", 403, await api.sales.get("/v1/users", headers=user_bearer))
        other = await api.sales.get(f"/v1/users/{admin.id}", headers=user_bearer)
        expect("user reads another", 403, other)
        bare = await api.sales.get("/v1/users", headers={"Authorization": user_token})
        expect("token without its scheme", 401, bare)
        expect("Basic to sales", 401, await api.sales.get("/v1/users", headers=admin_basic))

        # Users created with passwords: accepted, refused, and a duplicate email.
        body = {
            "name": "Brand New",
            "email": "brand.new@example.com",
            "roles": ["USER"],
            "password": NEW_PASSWORD,
            "passwordConfirm": NEW_PASSWORD,
        }
        duplicate = {"password": DUPLICATE_PASSWORD, "passwordConfirm": DUPLICATE_PASSWORD}
        for step, status, changes in [
            ("create", 201, {}),
            ("create, confirmation differs", 400, {"passwordConfirm": MISMATCHED_CONFIRMATION}),
            ("create, password too short", 400, {"password": SHORT_PASSWORD}),
            ("create, password too long", 400, {"password": LONG_PASSWORD}),
            ("create, password too wide", 400, {"password": WIDE_PASSWORD}),
            ("create, email taken", 409, {"email": user_email, **duplicate}),
        ]:
            created = await api.sales.post(
                "/v1/users", json={**body, **changes}, headers=admin_bearer
            )
            expect(step, status, created)

        undecodable = json.dumps({**body, "password": "@@", "passwordConfirm": "@@"}).encode()
        created = await api.sales.post(
            "/v1/users",
            content=undecodable.replace(b"@@", b"\xff" + UNDECODABLE_PASSWORD_TAIL.encode()),
            headers={**admin_bearer, "content-type": "application/json"},
        )
        expect("create, password not UTF-8", 400, created)
        filtered = await api.sales.get(
            "/v1/users", params={"email": FILTERED_EMAIL}, headers=admin_bearer
        )
        expect("query by email", 200, filtered)

        # A password change, then signing in with the old and the new password.
        change = {"password": CHANGED_PASSWORD, "passwordConfirm": CHANGED_PASSWORD}
        changed = await api.sales.patch(f"/v1/users/{user.id}", json=change, headers=user_bearer)
        expect("change password", 200, changed)
        old = await api.auth.get(token_path, auth=(user_email, PASSWORD))
        expect("sign in with the old password", 401, old)
        new_token = token_of(await api.auth.get(token_path, auth=(user_email, CHANGED_PASSWORD)))

        # Forged and tampered tokens.
        claims = forge.claims(str(admin.id), api.issuer, roles=["ADMIN"])
        header, _, signature = user_token.split(".")
        forged_payload = forge.b64url(json.dumps({**claims, "exp": claims["exp"] + 1}).encode())
        forgeries = [
            forge.rs256(claims, keys.rsa_key("attacker"), services.KID),
            forge.unsigned(claims, services.KID),
            f"{header}.{forged_payload}.{signature}",
        ]
        for number, forged in enumerate(forgeries):
            refused = await api.sales.get("/v1/users", headers=bearer(forged))
            expect(f"forged token {number}", 401, refused)

    text = logs.stream.getvalue()
    lines = logs.lines()  # every line is JSON, whichever logger wrote it

    # The session went as planned, and the capture saw it, from both logging systems.
    assert [step for step, status, got in answered if got != status] == [], answered
    logged_statuses = {line["status"] for line in logs.events("request completed")}
    assert logged_statuses >= {200, 201, 400, 401, 403, 409}
    assert any(str(line.get("event", "")).startswith("HTTP Request:") for line in lines), (
        "httpx's standard-library lines were not captured"
    )

    key_lines = pem_lines(keys_folder)
    passwords = [
        PASSWORD,
        NEW_PASSWORD,
        CHANGED_PASSWORD,
        WRONG_PASSWORD,
        MISMATCHED_CONFIRMATION,
        SHORT_PASSWORD,
        LONG_PASSWORD,
        WIDE_PASSWORD,
        DUPLICATE_PASSWORD,
        UNDECODABLE_PASSWORD_TAIL,
    ]
    secrets = [
        ("the admin's token", admin_token),
        ("the user's token", user_token),
        ("the user's token after the password change", new_token),
        ("a token's signature", signature),
        ("Basic credentials", admin_basic["Authorization"].removeprefix("Basic ")),
        *((f"forged token {number}", forged) for number, forged in enumerate(forgeries)),
        *((f"password {password!r}", password) for password in passwords),
        *((f"key file line {number}", line) for number, line in enumerate(key_lines)),
        ("an email in a query filter", FILTERED_EMAIL),
    ]
    leaked = [name for name, secret in secrets if secret in text]
    assert not leaked, f"secrets in the logs: {leaked}"
    hashes = [prefix for prefix in BCRYPT_PREFIXES if prefix in text]
    assert not hashes, f"bcrypt hashes in the logs (prefixes {hashes})"
    assert "PRIVATE KEY" not in text
