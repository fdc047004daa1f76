"""The supervisor's side of multiprocess metrics: build info, and the live sums forgetting
workers that died without stopping cleanly."""

import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from acme_sales.foundation import metrics

# A worker's part, as a separate process writing into the metrics directory and exiting.
WORKER = """
import os, sys
os.environ["PROMETHEUS_MULTIPROC_DIR"] = sys.argv[1]
from prometheus_client import Counter, Gauge
Counter("jobs", "Jobs done.").inc(int(sys.argv[2]))
Gauge("busy", "Busy now.", multiprocess_mode="livesum").set(1)
"""


def values(scraper: metrics.Scraper) -> dict[str, float]:
    text = scraper.scrape().decode()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def run_worker(folder: Path, jobs: int) -> None:
    subprocess.run([sys.executable, "-c", WORKER, str(folder), str(jobs)], check=True)


def test_counters_of_exited_workers_still_count_live_gauges_do_not(tmp_path: Path) -> None:
    run_worker(tmp_path, 3)
    run_worker(tmp_path, 4)
    found = values(metrics.Scraper(tmp_path))
    assert found["jobs_total"] == 7  # a total never goes down when a worker goes
    assert found.get("busy", 0) == 0  # neither worker is alive: nothing is busy


def test_build_info_names_the_running_build(tmp_path: Path) -> None:
    scraper = metrics.Scraper(
        tmp_path, extra=[metrics.BuildInfo(service="sales", version="1.2.3", build="abc123")]
    )
    text = scraper.scrape().decode()
    [family] = [f for f in text_string_to_metric_families(text) if f.name == "build_info"]
    [sample] = family.samples
    assert sample.value == 1
    assert sample.labels["version"] == "1.2.3"
    assert sample.labels["build"] == "abc123"
    assert sample.labels["python"].startswith(f"{sys.version_info[0]}.{sys.version_info[1]}.")
