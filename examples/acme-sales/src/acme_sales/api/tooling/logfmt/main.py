"""`logfmt`: pretty-print the services' JSON log lines, one readable line each.

    uv run sales | uv run logfmt
    kubectl logs ... | uv run logfmt --service sales

Each JSON line becomes `service time level trace_id message key=value ... (file:line)`. Lines that
are not JSON log lines (a traceback printed by something else, a tool's banner) pass through as
they are, unless a service filter is given. Ctrl-C is ignored: in a pipe it reaches the service
too, and the service's shutdown lines should still be printed; logfmt ends when its input does.
"""

import argparse
import os
import signal
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any

import msgspec

# Shown in fixed places on every line; every other key is printed as key=value.
_FIXED = ("service", "timestamp", "level", "trace_id", "event", "filename", "lineno")
_decode = msgspec.json.Decoder(dict[str, Any])


def format_line(raw: str, *, service: str | None = None) -> str | None:
    """The readable form of one log line; None when the line is filtered out."""
    try:
        record = _decode.decode(raw)
    except msgspec.DecodeError:
        return None if service else raw.rstrip("\n")
    if service and str(record.get("service", "")).lower() != service.lower():
        return None
    trace_id = str(record.get("trace_id", ""))
    head = [
        str(record.get("service", "-")).upper(),
        str(record.get("timestamp", "-")),
        f"{str(record.get('level', '-')).upper():<7}",
        f"[{trace_id[:16]}]" if trace_id else "[-]",
        str(record.get("event", "")),
    ]
    fields = [f"{key}={_show(value)}" for key, value in record.items() if key not in _FIXED]
    where = f"({record['filename']}:{record['lineno']})" if "filename" in record else ""
    return " ".join(part for part in (*head, *fields, where) if part)


def run(lines: Iterable[str], out: IO[str], *, service: str | None = None) -> None:
    for raw in lines:
        shown = format_line(raw, service=service)
        if shown is not None:
            out.write(shown + "\n")
            out.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="logfmt", description="Pretty-print JSON log lines read on stdin."
    )
    parser.add_argument("--service", help="show only this service's lines (sales, auth, ...)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        run(sys.stdin, sys.stdout, service=args.service)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as a filter should
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value if value and " " not in value else repr(value)
    return msgspec.json.encode(value).decode()
