"""The authorization rules, pinned as truth tables, and policies that must stop the service."""

import shutil
import threading
from pathlib import Path

import pytest

from acme_sales.app.sdk.auth.claims import Rule
from acme_sales.app.sdk.auth.policy import POLICY_FOLDER, PolicyEngine, PolicyError

SUBJECT = "9c2b6b62-0d0c-4b3a-8f0e-1d2c3b4a5f60"
SOMEONE_ELSE = "0e6f6c3c-7b55-4c8e-9d0a-2a1b3c4d5e6f"

ROLES: dict[str, list[str]] = {
    "none": [],
    "user": ["USER"],
    "admin": ["ADMIN"],
    "admin+user": ["ADMIN", "USER"],
    "unknown": ["UNKNOWN"],
}

# rule -> roles -> (allowed when acting on oneself, allowed when acting on someone else)
TRUTH: dict[Rule, dict[str, tuple[bool, bool]]] = {
    Rule.ANY: {
        "none": (False, False),
        "user": (True, True),
        "admin": (True, True),
        "admin+user": (True, True),
        "unknown": (False, False),
    },
    Rule.ADMIN_ONLY: {
        "none": (False, False),
        "user": (False, False),
        "admin": (True, True),
        "admin+user": (True, True),
        "unknown": (False, False),
    },
    Rule.USER_ONLY: {
        "none": (False, False),
        "user": (True, True),
        "admin": (False, False),
        "admin+user": (True, True),
        "unknown": (False, False),
    },
    Rule.ADMIN_OR_SUBJECT: {
        "none": (False, False),
        "user": (True, False),
        "admin": (True, True),
        "admin+user": (True, True),
        "unknown": (False, False),
    },
}

CASES = [
    pytest.param(rule, roles, is_self, decisions[0 if is_self else 1], id=f"{rule}-{roles}-{who}")
    for rule, table in TRUTH.items()
    for roles, decisions in table.items()
    for is_self, who in ((True, "self"), (False, "other"))
]


def test_the_table_covers_every_rule_and_role_set() -> None:
    assert set(TRUTH) == set(Rule)
    assert all(set(table) == set(ROLES) for table in TRUTH.values())
    assert len(CASES) == len(Rule) * len(ROLES) * 2


@pytest.mark.parametrize(("rule", "roles", "is_self", "expected"), CASES)
def test_truth_table(
    policy: PolicyEngine, rule: Rule, roles: str, is_self: bool, expected: bool
) -> None:
    target = SUBJECT if is_self else SOMEONE_ELSE
    assert policy.allowed(rule, ROLES[roles], subject=SUBJECT, user_id=target) is expected


def test_an_empty_subject_is_never_the_target(policy: PolicyEngine) -> None:
    assert not policy.allowed(Rule.ADMIN_OR_SUBJECT, ["USER"], subject="", user_id="")


def test_an_action_on_no_user_is_not_an_action_on_oneself(policy: PolicyEngine) -> None:
    assert not policy.allowed(Rule.ADMIN_OR_SUBJECT, ["USER"], subject=SUBJECT, user_id="")
    assert policy.allowed(Rule.ADMIN_OR_SUBJECT, ["ADMIN"], subject=SUBJECT, user_id="")


def test_roles_may_be_any_sequence(policy: PolicyEngine) -> None:
    assert policy.allowed(Rule.ADMIN_ONLY, ("USER", "ADMIN"), subject=SUBJECT, user_id="")


