"""The export queue measured: throughput of small articles with one worker process and with two, and
what a trivial job (an exporter that returns a constant) costs end to end.

Runs a real redis-server on a free loopback port and `pressroom worker` processes; the submitter,
Redis and the workers share this machine's cores. Usage: .venv/bin/python bench/queue_throughput.py [--articles N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from queue_services import running_redis  # noqa: E402

TRIVIAL_ENTRY_POINTS = """[pressroom.exporters]
constant = trivial_exporter:ConstantExporter
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--trivial-jobs", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pressroom-bench-queue-"))
    sources = write_articles(work / "articles", args.articles)
    environment = trivial_plugin_environment(work)
    os.environ.update(environment)
    rates = {}
    for processes in (1, 2):
        rates[processes] = throughput(work, sources, processes)
    trivial = trivial_latencies(work, args.trivial_jobs)
    print(f"\nQueue benchmark ({os.cpu_count()} cores; submitter, Redis and workers on one machine)")
    print("| work | 1 process | 2 processes | ratio | target |\n|---|---|---|---|---|")
    ratio = rates[2] / rates[1]
    print(f"| {args.articles} small articles -> EPUB, articles/s | {rates[1]:.1f} | {rates[2]:.1f} | {ratio:.2f} | "
          f">= 1.5 ({'met' if ratio >= 1.5 else 'NOT met'}) |")
    median = statistics.median(trivial) * 1000
    print(f"Trivial job end to end: median {median:.1f} ms, p95 {sorted(trivial)[int(len(trivial) * .95)] * 1000:.1f} ms "
          f"over {len(trivial)} jobs sent one at a time (target < 20 ms: {'met' if median < 20 else 'NOT met'})")


def write_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for number in range(count):
        path = folder / f"note-{number:04d}.txt"
        path.write_text(f"Note {number}\n\nThe text of note {number}, short and plain.\n\n1. An item. With words.\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def trivial_plugin_environment(work: Path) -> dict[str, str]:
    """A plug-in exporter visible to this benchmark's processes only: a dist-info on PYTHONPATH."""
    site = work / "site"
    info = site / "pressroom_bench_trivial-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pressroom-bench-trivial\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(TRIVIAL_ENTRY_POINTS)
    (site / "trivial_exporter.py").write_text(
        "from pressroom.exporters import Edition, EditionFile, Exporter\n\n"
        "class ConstantExporter(Exporter):\n"
        "    name, label, media_type, extension = 'constant', 'Constant', 'text/plain', 'txt'\n\n"
        "    def export(self, article, settings, pages=None):\n"
        "        return Edition((EditionFile(article.slug + '.txt', b'constant', self.media_type),))\n")
    return {"PYTHONPATH": str(site)}


def throughput(work: Path, sources: list[Path], processes: int) -> float:
    """Articles per second through the queue with one worker of `processes` processes."""
    pressroom = str(Path(sys.executable).with_name("pressroom"))
    # Each run starts with an empty cache folder, so that no run reuses the covers another one drew.
    environment = {**os.environ, "PRESSROOM_CACHE_DIR": str(work / f"cache-{processes}")}
    with running_redis(work) as server:
        worker = subprocess.Popen([pressroom, "worker", "--queue", server.url, "--processes", str(processes)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                  env=environment)
        try:
            time.sleep(3)
            started = time.monotonic()
            result = subprocess.run([pressroom, "export", *map(str, sources), "-f", "epub", "-o",
                                     str(work / f"out-{processes}"), "--queue", server.url],
                                    capture_output=True, text=True, env=environment)
            elapsed = time.monotonic() - started
            assert result.returncode == 0, result.stderr[-2000:]
        finally:
            os.killpg(worker.pid, 9)
            worker.wait()
    return len(sources) / elapsed


def trivial_latencies(work: Path, jobs: int) -> list[float]:
    """Seconds from sending a trivial job to having its result, one job at a time, warm worker."""
    from pressroom.articles import read_article
    from pressroom.jobs.payload import job_payload
    from pressroom.jobs.queue import TASK_NAME, queue_app

    article = read_article(write_articles(work / "trivial", 1)[0])
    pressroom = str(Path(sys.executable).with_name("pressroom"))
    with running_redis(work) as server:
        worker = subprocess.Popen([pressroom, "worker", "--queue", server.url, "--processes", "1"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            time.sleep(3)
            app = queue_app(server.url)
            payload = job_payload(article, ["constant"], {})
            latencies = []
            for _ in range(jobs + 5):
                started = time.perf_counter()
                result = app.send_task(TASK_NAME, args=[payload], task_id=str(uuid.uuid4()))
                outcome = result.get(timeout=30, interval=0.001)
                latencies.append(time.perf_counter() - started)
                assert "editions" in outcome, outcome
        finally:
            os.killpg(worker.pid, 9)
            worker.wait()
    return latencies[5:]  # the first jobs warm the worker's connections


if __name__ == "__main__":
    main()
