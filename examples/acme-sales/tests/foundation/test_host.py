"""CPU limits are read from the container's cgroup, the way GOMAXPROCS would be sized."""

from pathlib import Path

import pytest

from acme_sales.foundation import host


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [("max 100000\n", None), ("150000 100000\n", 1.5), ("50000 100000\n", 0.5)],
)
def test_cgroup_v2_quota(tmp_path: Path, cpu_max: str, expected: float | None) -> None:
    path = tmp_path / "cpu.max"
    path.write_text(cpu_max)
    missing = tmp_path / "absent"
    assert host.cgroup_cpu_limit(path, missing, missing) == expected


def test_cgroup_v1_quota(tmp_path: Path) -> None:
    quota, period = tmp_path / "quota", tmp_path / "period"
    quota.write_text("200000\n")
    period.write_text("100000\n")
    assert host.cgroup_cpu_limit(tmp_path / "absent", quota, period) == 2.0


def test_no_cgroup_means_no_limit(tmp_path: Path) -> None:
    missing = tmp_path / "absent"
    assert host.cgroup_cpu_limit(missing, missing, missing) is None


@pytest.mark.parametrize(
    ("schedulable", "limit", "usable"),
    [(8, None, 8), (8, 1.5, 2), (8, 0.25, 1), (2, 4.0, 2)],
)
def test_usable_cpus_respect_the_limit(schedulable: int, limit: float | None, usable: int) -> None:
    assert host.CPUInfo(machine=8, schedulable=schedulable, limit=limit).usable == usable


def test_this_machine_reports_at_least_one_cpu() -> None:
    info = host.cpu_info()
    assert info.machine >= info.schedulable >= 1
