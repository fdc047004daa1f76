"""How long tokens and policy decisions take, against baselines, in one run.

    uv run python bench/bench_auth.py [--seconds 0.5]

Each figure is the best of three timed runs of a loop sized to last about `--seconds`.
"""

import argparse
import secrets
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

import jwt
import msgspec
import regopy
from cryptography.hazmat.primitives.asymmetric import rsa

from acme_sales.app.sdk.auth.claims import Claims, Rule
from acme_sales.app.sdk.auth.policy import POLICY_FOLDER, PolicyEngine
from acme_sales.app.sdk.auth.tokens import TokenService
from acme_sales.foundation.keystore import KeyStore

KID = "bench"
ISSUER = "bench"
USER = uuid.uuid4()
ROLES = ["USER"]
DECISION = {"roles": ROLES, "subject": str(USER), "user_id": str(USER)}


def per_call_us(call: Callable[[], object], seconds: float) -> float:
    """Microseconds per call: best of three loops, each sized to last about `seconds`."""
    count = 1
    while True:  # find a loop size that takes long enough to time well
        started = time.perf_counter()
        for _ in range(count):
            call()
        elapsed = time.perf_counter() - started
        if elapsed >= seconds / 4:
            break
        count *= 2
    count = max(1, int(count * seconds / elapsed))
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(count):
            call()
        best = min(best, time.perf_counter() - started)
    return best / count * 1e6


def token_cases() -> list[tuple[str, Callable[[], object]]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tokens = TokenService(KeyStore({KID: key}), issuer=ISSUER, ttl=timedelta(hours=1))
    token = tokens.generate(KID, USER, ROLES)
    secret = secrets.token_bytes(32)
    claims = msgspec.to_builtins(tokens.verify(token))
    hs256 = jwt.encode(claims, secret, algorithm="HS256")
    claims_json = msgspec.json.encode(claims)
    decoder = msgspec.json.Decoder(Claims)
    return [
        ("token verify, RS256 2048-bit", lambda: tokens.verify(token)),
        ("token generate, RS256 2048-bit", lambda: tokens.generate(KID, USER, ROLES)),
        (
            "  baseline: HS256 verify (pyjwt)",
            lambda: jwt.decode(hs256, secret, algorithms=["HS256"], issuer=ISSUER),
        ),
        ("  baseline: msgspec decode of the claims", lambda: decoder.decode(claims_json)),
    ]


def policy_cases() -> list[tuple[str, Callable[[], object]]]:
    engine = PolicyEngine.load()
    user = str(USER)

    # The slow way: one interpreter holding the policy sources, queried by name each time, so
    # every query compiles the policies again.
    plain = quiet_interpreter()
    for path in sorted(POLICY_FOLDER.glob("*.rego")):
        plain.add_module(path.name, path.read_text())
    query = f"data.authz.{Rule.ADMIN_OR_SUBJECT.value}"

    def plain_query() -> object:
        plain.set_input(regopy.Input(DECISION))
        return plain.query(query)

    # The engine keeps one interpreter per thread; a new one per decision is as safe but costs
    # its construction each time.
    builder = quiet_interpreter()
    for path in sorted(POLICY_FOLDER.glob("*.rego")):
        builder.add_module(path.name, path.read_text())
    bundle = builder.build(None, [f"authz/{rule.value}" for rule in Rule])

    def fresh_interpreter() -> object:
        interpreter = quiet_interpreter()
        interpreter.set_input(regopy.Input(DECISION))
        return interpreter.query_bundle_entrypoint(bundle, f"authz/{Rule.ADMIN_OR_SUBJECT.value}")

    return [
        (
            "policy decision, compiled bundle",
            lambda: engine.allowed(Rule.ADMIN_OR_SUBJECT, ROLES, subject=user, user_id=user),
        ),
        ("  same, new Interpreter per decision", fresh_interpreter),
        ("  baseline: Interpreter.query() each time", plain_query),
    ]


def quiet_interpreter() -> regopy.Interpreter:
    interpreter = regopy.Interpreter()
    interpreter.log_level = regopy.LogLevel.NONE
    return interpreter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="time per measurement")
    args = parser.parse_args()
    print(f"{'operation':<44} {'µs/op':>10} {'ops/s':>10}")
    for name, call in [*token_cases(), *policy_cases()]:
        micros = per_call_us(call, args.seconds)
        print(f"{name:<44} {micros:>10.1f} {1e6 / micros:>10,.0f}")


if __name__ == "__main__":
    main()
