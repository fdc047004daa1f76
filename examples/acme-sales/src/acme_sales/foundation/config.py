"""Configuration from environment variables and matching command-line flags.

A service describes its settings as frozen dataclasses; a nested dataclass makes a group. The
setting `db.pool_max_size` of a service with prefix `SALES` is read from the flag
`--db-pool-max-size` or else the variable `SALES_DB_POOL_MAX_SIZE`, or else takes its default.
Every bad value is reported at once, each naming its flag or variable and the rule it broke.
"""

import argparse
import dataclasses
import re
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, Literal, TypeVar, get_args, get_origin

T = TypeVar("T")

MASK = "******"

_DURATION = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)(?P<unit>ms|s|m|h)?$")
_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def setting(default: T, *, help: str, secret: bool = False) -> T:  # noqa: A002
    """Declare a setting: its default, what it is for, and whether its value must never be shown."""
    return dataclasses.field(default=default, metadata={"help": help, "secret": secret})


def group(kind: type[T], *, help: str) -> T:  # noqa: A002
    """Declare a group of settings held by a nested dataclass."""
    return dataclasses.field(default_factory=kind, metadata={"help": help, "secret": False})


class ConfigError(Exception):
    """One or more settings have values that cannot be used."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid configuration:\n  " + "\n  ".join(self.problems))


@dataclasses.dataclass(frozen=True, slots=True)
class Option:
    """One leaf setting, addressed by its path through the groups."""

    path: tuple[str, ...]
    kind: Any
    default: Any
    help: str
    secret: bool

    def env_name(self, prefix: str) -> str:
        return "_".join([prefix, *self.path]).upper()

    @property
    def flag(self) -> str:
        return "--" + "-".join(self.path).replace("_", "-")

    @property
    def dest(self) -> str:
        return "__".join(self.path)


def options(config_type: type[Any]) -> list[Option]:
    """Every leaf setting of a config dataclass, in declaration order."""
    found: list[Option] = []
    _collect(config_type, (), found)
    return found


def load(
    config_type: type[T],
    *,
    prefix: str,
    argv: Sequence[str],
    environ: Mapping[str, str],
    description: str,
    version: str,
    also_reads: str = "",
) -> T:
    """Build the config from flags, then the environment, then defaults.

    `--help` and `--version` print and exit 0 (argparse's SystemExit); an unknown flag exits 2;
    bad values raise ConfigError listing every problem.
    """
    known = options(config_type)
    parser = _parser(
        known, prefix=prefix, description=description, version=version, also_reads=also_reads
    )
    flags = vars(parser.parse_args(list(argv)))

    values: dict[tuple[str, ...], Any] = {}
    problems: list[str] = []
    for option in known:
        raw, source = _raw_value(option, flags, environ, prefix)
        if raw is None:
            values[option.path] = option.default
            continue
        try:
            values[option.path] = _convert(raw, option.kind)
        except ValueError as err:
            shown = MASK if option.secret else repr(raw)
            problems.append(f"{source}={shown}: {err}")
    if problems:
        raise ConfigError(problems)
    return _build(config_type, (), values)


def to_environ(config: object, *, prefix: str) -> dict[str, str]:
    """The environment that reproduces `config` exactly (worker processes load it from there)."""
    result: dict[str, str] = {}
    for option in options(type(config)):
        result[option.env_name(prefix)] = _format(_value_at(config, option.path))
    return result


def masked(config: object) -> dict[str, Any]:
    """The config as nested plain values, fit for logging: secrets are replaced by a mask."""
    result: dict[str, Any] = {}
    for field in dataclasses.fields(typing.cast("Any", config)):
        value = getattr(config, field.name)
        if dataclasses.is_dataclass(value):
            result[field.name] = masked(value)
        elif field.metadata.get("secret"):
            result[field.name] = MASK
        elif isinstance(value, bool | int | float | str):
            result[field.name] = value
        else:
            result[field.name] = _format(value)
    return result


def _collect(config_type: type[Any], path: tuple[str, ...], found: list[Option]) -> None:
    hints = typing.get_type_hints(config_type)
    for field in dataclasses.fields(config_type):
        kind = hints[field.name]
        if dataclasses.is_dataclass(kind):
            _collect(typing.cast("type[Any]", kind), (*path, field.name), found)
            continue
        if field.default is dataclasses.MISSING:
            raise TypeError(f"setting {'.'.join((*path, field.name))} needs a default")
        found.append(
            Option(
                path=(*path, field.name),
                kind=kind,
                default=field.default,
                help=field.metadata.get("help", ""),
                secret=bool(field.metadata.get("secret", False)),
            )
        )


def _parser(
    known: Sequence[Option], *, prefix: str, description: str, version: str, also_reads: str
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=description,
        epilog=f"Every flag can also be set by the environment variable shown; flags win. "
        f"Variables start with {prefix}_. {also_reads}".strip(),
    )
    parser.add_argument("--version", action="version", version=version)
    for option in known:
        default = MASK if option.secret else _format(option.default)
        parser.add_argument(
            option.flag,
            dest=option.dest,
            default=None,
            metavar=_metavar(option.kind),
            help=f"{option.help} [env {option.env_name(prefix)}, default {default!r}]",
        )
    return parser


def _raw_value(
    option: Option, flags: Mapping[str, Any], environ: Mapping[str, str], prefix: str
) -> tuple[str | None, str]:
    from_flag = flags.get(option.dest)
    if from_flag is not None:
        return str(from_flag), option.flag
    env_name = option.env_name(prefix)
    return environ.get(env_name), env_name


def _convert(raw: str, kind: Any) -> Any:  # noqa: PLR0911
    if get_origin(kind) is Literal:
        allowed = get_args(kind)
        if raw not in allowed:
            raise ValueError(f"must be one of {', '.join(map(str, allowed))}")
        return raw
    if kind is str:
        return raw
    if kind is bool:
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("must be a boolean (true/false, 1/0, yes/no, on/off)")
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise ValueError("must be an integer") from None
    if kind is float:
        try:
            return float(raw)
        except ValueError:
            raise ValueError("must be a number") from None
    if kind is timedelta:
        return parse_duration(raw)
    if get_origin(kind) is tuple:
        return tuple(item.strip() for item in raw.split(",") if item.strip())
    raise TypeError(f"unsupported setting type {kind!r}")


def parse_duration(raw: str) -> timedelta:
    """`500ms`, `5s`, `2m`, `1h` or a bare number of seconds; ValueError saying so otherwise."""
    match = _DURATION.match(raw.strip())
    if match is None:
        raise ValueError("must be a duration such as 500ms, 5s, 2m or 1h")
    seconds = float(match["amount"]) * _DURATION_UNITS[match["unit"] or "s"]
    return timedelta(seconds=seconds)


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return f"{seconds:g}s"
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def _metavar(kind: Any) -> str:
    if get_origin(kind) is Literal:
        return "{" + ",".join(map(str, get_args(kind))) + "}"
    if kind is timedelta:
        return "DURATION"
    if get_origin(kind) is tuple:
        return "A,B,..."
    if isinstance(kind, type | types.GenericAlias):
        return getattr(kind, "__name__", "VALUE").upper()
    return "VALUE"


def _build(config_type: type[T], path: tuple[str, ...], values: Mapping[tuple[str, ...], Any]) -> T:
    hints = typing.get_type_hints(config_type)
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(typing.cast("Any", config_type)):
        kind = hints[field.name]
        if dataclasses.is_dataclass(kind):
            kwargs[field.name] = _build(typing.cast("type[Any]", kind), (*path, field.name), values)
        else:
            kwargs[field.name] = values[(*path, field.name)]
    return config_type(**kwargs)


def _value_at(config: object, path: tuple[str, ...]) -> Any:
    value: Any = config
    for name in path:
        value = getattr(value, name)
    return value
