"""Authorization decisions by Rego policies, evaluated in-process with regopy (rego-cpp).

Every `.rego` file of the policy folder is compiled once, at start, into one bundle with an
entrypoint per Rule; a policy that does not compile, or a rule that does not answer true or false,
raises PolicyError naming the file and line, so a broken policy stops the service before it
serves. A decision then runs the compiled plan of one entrypoint (tens of µs, in the event loop);
a plain `Interpreter.query()` would recompile the policies on every call (~20x slower), and it
answers a false rule with "undefined" rather than false.

An interpreter holds the input of the query it runs, so it must not be shared by threads (regopy
releases the GIL inside rego-cpp, and a shared one mixes up inputs: measured). Each thread has its
own, made on first use; the compiled bundle is read-only and shared. Within a thread nothing
awaits between setting the input and querying, so coroutines cannot interleave there either.
"""

import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import regopy

from acme_sales.app.sdk.auth.claims import Rule

POLICY_FOLDER = Path(__file__).parent / "policies"
PACKAGE = "authz"  # the Rego package every Rule is a rule of

# Inputs each rule is evaluated with at load time: a rule that is missing (undefined) or fails at
# run time (a conflict, a call to an unknown function) is found before the first request.
_PROBES: tuple[Mapping[str, Any], ...] = (
    {"roles": [], "subject": "", "user_id": ""},
    {"roles": ["ADMIN", "USER"], "subject": "probe", "user_id": "probe"},
)

# rego-cpp reports a compile error as `(error <n>:<file>|<byte offset>|<length> (errormsg
# <n>:<text>) ...)`, each string prefixed with its length in bytes.
_ERROR_START = re.compile(rb"\(error\b")
_ERROR_SOURCE = re.compile(rb"\(error (\d+):")
_ERROR_SPAN = re.compile(rb"\|(\d+)\|")
_ERROR_MESSAGE = re.compile(rb"\(errormsg (\d+):")


class PolicyError(Exception):
    """A policy that does not compile, or a decision that could not be made."""


class PolicyEngine:
    """Answers whether a rule allows an action, from policies compiled once."""

    MAX_DECISIONS = 10_000

    def __init__(self, bundle: regopy.Bundle) -> None:
        self._bundle = bundle
        self._decisions: dict[tuple[Rule, tuple[str, ...], str, str], bool] = {}
        self._entrypoints = {rule: _entrypoint(rule) for rule in Rule}
        self._interpreters = _ThreadInterpreters()

    @classmethod
    def load(cls, folder: Path = POLICY_FOLDER) -> "PolicyEngine":
        """Compile every `*.rego` file in `folder` and check each Rule decides; else PolicyError."""
        sources = _read_sources(folder)
        builder = _quiet_interpreter()
        try:
            for path, source in sources.items():
                builder.add_module(path, source.decode())
            bundle = builder.build(None, [_entrypoint(rule) for rule in Rule])
        except regopy.RegoError as err:
            raise PolicyError(_describe_compile_error(str(err), sources)) from None
        engine = cls(bundle)
        for rule in Rule:
            for probe in _PROBES:
                engine._decide(rule, probe)
        return engine

    def allowed(self, rule: Rule, roles: Sequence[str], subject: str, user_id: str) -> bool:
        """Whether `rule` lets the holder of `roles` (user `subject`) act on user `user_id`.

        A decision is a pure function of these four, so it is remembered: the same caller
        asking the same thing again (every request of a client does) costs a dict lookup, not
        an evaluation (tens of µs). The memo is bounded, oldest entries going first.
        """
        key = (rule, tuple(roles), subject, user_id)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decide(
                rule, {"roles": list(roles), "subject": subject, "user_id": user_id}
            )
            if len(self._decisions) >= self.MAX_DECISIONS:
                del self._decisions[next(iter(self._decisions))]
            self._decisions[key] = decision
        return decision

    def _decide(self, rule: Rule, document: Mapping[str, Any]) -> bool:
        entrypoint = self._entrypoints[rule]
        interpreter = self._interpreters.interpreter
        try:
            interpreter.set_input(regopy.Input(document))
            output = interpreter.query_bundle_entrypoint(self._bundle, entrypoint)
        except (regopy.RegoError, ValueError):
            # ValueError: regopy cannot parse a run-time error's text as a result.
            raise PolicyError(
                f"rule {entrypoint} failed to evaluate (a run-time error in the policy)"
            ) from None
        if output.ok() and len(output) == 1:
            expressions = output[0].expressions
            if len(expressions) == 1 and isinstance(expressions[0], bool):
                return expressions[0]
        raise PolicyError(f"rule {entrypoint} did not decide true or false: {_why_not(output)}")


def _why_not(output: regopy.Output) -> str:
    if not output.ok():
        return "its definitions conflict or it failed at run time"
    if len(output) != 1 or not output[0].expressions:
        return "it is undefined (missing, or without `default ... := false`)"
    return "its value is not a boolean"


class _ThreadInterpreters(threading.local):
    def __init__(self) -> None:
        self.interpreter = _quiet_interpreter()


def _quiet_interpreter() -> regopy.Interpreter:
    interpreter = regopy.Interpreter()
    # rego-cpp prints errors to stdout by default, which would break the JSON log stream; every
    # error still reaches us as a RegoError or a failed output.
    interpreter.log_level = regopy.LogLevel.NONE
    return interpreter


def _entrypoint(rule: Rule) -> str:
    return f"{PACKAGE}/{rule.value}"


def _read_sources(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        raise PolicyError(f"policy folder {folder} does not exist or is not a directory")
    sources = {str(path): path.read_bytes() for path in sorted(folder.glob("*.rego"))}
    if not sources:
        raise PolicyError(f"policy folder {folder} holds no .rego files")
    for path, source in sources.items():
        try:
            source.decode()
        except UnicodeDecodeError as err:
            raise PolicyError(f"{path}: not UTF-8 text (byte {err.start})") from None
    return sources


def _describe_compile_error(message: str, sources: Mapping[str, bytes]) -> str:
    """`file:line:col: text` for each error rego-cpp reports, or its own text if unparsable."""
    raw = message.encode()
    starts = [found.start() for found in _ERROR_START.finditer(raw)]
    problems = [
        _describe_one(raw[start:end], sources)
        for start, end in zip(starts, [*starts[1:], len(raw)], strict=True)
    ]
    if not problems:
        problems = [" ".join(message.split())]
    return "policy does not compile:\n  " + "\n  ".join(problems)


def _describe_one(error: bytes, sources: Mapping[str, bytes]) -> str:
    found = _ERROR_MESSAGE.search(error)
    text = _length_prefixed(error, found.end(), int(found[1])) if found else "error"
    located = _ERROR_SOURCE.match(error)
    if located is None:
        return text
    name_end = located.end() + int(located[1])
    name = _length_prefixed(error, located.end(), int(located[1]))
    span = _ERROR_SPAN.match(error, name_end)
    if span is None or name not in sources:
        return f"{name}: {text}"
    line, column = _line_and_column(sources[name], int(span[1]))
    return f"{name}:{line}:{column}: {text}"


def _length_prefixed(raw: bytes, start: int, length: int) -> str:
    return raw[start : start + length].decode(errors="replace")


def _line_and_column(source: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    before = source[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode(errors="replace")) + 1
