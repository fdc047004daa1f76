"""A worker's profile under load, by py-spy (a sampling profiler that attaches to a running
process: the worker runs as served, unchanged), summed up as where its CPU goes.

The summary counts each sample once, at the frame on top of its stack (self time), and sorts
those frames into the packages they belong to, so "asyncpg 12 %" means 12 % of the samples were
inside asyncpg's own code. The raw stacks are kept (`--output`) for a flame graph:
`py-spy` writes them in the collapsed format that flamegraph.pl and speedscope read.
"""

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# The packages a sales worker's time goes to, by the path of a frame's file; the first match
# names it. The service's own layers are told apart, since that is where a change would go.
AREAS: tuple[tuple[str, str], ...] = (
    ("/acme_sales/api/", "service: api"),
    ("/acme_sales/app/", "service: app"),
    ("/acme_sales/business/", "service: business"),
    ("/acme_sales/foundation/", "service: foundation"),
    ("/litestar/", "litestar"),
    ("/asyncpg/", "asyncpg"),
    ("/jwt/", "pyjwt"),
    ("/cryptography/", "cryptography"),
    ("/structlog/", "structlog"),
    ("/logging/", "logging"),
    ("/opentelemetry/", "opentelemetry"),
    ("/prometheus_client/", "prometheus-client"),
    ("/msgspec/", "msgspec"),
    ("/httpx/", "httpx"),
    ("/httpcore/", "httpcore"),
    ("/granian/", "granian"),
    ("/asyncio/", "asyncio"),
)
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


@dataclass(frozen=True)
class Profile:
    samples: int
    by_area: list[tuple[str, float]]  # (area, share of samples), largest first
    by_function: list[tuple[str, float]]  # (function (file), share), largest first


def record(pid: int, *, seconds: float, output: Path, rate: int = 250) -> Profile:
    """Sample process `pid` for `seconds` (py-spy record, collapsed stacks into `output`)."""
    subprocess.run(
        [
            "py-spy",
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(max(1, round(seconds))),
            "--rate",
            str(rate),
            "--format",
            "raw",
            "--output",
            str(output),
            "--full-filenames",  # the path tells a frame's package (AREAS)
            "--nonblocking",  # never pause the worker: the load's figures stay its own
        ],
        check=True,
        capture_output=True,
    )
    return summarize(output.read_text())


def summarize(collapsed: str, *, top: int = 12) -> Profile:
    """Self time by area and by function from py-spy's collapsed stacks (`a;b;c 17` lines)."""
    areas: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        leaf = stack.rsplit(";", 1)[-1]
        match = _FRAME.match(leaf)
        function, file = (match["function"], match["file"]) if match else (leaf, "")
        areas[area_of(file)] += int(count)
        functions[f"{function} ({Path(file).name})"] += int(count)
        total += int(count)
    share = 1 / max(total, 1)
    return Profile(
        samples=total,
        by_area=[(name, n * share) for name, n in areas.most_common()],
        by_function=[(name, n * share) for name, n in functions.most_common(top)],
    )


def area_of(file: str) -> str:
    for marker, area in AREAS:
        if marker in file:
            return area
    if "-packages/" not in file and re.search(r"/lib/python3\.\d+/", file):
        return "python stdlib (other)"
    return "python (other)" if file.endswith(".py") else "native / other"


def busiest_worker(group: int) -> int:
    """The pid of the process of a service's process group, other than its supervisor (the
    group's leader), that has used the most CPU: under load, the worker serving it."""
    used: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone since the listing
        pid = int(stat.parent.name)
        if int(fields[2]) == group and pid != group:  # pgrp
            used[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    if not used:
        raise RuntimeError(f"no worker in process group {group}")
    return max(used, key=used.__getitem__)
