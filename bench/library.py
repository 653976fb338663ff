"""The catalogue at 100, 10,000 and 100,000 articles, on SQLite and PostgreSQL: the first index build,
the library page and a search through `pressroom serve` (p50/p95 of 200 requests), a cold
`pressroom list --limit 50`, a stat walk after 10 files changed, and the server's resident memory.

    .venv/bin/python bench/library.py [SIZES...]      (default: 100 10000 100000)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
PRESSROOM = str(Path(sys.executable).with_name("pressroom"))
REQUESTS = 200

from database_services import running_postgresql  # noqa: E402
from generated_library import generate  # noqa: E402
from server import free_port  # noqa: E402


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:.1f} ms"


def timed_requests(url: str) -> list[float]:
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        times.append(time.perf_counter() - start)
    return times


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def measure(content: Path, env: dict[str, str], count: int) -> dict[str, str]:
    figures = {}
    start = time.perf_counter()
    subprocess.run([PRESSROOM, "index", "--content", str(content)], env=env, check=True)
    seconds = time.perf_counter() - start
    figures["first index"] = f"{seconds:.1f} s, {count / seconds:,.0f} articles/s"
    port = free_port()
    server = subprocess.Popen([PRESSROOM, "serve", "--port", str(port), "--content", str(content)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except urllib.error.HTTPError:
                raise
            except OSError:
                time.sleep(0.1)
        figures["library page"] = percentiles(timed_requests(base + "/"))
        figures["search"] = percentiles(timed_requests(base + "/?q=harbour+boats"))
        figures["server memory"] = f"{resident_kib(server.pid) / 1024:.0f} MiB"
    finally:
        server.terminate()
        server.wait()
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([PRESSROOM, "list", "--content", str(content), "--limit", "50"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - start)
    figures["list --limit 50 (cold)"] = f"{statistics.median(runs):.2f} s"
    for number in range(10):
        path = content / f"article-{number * 97:06}.md"
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8") + "\nChanged outside Pressroom.\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys, time; from pressroom.catalogue.library import Catalogue; "
                    "c = Catalogue(sys.argv[1]); t = time.perf_counter(); r = c.walk(); "
                    "print(f'{time.perf_counter() - t:.3f}', r.changed)", str(content)], env=env, check=True,
                   stdout=(out := tempfile.TemporaryFile()))
    out.seek(0)
    walk_seconds, changed = out.read().decode().split()
    figures["stat walk, 10 changed"] = f"{float(walk_seconds):.2f} s ({changed} read again)"
    return figures


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as scratch, running_postgresql() as postgresql:
        for size in sizes:
            content = Path(scratch) / f"library-{size}"
            generate(content, size)
            for engine in ("sqlite", "postgresql"):
                env = {**os.environ, "PRESSROOM_CATALOGUE_DIR": str(Path(scratch) / "catalogues"),
                       "PRESSROOM_WALK_SECONDS": "5"}
                if engine == "postgresql":
                    env["PRESSROOM_DATABASE"] = postgresql.new_database(f"bench_{size}")
                figures = measure(content, env, size)
                for name, value in figures.items():
                    print(f"{size:>7,} {engine:<10} {name:<24} {value}", flush=True)


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [100, 10_000, 100_000])
