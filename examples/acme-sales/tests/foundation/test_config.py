"""Settings come from flags, then the environment, then defaults; bad values are all reported."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import pytest

from acme_sales.foundation import config
from acme_sales.foundation.config import ConfigError, group, setting


@dataclass(frozen=True, slots=True)
class DB:
    host: str = setting("localhost", help="database host")
    port: int = setting(5432, help="database port")
    password: str = setting("postgres", help="database password", secret=True)
    tls: bool = setting(False, help="require TLS")


@dataclass(frozen=True, slots=True)
class Sample:
    timeout: timedelta = setting(timedelta(seconds=5), help="request timeout")
    ratio: float = setting(0.5, help="sampling ratio")
    origins: tuple[str, ...] = setting((), help="allowed origins")
    mode: Literal["json", "console"] = setting("json", help="output format")
    db: DB = group(DB, help="database")


def load(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> Sample:
    return config.load(
        Sample,
        prefix="TEST",
        argv=argv or [],
        environ=environ or {},
        description="sample",
        version="sample 1.2.3",
    )


def test_defaults_apply_when_nothing_is_set() -> None:
    assert load() == Sample()


def test_environment_sets_nested_values() -> None:
    cfg = load(environ={"TEST_DB_HOST": "db.internal", "TEST_DB_PORT": "6432"})
    assert (cfg.db.host, cfg.db.port) == ("db.internal", 6432)


def test_flag_wins_over_environment() -> None:
    cfg = load(argv=["--db-port", "7000"], environ={"TEST_DB_PORT": "6432"})
    assert cfg.db.port == 7000


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("500ms", 0.5), ("5s", 5.0), ("2m", 120.0), ("1h", 3600.0), ("1.5", 1.5)],
)
def test_durations_take_units(raw: str, expected: float) -> None:
    assert load(environ={"TEST_TIMEOUT": raw}).timeout.total_seconds() == expected


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("ON", True), ("0", False)])
def test_booleans_accept_common_spellings(raw: str, expected: bool) -> None:
    assert load(environ={"TEST_DB_TLS": raw}).db.tls is expected


def test_lists_are_comma_separated() -> None:
    cfg = load(environ={"TEST_ORIGINS": "https://a.example, https://b.example"})
    assert cfg.origins == ("https://a.example", "https://b.example")


def test_every_bad_value_is_reported_with_its_source_and_rule() -> None:
    with pytest.raises(ConfigError) as caught:
        load(
            argv=["--timeout", "soon"],
            environ={"TEST_DB_PORT": "abc", "TEST_DB_TLS": "maybe", "TEST_MODE": "xml"},
        )
    assert caught.value.problems == [
        "--timeout='soon': must be a duration such as 500ms, 5s, 2m or 1h",
        "TEST_MODE='xml': must be one of json, console",
        "TEST_DB_PORT='abc': must be an integer",
        "TEST_DB_TLS='maybe': must be a boolean (true/false, 1/0, yes/no, on/off)",
    ]


def test_a_bad_secret_is_reported_without_its_value() -> None:
    @dataclass(frozen=True, slots=True)
    class WithSecretNumber:
        pin: int = setting(0, help="a secret number", secret=True)

    with pytest.raises(ConfigError) as caught:
        config.load(
            WithSecretNumber,
            prefix="TEST",
            argv=[],
            environ={"TEST_PIN": "hunter2"},
            description="",
            version="",
        )
    assert "hunter2" not in str(caught.value)
    assert "TEST_PIN=******: must be an integer" in str(caught.value)


def test_help_lists_every_flag_with_its_variable_and_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        load(argv=["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for flag, env in [("--db-host", "TEST_DB_HOST"), ("--timeout", "TEST_TIMEOUT")]:
        assert flag in out
        assert env in out
    assert "postgres" not in out  # the secret default is masked


def test_version_prints_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        load(argv=["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == "sample 1.2.3"


def test_unknown_flag_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        load(argv=["--db-hots", "x"])
    assert caught.value.code == 2
    assert "unrecognized arguments: --db-hots" in capsys.readouterr().err


def test_to_environ_round_trips_every_value() -> None:
    original = load(
        argv=["--timeout", "250ms", "--origins", "https://a.example", "--db-tls", "yes"],
        environ={"TEST_DB_PASSWORD": "s3cret", "TEST_RATIO": "0.25"},
    )
    assert load(environ=config.to_environ(original, prefix="TEST")) == original


def test_masked_hides_secrets_and_keeps_the_rest() -> None:
    shown = config.masked(load(environ={"TEST_DB_PASSWORD": "s3cret"}))
    assert shown["db"] == {
        "host": "localhost",
        "port": 5432,
        "password": "******",
        "tls": False,
    }
    assert shown["timeout"] == "5s"
