"""What the depth of a call costs on CPython 3.11: its frames live in 16 KiB chunks, and a call that
crosses into a new chunk maps one (mmap) and the return unmaps it (munmap), so a loop that calls
across a boundary pays two system calls and fresh pages per call (CPython gh-142183, fixed in 3.13
and 3.14 by keeping one spare chunk). The same WeasyPrint layout then costs more or less by where
the caller's frames end.

Usage: python -P bench/stack_chunks.py [ARTICLE FOLDER]
  without arguments, the minimal reproduction (Python only): a loop of calls at each depth;
  with them, also WeasyPrint alone on FOLDER (written by print_source.py from ARTICLE) called from
  8 different depths, and Pressroom's export of ARTICLE: CPU seconds and page faults of each.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CALLS = 20_000
DEPTHS = range(200)  # more than a chunk's worth of this script's frames
WEASYPRINT_DEPTHS = range(0, 96, 12)  # the period of the slow depths for WeasyPrint's frames: about 90


def main() -> None:
    print(f"Python {sys.version.split()[0]}: {CALLS} calls of an empty function from each depth of {DEPTHS.start}-"
          f"{DEPTHS.stop - 1} frames")
    costs = {depth: calls_at_depth(depth) for depth in DEPTHS}
    typical = statistics.median(costs.values())
    slow = {depth: cost for depth, cost in costs.items() if cost > 3 * typical}
    print(f"  median {typical * 1e9:.0f} ns a call; at {len(slow)} depths over 3x the median: "
          + ", ".join(f"{depth} ({cost * 1e9:.0f} ns)" for depth, cost in slow.items()))
    if len(sys.argv) == 3:
        article, folder = sys.argv[1], sys.argv[2]
        with tempfile.TemporaryDirectory() as work:
            print("WeasyPrint alone on the same source, called from more frames (whole processes):")
            for depth in WEASYPRINT_DEPTHS:
                cpu, faults = process_cost([sys.executable, "-P", str(BENCH / "weasyprint_alone.py"), folder,
                                            str(Path(work) / "alone.pdf"), "--call-depth", str(depth)])
                print(f"  {depth:3d} more frames: CPU {cpu:6.2f} s, minor page faults {faults:8d}")
            cpu, faults = process_cost(["pressroom", "export", article, "-f", "pdf", "-o", work])
            print(f"Pressroom's export (the command):   CPU {cpu:6.2f} s, minor page faults {faults:8d}")


def calls_at_depth(depth: int) -> float:
    """Seconds a call of an empty function takes from `depth` frames down (the best of three loops)."""
    if depth:
        return calls_at_depth(depth - 1)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(CALLS):
            empty()
        best = min(best, time.perf_counter() - started)
    return best / CALLS


def empty() -> None:
    pass


def process_cost(command: list[str]) -> tuple[float, int]:
    """CPU seconds and minor page faults of a whole command, with the processes it waited for."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    errors = process.stderr.read().decode()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command[:3])}... failed: {errors[-2000:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_minflt


if __name__ == "__main__":
    main()
