"""Stack dumps of a running service, the nearest thing Python has to Go's goroutine dump.

`GET /debug/stacks` on the debug port answers with every thread's stack and every asyncio task's
stack, of the supervisor and of each worker. The workers serve requests in other processes, so
the supervisor asks each one with SIGUSR1; a worker answers by writing its dump into the
service's metrics directory, where the supervisor reads it. Only workers that have said they
listen are asked (SIGUSR1 would kill a worker still starting up). A worker stuck in C code for
longer than the wait (a blocking call that never returns to Python) cannot answer: the dump says
so.
"""

import asyncio
import io
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType

from acme_sales.foundation.debug import DebugResponse, DebugRoute

PATH = "/debug/stacks"
WAIT_SECONDS = 2.0


def dump() -> str:
    """This process's threads and asyncio tasks, with their stacks."""
    out = io.StringIO()
    out.write(f"process {os.getpid()}\n")
    frames = sys._current_frames()
    for thread in threading.enumerate():
        frame = frames.get(thread.ident or -1)
        out.write(f"\nthread {thread.name} (daemon={thread.daemon})\n")
        if frame is not None:
            out.write("".join(traceback.format_stack(frame)))
    try:
        tasks = asyncio.all_tasks()
    except RuntimeError:  # no event loop running in this thread
        tasks = set()
    for task in sorted(tasks, key=lambda task: task.get_name()):
        out.write(f"\ntask {task.get_name()}\n")
        task.print_stack(file=out)
    return out.getvalue()


def answer_dump_requests(folder: Path) -> None:
    """In a worker (main thread): on SIGUSR1, write `dump()` to `folder/stacks_<pid>.txt`."""

    def write_dump(_signal: int, _frame: FrameType | None) -> None:
        target = _dump_file(folder, os.getpid())
        partial = target.with_suffix(".partial")
        partial.write_text(dump())
        partial.replace(target)  # the supervisor never reads half a dump

    signal.signal(signal.SIGUSR1, write_dump)
    _listening_file(folder, os.getpid()).touch()  # only now may the supervisor signal us


def debug_route(folder: Path, workers: Callable[[], Iterable[int]]) -> DebugRoute:
    """`GET /debug/stacks` for the supervisor's debug listener."""

    async def get_stacks() -> DebugResponse:
        text = await asyncio.to_thread(_collect, folder, list(workers()))
        return DebugResponse(200, text.encode(), content_type="text/plain; charset=utf-8")

    return get_stacks


def _collect(folder: Path, pids: list[int]) -> str:
    asked: list[int] = []
    for pid in pids:
        if not _listening_file(folder, pid).exists():
            continue  # still starting: the signal would kill it
        _dump_file(folder, pid).unlink(missing_ok=True)
        try:
            os.kill(pid, signal.SIGUSR1)
            asked.append(pid)
        except ProcessLookupError:  # exited meanwhile
            continue
    give_up_at = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < give_up_at and not all(
        _dump_file(folder, pid).exists() for pid in asked
    ):
        time.sleep(0.05)
    parts = ["supervisor " + dump()]
    for pid in asked:
        path = _dump_file(folder, pid)
        if path.exists():
            parts.append("worker " + path.read_text())
            path.unlink(missing_ok=True)
        else:
            parts.append(f"worker process {pid}: no answer within {WAIT_SECONDS:g}s\n")
    return ("\n" + "=" * 80 + "\n").join(parts)


def _dump_file(folder: Path, pid: int) -> Path:
    return folder / f"stacks_{pid}.txt"


def _listening_file(folder: Path, pid: int) -> Path:
    return folder / f"stacks_{pid}.listening"
