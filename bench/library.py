"""The catalogue at 100, 10,000 and 100,000 articles, on SQLite and PostgreSQL: the first index build,
the library page, a search and the OPDS feed of the newest articles through `pressroom serve` (p50/p95 of
200 requests, and the first request of each), a cold `pressroom list --limit 50`, a stat walk after 10
files changed, and the server's resident memory; then a table of each figure against issue 28's target.

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


PAGES = {  # what each page's row is called, and its address
    "library page": "/",
    "search": "/?q=harbour+boats",
    "OPDS newest": "/opds/articles?sort=added",  # the root feed's first entry, the one a reader opens first
}
PAGE_P95_MS = 100  # issue 28: each page's p95 under 100 ms, and at most 2x the smallest size's (100 articles)
PAGE_GROWTH = 2.0
LIST_SECONDS = 0.5
WALK_SECONDS = 1.0
MEMORY_GROWTH = 1.2


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def timed_requests(url: str) -> list[float]:
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
        times.append(time.perf_counter() - start)
    return times


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def measure(content: Path, env: dict[str, str], count: int) -> dict[str, float]:
    """Each figure by name: seconds, milliseconds or MiB as the name says."""
    figures = {}
    start = time.perf_counter()
    subprocess.run([PRESSROOM, "index", "--content", str(content)], env=env, check=True)
    figures["first index (s)"] = time.perf_counter() - start
    port = free_port()
    server = subprocess.Popen([PRESSROOM, "serve", "--port", str(port), "--content", str(content)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/opds/", timeout=5).read()
                break
            except urllib.error.HTTPError:
                raise
            except OSError:
                time.sleep(0.1)
        for name, address in PAGES.items():
            times = timed_requests(base + address)
            figures[f"{name}, first request (ms)"] = times[0] * 1000
            figures[f"{name} p50 (ms)"] = statistics.median(times) * 1000
            figures[f"{name} p95 (ms)"] = percentile(times, 0.95) * 1000
        figures["server memory (MiB)"] = resident_kib(server.pid) / 1024
    finally:
        server.terminate()
        server.wait()
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([PRESSROOM, "list", "--content", str(content), "--limit", "50"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - start)
    figures["list --limit 50, cold (s)"] = statistics.median(runs)
    for number in range(10):
        path = content / f"article-{number * 97:06}.md"
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8") + "\nChanged outside Pressroom.\n", encoding="utf-8")
    subprocess.run([sys.executable, "-c", "import sys, time; from pressroom.catalogue.library import Catalogue; "
                    "c = Catalogue(sys.argv[1]); t = time.perf_counter(); r = c.walk(); "
                    "print(f'{time.perf_counter() - t:.3f}', r.changed)", str(content)], env=env, check=True,
                   stdout=(out := tempfile.TemporaryFile()))
    out.seek(0)
    walk_seconds, changed = out.read().decode().split()
    figures["stat walk, 10 changed (s)"] = float(walk_seconds)
    figures["read again by the walk"] = float(changed)
    return figures


def cell(name: str, value: float) -> str:
    if name.endswith("(s)"):
        return f"{value:.2f} s"
    if name.endswith("(ms)"):
        return f"{value:.1f} ms"
    if name.endswith("(MiB)"):
        return f"{value:.0f} MiB"
    return f"{value:,.0f}"


def verdict(name: str, figures: dict[int, float]) -> tuple[str, str]:
    """Issue 28's target for the figure `name` and whether its value at the largest size meets it."""
    sizes = sorted(figures)
    last, first = figures[sizes[-1]], figures[sizes[0]]
    if name.endswith("p95 (ms)"):
        ratio = last / first
        return (f"< {PAGE_P95_MS} ms and ≤ {PAGE_GROWTH:g}x the {sizes[0]:,}-article figure ({ratio:.1f}x)",
                "met" if last < PAGE_P95_MS and ratio <= PAGE_GROWTH else "NOT met")
    if name.startswith("list"):
        return f"< {LIST_SECONDS} s", "met" if last < LIST_SECONDS else "NOT met"
    if name.startswith("stat walk"):
        return f"< {WALK_SECONDS:g} s", "met" if last < WALK_SECONDS else "NOT met"
    if name.startswith("server memory"):
        ratio = last / first
        return (f"≤ {MEMORY_GROWTH}x the {sizes[0]:,}-article figure ({ratio:.2f}x)",
                "met" if ratio <= MEMORY_GROWTH else "NOT met")
    return "—", ""


def table(results: dict[tuple[str, str], dict[int, float]], sizes: list[int]) -> str:
    """The figures as a markdown table: a row per figure and engine (a page's p50 beside its p95), a
    column per library size."""
    lines = ["| measurement | engine | " + " | ".join(f"{size:,} articles" for size in sizes) + " | target | |",
             "|---|---|" + "---:|" * len(sizes) + "---|---|"]
    for (name, engine), figures in results.items():
        if name.endswith("p50 (ms)") or name.startswith("read again"):
            continue
        target, met = verdict(name, figures)
        medians = results.get((name.replace("p95", "p50"), engine), {}) if name.endswith("p95 (ms)") else {}
        values = " | ".join((f"{medians[size]:.1f} / " if size in medians else "") + cell(name, figures[size])
                            if size in figures else "" for size in sizes)
        label = name.rsplit(" (", 1)[0].replace("p95", "p50 / p95")
        lines.append(f"| {label} | {ENGINES[engine]} | {values} | {target} | {met} |")
    return "\n".join(lines)


ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def main(sizes: list[int]) -> None:
    results: dict[tuple[str, str], dict[int, float]] = {}
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as scratch, running_postgresql() as postgresql:
        for size in sizes:
            content = Path(scratch) / f"library-{size}"
            generate(content, size)
            for engine in ENGINES:
                env = {**os.environ, "PRESSROOM_CATALOGUE_DIR": str(Path(scratch) / "catalogues"),
                       "PRESSROOM_WALK_SECONDS": "5"}
                if engine == "postgresql":
                    env["PRESSROOM_DATABASE"] = postgresql.new_database(f"bench_{size}")
                for name, value in measure(content, env, size).items():
                    print(f"{size:>7,} {engine:<10} {name:<28} {cell(name, value)}", flush=True)
                    results.setdefault((name, engine), {})[size] = value
    ordered = dict(sorted(results.items(), key=lambda item: list(results).index((item[0][0], "sqlite"))))
    print()
    print(table(ordered, sizes))


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [100, 10_000, 100_000])
