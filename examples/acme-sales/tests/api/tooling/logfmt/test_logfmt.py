"""logfmt makes JSON log lines readable, filters by service, passes other lines through, and
keeps reading when Ctrl-C reaches the pipe."""

import json
import signal
import subprocess
import sys

from acme_sales.api.tooling.logfmt.main import format_line

LINE = {
    "event": "request completed",
    "service": "sales",
    "level": "info",
    "timestamp": "2026-01-02T03:04:05.678Z",
    "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
    "filename": "logging.py",
    "lineno": 57,
    "method": "GET",
    "path": "/v1/users",
    "status": 200,
    "remote": "",
    "error": "connection refused by peer",
}


def test_a_json_line_becomes_one_readable_line() -> None:
    shown = format_line(json.dumps(LINE))
    assert shown == (
        "SALES 2026-01-02T03:04:05.678Z INFO    [4bf92f3577b34da6] request completed "
        "method=GET path=/v1/users status=200 remote='' error='connection refused by peer' "
        "(logging.py:57)"
    )


def test_lines_of_other_services_are_filtered_out() -> None:
    assert format_line(json.dumps(LINE), service="auth") is None
    assert format_line(json.dumps(LINE), service="SALES") is not None


def test_other_lines_pass_through_unless_filtering() -> None:
    assert (
        format_line("Traceback (most recent call last):\n") == "Traceback (most recent call last):"
    )
    assert format_line("Traceback (most recent call last):\n", service="sales") is None


def test_ctrl_c_does_not_stop_it_before_its_input_ends() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "acme_sales.api.tooling.logfmt"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(json.dumps(LINE) + "\n")
    process.stdin.flush()
    # Its first line out: started and reading, so Ctrl-C is already ignored (a fixed wait is
    # too short on a busy machine).
    first = process.stdout.readline()
    process.send_signal(signal.SIGINT)  # what a terminal sends the whole pipe on Ctrl-C
    process.stdin.write(json.dumps({**LINE, "event": "shutdown complete"}) + "\n")
    rest, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert [line.split()[4] for line in (first + rest).splitlines()] == ["request", "shutdown"]
