"""Count what WeasyPrint does for Pressroom's PDF export and for WeasyPrint alone on the same source:
the calls of every WeasyPrint function (cProfile counts them exactly, so the shared machine's noise
does not enter), and the profiled time of Pressroom's own functions inside the export.

Usage: python -P bench/weasyprint_calls.py ARTICLE FOLDER   (FOLDER written by print_source.py)
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PACKAGE = BENCH.parent


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--side":
        profile_side(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    article, folder = Path(sys.argv[1]), Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as work:
        counts = {}
        for side in ("pressroom", "alone"):  # each in a fresh process, as a command runs
            stats = Path(work) / f"{side}.json"
            subprocess.run([sys.executable, "-P", __file__, "--side", side, str(article if side == "pressroom" else folder),
                            str(stats)], check=True)
            counts[side] = json.loads(stats.read_text(encoding="utf-8"))
    report(counts["pressroom"], counts["alone"])


def profile_side(side: str, source: Path, stats_file: Path) -> None:
    """Profile one side's PDF and write each function's calls and own time as JSON."""
    if side == "pressroom":
        from pressroom.articles import read_article
        from pressroom.exporters import chosen_options, exporter_for

        article = read_article(source)
        exporter = exporter_for("pdf")
        settings = exporter.settings(chosen_options({}))
        exporter.prepare()  # imports WeasyPrint, as the command does before its worker starts

        def work():
            exporter.export(article, settings)
    else:
        sys.path.insert(0, str(BENCH))
        import weasyprint_alone

        output = stats_file.with_suffix(".pdf")

        def work():
            sys.argv = ["weasyprint_alone.py", str(source), str(output)]
            weasyprint_alone.main()

    profile = cProfile.Profile()
    profile.runcall(work)
    functions = {}
    for (filename, line, name), (_, calls, own_time, _, _) in pstats.Stats(profile).stats.items():
        functions[f"{filename}:{line}:{name}"] = [calls, own_time]
    stats_file.write_text(json.dumps(functions), encoding="utf-8")


def report(ours: dict, alone: dict) -> None:
    def weasyprint(functions):
        return {key: value for key, value in functions.items() if f"{os.sep}weasyprint{os.sep}" in key}

    ours_wp, alone_wp = weasyprint(ours), weasyprint(alone)
    differing = sorted((key for key in set(ours_wp) | set(alone_wp)
                        if ours_wp.get(key, [0])[0] != alone_wp.get(key, [0])[0]),
                       key=lambda key: -abs(ours_wp.get(key, [0])[0] - alone_wp.get(key, [0])[0]))
    own = sum(own_time for key, (_, own_time) in ours.items() if key.startswith(str(PACKAGE))
              and "site-packages" not in key)
    total_ours = sum(own_time for _, own_time in ours.values())
    total_alone = sum(own_time for _, own_time in alone.values())
    print(f"WeasyPrint functions called: {len(ours_wp)} (Pressroom) / {len(alone_wp)} (alone); "
          f"calls {sum(c for c, _ in ours_wp.values()):,} / {sum(c for c, _ in alone_wp.values()):,}")
    print(f"WeasyPrint functions called a different number of times: {len(differing)}")
    for key in differing[:10]:
        print(f"  {ours_wp.get(key, [0])[0]:>9,} / {alone_wp.get(key, [0])[0]:>9,}  {key.split(os.sep + 'weasyprint' + os.sep)[-1]}")
    print(f"profiled time: Pressroom's export {total_ours:.2f} s, of which its own functions "
          f"{own:.3f} s ({own / total_ours:.1%}); WeasyPrint alone {total_alone:.2f} s")


if __name__ == "__main__":
    main()