def test_decisions_from_many_threads_stay_correct(policy: PolicyEngine) -> None:
    # An interpreter shared by threads mixes up inputs (regopy releases the GIL): each thread
    # must get its own. Wrong answers here mean that broke.
    cases = [(c.values[0], c.values[1], c.values[2], c.values[3]) for c in CASES]
    wrong: list[object] = []

    def decide_many(offset: int) -> None:
        for step in range(300):  # each thread walks the cases in its own order
            rule, roles, is_self, expected = cases[(offset + step * 7) % len(cases)]
            assert isinstance(rule, Rule)
            assert isinstance(roles, str)
            target = SUBJECT if is_self else SOMEONE_ELSE
            if policy.allowed(rule, ROLES[roles], subject=SUBJECT, user_id=target) is not expected:
                wrong.append((rule, roles, is_self))

    threads = [threading.Thread(target=decide_many, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


# Policies that must stop the service at start.


def policies_with(tmp_path: Path, name: str, source: str) -> Path:
    """A copy of the shipped policies plus one more file."""
    folder = tmp_path / "policies"
    shutil.copytree(POLICY_FOLDER, folder)
    (folder / name).write_text(source)
    return folder


def only_policy(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "authz.rego").write_text(source)
    return folder


BROKEN = """package authz

import rego.v1

rule_broken if {
  input.roles ==
}
"""


def test_a_policy_that_does_not_compile_names_the_file_and_line(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = policies_with(tmp_path, "broken.rego", BROKEN)
    with pytest.raises(PolicyError) as caught:
        PolicyEngine.load(folder)
    message = str(caught.value)
    assert message.startswith("policy does not compile:")
    assert f"{folder / 'broken.rego'}:6:15: Invalid boolean operator" in message
    # rego-cpp prints errors to stdout unless told not to: that would corrupt the JSON logs.
    assert capfd.readouterr() == ("", "")


def test_every_compile_error_is_reported(tmp_path: Path) -> None:
    folder = policies_with(tmp_path, "unclosed.rego", "package authz\n\nrule_x := [1, 2\n")
    with pytest.raises(PolicyError, match=r"unclosed\.rego:3:\d+: "):
        PolicyEngine.load(folder)


def test_a_rule_missing_from_the_policies_stops_the_load(tmp_path: Path) -> None:
    source = (POLICY_FOLDER / "authz.rego").read_text().replace("rule_user_only", "rule_renamed")
    with pytest.raises(
        PolicyError, match="rule authz/rule_user_only did not decide true or false: it is undefined"
    ):
        PolicyEngine.load(only_policy(tmp_path, source))


def test_a_rule_that_is_not_boolean_stops_the_load(tmp_path: Path) -> None:
    shipped = (POLICY_FOLDER / "authz.rego").read_text()
    source = shipped.replace("default rule_any := false", "default rule_any := 5")
    with pytest.raises(PolicyError, match=r"rule authz/rule_any .*: its value is not a boolean"):
        PolicyEngine.load(only_policy(tmp_path, source))


def test_a_rule_that_fails_at_run_time_stops_the_load(tmp_path: Path) -> None:
    source = (POLICY_FOLDER / "authz.rego").read_text() + (
        "\nrule_any if {\n\tnot_a_builtin(input.roles)\n}\n"
    )
    with pytest.raises(PolicyError, match="rule authz/rule_any failed to evaluate"):
        PolicyEngine.load(only_policy(tmp_path, source))


def test_conflicting_rule_values_stop_the_load(tmp_path: Path) -> None:
    source = (POLICY_FOLDER / "authz.rego").read_text() + (
        "\nrule_admin_only := true\n\nrule_admin_only := false\n"
    )
    with pytest.raises(PolicyError, match=r"rule_admin_only .*: its definitions conflict"):
        PolicyEngine.load(only_policy(tmp_path, source))


def test_a_policy_that_is_not_utf8_stops_the_load(tmp_path: Path) -> None:
    folder = policies_with(tmp_path, "latin1.rego", "")
    (folder / "latin1.rego").write_bytes("package authz\n# caf\u00e9\n".encode("latin-1"))
    with pytest.raises(PolicyError, match=r"latin1\.rego: not UTF-8 text"):
        PolicyEngine.load(folder)


def test_a_missing_policy_folder_stops_the_load(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="does not exist"):
        PolicyEngine.load(tmp_path / "absent")


def test_a_folder_without_policies_stops_the_load(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("no policies here")
    with pytest.raises(PolicyError, match=r"holds no \.rego files"):
        PolicyEngine.load(tmp_path)


def test_the_shipped_policies_load() -> None:
    assert PolicyEngine.load().allowed(Rule.ANY, ["USER"], subject=SUBJECT, user_id="")
