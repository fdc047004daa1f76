"""Prometheus metrics summed over every worker process, scraped from the supervisor.

A service runs several worker processes, each counting its own requests. prometheus-client's
multiprocess mode is how they add up: every worker writes its values to memory-mapped files in one
directory, and a scrape reads and merges all of them. The supervisor makes a fresh directory at
each start (`prepare_multiprocess_dir`, before the workers start, since the mode is chosen when
prometheus-client is first imported), and its debug listener serves `scrape()`.

Counters of workers that have exited keep counting in the sum (a total must never go down).
Gauges declared `livesum` (in flight, pool sizes) count live workers only: a worker marks itself
dead when it stops (`mark_worker_stopped`), and a scrape sweeps the files of workers that died
without stopping cleanly, as prometheus-client documents for its multiprocess mode.
"""

import asyncio
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, multiprocess
from prometheus_client.exposition import generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from acme_sales.foundation.debug import DebugResponse, DebugRoute

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
PATH = "/metrics"

# Request latencies of an API: from a cached read (a few ms) to a slow report (10 s).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_METRICS_FILE = re.compile(r"^\w+_(?P<pid>\d+)\.db$")  # <kind>_<pid>.db, one per worker and kind


def prepare_multiprocess_dir(service: str) -> Path:
    """A fresh, empty directory for this start's metric files, exported for the workers.

    Always a new one: files left by an earlier start would add its counts to this one's.
    """
    path = Path(tempfile.mkdtemp(prefix=f"{service}-metrics-"))
    os.environ[MULTIPROC_ENV] = str(path)
    return path


def multiprocess_dir() -> Path | None:
    """In a worker: the directory its supervisor made (None when run without one, as in tests)."""
    found = os.environ.get(MULTIPROC_ENV)
    return Path(found) if found else None


def remove_multiprocess_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def mark_worker_stopped() -> None:
    """Drop this worker's live gauges from the sum (call it when a worker shuts down)."""
    if MULTIPROC_ENV in os.environ:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


class Scraper:
    """What `/metrics` on the debug port answers: every worker's metrics summed, the workers'
    process figures, plus `extra` collectors of the supervisor itself (build info, ...)."""

    def __init__(self, path: Path, extra: Iterable[Collector] = ()) -> None:
        self.path = path
        self.registry = CollectorRegistry(auto_describe=True)
        # (prometheus-client's multiprocess module is not annotated: hence the ignores)
        multiprocess.MultiProcessCollector(self.registry, path=str(path))  # type: ignore[no-untyped-call]
        self.registry.register(WorkerProcesses(self.live_workers))
        for collector in extra:
            self.registry.register(collector)

    def scrape(self) -> bytes:
        self._sweep_dead_workers()
        return generate_latest(self.registry)

    def live_workers(self) -> list[int]:
        """The processes that write metrics here and are still running."""
        return sorted(pid for pid in self._writers() if _alive(pid))

    def _writers(self) -> set[int]:
        return {
            int(found["pid"])
            for entry in os.scandir(self.path)
            if (found := _METRICS_FILE.match(entry.name))
        }

    def _sweep_dead_workers(self) -> None:
        # A worker that crashed never ran mark_worker_stopped: its in-flight requests and pool
        # connections would stay in the live sums forever.
        for pid in self._writers():
            if not _alive(pid):
                multiprocess.mark_process_dead(pid, path=str(self.path))  # type: ignore[no-untyped-call]


class BuildInfo(Collector):
    """`build_info{service,version,build,python} 1`: which code answers, for dashboards."""

    def __init__(self, *, service: str, version: str, build: str) -> None:
        python = ".".join(str(part) for part in sys.version_info[:3])
        self.labels = {"service": service, "version": version, "build": build, "python": python}

    def collect(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(
            "build_info", "The running build (always 1).", labels=list(self.labels)
        )
        info.add_metric(list(self.labels.values()), 1)
        yield info


class WorkerProcesses(Collector):
    """How many workers run, and their CPU time and memory summed (`workers_*`).

    prometheus-client's process collector describes one process; in multiprocess mode it can only
    describe the supervisor (`process_*`), so the workers' figures are read from /proc here.
    """

    def __init__(self, workers: Callable[[], Iterable[int]]) -> None:
        self.workers = workers
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.page_size = os.sysconf("SC_PAGE_SIZE")

    def collect(self) -> Iterator[Metric]:
        pids = list(self.workers())
        cpu = 0.0
        memory = 0
        for stat in filter(None, map(_proc_stat, pids)):
            cpu += (int(stat[11]) + int(stat[12])) / self.ticks  # utime, stime
            memory += int(stat[21]) * self.page_size  # rss, in pages
        yield GaugeMetricFamily("workers", "Live worker processes.", value=len(pids))
        yield GaugeMetricFamily(
            "workers_cpu_seconds", "CPU time used by the live workers, summed.", value=cpu
        )
        yield GaugeMetricFamily(
            "workers_resident_memory_bytes", "Resident memory of the live workers.", value=memory
        )


def debug_route(scraper: Scraper) -> DebugRoute:
    """`GET /metrics` for the debug listener (the merge reads files: off the listener's loop)."""

    async def get_metrics() -> DebugResponse:
        body = await asyncio.to_thread(scraper.scrape)
        return DebugResponse(200, body, content_type=CONTENT_TYPE_LATEST)

    return get_metrics


def supervisor_process_collector() -> Collector:
    """`process_*` figures of the supervisor, in a registry of its own (never the default one)."""
    return ProcessCollector(registry=None)


def _alive(pid: int) -> bool:
    stat = _proc_stat(pid)
    if stat is not None:
        return stat[0] != "Z"  # a zombie has exited, only not been reaped yet
    if Path("/proc").is_dir():
        return False
    try:  # not Linux: ask the kernel with signal 0
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _proc_stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat from its third field (state) on; None when there is no such process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its end.
    return raw[raw.rindex(")") + 2 :].split()
