"""What the process runs on: host name and the CPUs it may use (Python's answer to GOMAXPROCS)."""

import math
import os
import socket
from dataclasses import dataclass
from pathlib import Path

_CGROUP_V2_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
_CGROUP_V1_QUOTA = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
_CGROUP_V1_PERIOD = Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us")


@dataclass(frozen=True, slots=True)
class CPUInfo:
    """CPUs of the machine, those this process may be scheduled on, and the container's limit."""

    machine: int
    schedulable: int
    limit: float | None  # None when the container has no CPU quota

    @property
    def usable(self) -> int:
        """Whole CPUs this process can keep busy: the basis for sizing worker counts."""
        if self.limit is None:
            return self.schedulable
        return max(1, min(self.schedulable, math.ceil(self.limit)))


def hostname() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return "unavailable"


def cpu_info() -> CPUInfo:
    machine = os.cpu_count() or 1
    return CPUInfo(machine=machine, schedulable=_schedulable(machine), limit=cgroup_cpu_limit())


def cgroup_cpu_limit(
    v2_cpu_max: Path = _CGROUP_V2_CPU_MAX,
    v1_quota: Path = _CGROUP_V1_QUOTA,
    v1_period: Path = _CGROUP_V1_PERIOD,
) -> float | None:
    """The CPU quota of this container in CPUs (cgroup v2, else v1), or None when unlimited."""
    try:
        quota, period = v2_cpu_max.read_text().split()
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota_us = int(v1_quota.read_text())
        period_us = int(v1_period.read_text())
    except (OSError, ValueError):
        return None
    return None if quota_us <= 0 else quota_us / period_us


def _schedulable(machine: int) -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not every platform has affinity
        return machine
