"""Measure Pressroom and pandoc on the same inputs in one run: medians, min-max, ratios, peak memory.

Inputs: the sample article; a 200-chapter book of real prose made from Debian's debian-handbook
(English HTML), as one article and as 200 articles bound by a manifest; a batch of 50 articles cut
from the same book. Every command runs as a whole
process, cold, as a user would run it; the warm server is `pressroom serve` on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT / "tests"))
from server import running_server  # noqa: E402

HANDBOOK = Path("/usr/share/doc/debian-handbook/html/en-US")
SAMPLE = ROOT / "content" / "28-banned-photos-smuggled-out-of-north-korea.txt"
VENV_BIN = ROOT / ".venv" / "bin"
CHAPTERS = 200
# The edition's features weasyprint_alone.py can leave out (see there).
FEATURES = ("tags", "front-and-back-matter", "contents-page-numbers", "hyphenation", "justification")
BOOK_WORDS = 86_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    book = make_book(work / "book" / "handbook.md")
    manifest = make_bound_book(work / "bound")
    batch = make_batch(work / "batch", 50)
    # A cache folder of this run's own: each command's first run starts cold, as on a new machine.
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", "PRESSROOM_CACHE_DIR": str(work / "cache")}
    rows = []

    def compare(label, ours, theirs, runs=args.runs, target=None):
        mine, other, peak_mine, peak_other = [], [], 0, 0
        for _ in range(runs):  # in turn: a machine that slows down or speeds up weighs on both alike
            seconds, peak = run(ours, env)
            mine.append(seconds)
            peak_mine = max(peak_mine, peak)
            seconds, peak = run(theirs, env)
            other.append(seconds)
            peak_other = max(peak_other, peak)
        rows.append((label, mine, other, peak_mine, peak_other, target))

    out = work / "out"
    sources = work / "print-source"
    for name, article in (("sample", SAMPLE), ("book", book)):
        subprocess.run([str(VENV_BIN / "python"), "-P", str(BENCH / "print_source.py"), str(article), str(sources / name)],
                       check=True, env={**env, "PRESSROOM_CACHE_DIR": str(work / "print-source-cache")})
    compare("sample -> EPUB (cold CLI)",
            ["pressroom", "export", str(SAMPLE), "-f", "epub", "-o", str(out)],
            ["pandoc", str(SAMPLE), "-f", "markdown", "-o", str(out / "p.epub"), "--metadata", "title=Sample"],
            target=2.5)
    compare("floor of the row above: Python importing only the libraries an EPUB needs (click, jinja2, lxml, "
            "ebooklib) and exiting as Pressroom does (gc.freeze), vs the same pandoc run",
            [str(VENV_BIN / "python"), "-c", "import click, jinja2, lxml.etree, ebooklib.epub, gc; gc.freeze()"],
            ["pandoc", str(SAMPLE), "-f", "markdown", "-o", str(out / "p.epub"), "--metadata", "title=Sample"])
    compare("sample -> PDF (cold CLI; ours tagged, cover, TOC)",
            ["pressroom", "export", str(SAMPLE), "-f", "pdf", "-o", str(out)],
            pandoc_pdf(SAMPLE, out / "p.pdf"), target=1.0)
    compare(f"{CHAPTERS}-chapter book -> EPUB",
            ["pressroom", "export", str(book), "-f", "epub", "--no-page-list", "-o", str(out)],
            ["pandoc", str(book), "-o", str(out / "b.epub")], runs=max(3, args.runs // 2), target=1.0)
    compare(f"{CHAPTERS}-chapter book -> PDF",
            ["pressroom", "export", str(book), "-f", "pdf", "-o", str(out)],
            pandoc_pdf(book, out / "b.pdf"), runs=max(3, args.runs // 2), target=1.0)
    for name, article, runs in (("sample", SAMPLE, args.runs), ("book", book, max(3, args.runs // 2))):
        compare(f"{name} -> PDF: Pressroom vs WeasyPrint alone on Pressroom's own HTML and CSS (what Pressroom adds)",
                ["pressroom", "export", str(article), "-f", "pdf", "-o", str(out)],
                [str(VENV_BIN / "python"), "-P", str(BENCH / "weasyprint_alone.py"), str(sources / name),
                 str(out / f"alone-{name}.pdf")], runs=runs)
    same_html = rows[-1]
    for name, runs in (("sample", args.runs), ("book", max(3, args.runs // 2))):
        feature_rows(rows, name, SAMPLE if name == "sample" else book, sources / name, out, runs, env)
    rows.append(("book -> PDF, peak memory: WeasyPrint alone on Pressroom's own HTML and CSS", same_html[1],
                 same_html[2], same_html[3], same_html[4], 1.2))
    for name, flags in (("PDF", ["-f", "pdf"]), ("EPUB", ["-f", "epub", "--no-page-list"])):
        compare(f"{CHAPTERS} articles bound by a manifest -> {name} (vs the same text as one article)",
                ["pressroom", "book", str(manifest), *flags, "-o", str(out / "bound")],
                ["pressroom", "export", str(book), *flags, "-o", str(out)], runs=max(3, args.runs // 2), target=1.1)
    html_book = out / "book.html"
    subprocess.run(["pandoc", str(book), "-s", "-o", str(html_book)], check=True, env=env)
    alone, peak_alone = measure(["weasyprint", str(html_book), str(out / "alone.pdf")], max(3, args.runs // 2), env)
    ours_book = next(row for row in rows if row[0].endswith("book -> PDF"))
    rows.append(("book -> PDF, peak memory: WeasyPrint alone on pandoc's HTML", ours_book[1], alone, ours_book[3],
                 peak_alone, 1.2))
    articles = sorted(batch.glob("*.md"))
    batch_ours, peak_batch = measure(["pressroom", "export", *map(str, articles), "-f", "pdf", "-f", "epub",
                                      "-o", str(out / "batch")], 1, env)
    started = time.perf_counter()
    peak_pandoc = 0
    for article in articles:
        for suffix, extra in ((".epub", []), (".pdf", ["--pdf-engine=weasyprint"])):
            _, peak = run(["pandoc", str(article), "-o", str(out / f"{article.stem}{suffix}"), *extra], env)
            peak_pandoc = max(peak_pandoc, peak)
    batch_pandoc = [time.perf_counter() - started]
    rows.append((f"batch of {len(articles)} articles -> PDF + EPUB (one call vs {2 * len(articles)} calls)",
                 batch_ours, batch_pandoc, peak_batch, peak_pandoc, 0.2))
    server = measure_server(env)
    print_table(rows, server, args.runs)
    print("\nbook -> PDF, what WeasyPrint does for Pressroom and alone on the same source (bench/weasyprint_calls.py):")
    subprocess.run([str(VENV_BIN / "python"), "-P", str(BENCH / "weasyprint_calls.py"), str(book), str(sources / "book")],
                   check=True, env=env)
    print("\nbook -> PDF, what the depth of WeasyPrint's call costs on this Python (bench/stack_chunks.py):")
    subprocess.run([str(VENV_BIN / "python"), "-P", str(BENCH / "stack_chunks.py"), str(book), str(sources / "book")],
                   check=True, env=env)
    print("\nweb import, what the image budget holds (bench/import_budget.py):")
    subprocess.run([str(VENV_BIN / "python"), "-P", str(BENCH / "import_budget.py")], check=True, env=env)
    shutil.rmtree(work, ignore_errors=True)


def feature_rows(rows: list, name: str, article: Path, source: Path, out: Path, runs: int, env: dict) -> None:
    """WeasyPrint alone on Pressroom's source with each of the edition's features left out in turn, against
    the whole source; then with all of them left out, against pandoc + WeasyPrint (pandoc's HTML has none)."""
    def alone(*without: str) -> list[str]:
        flags = [flag for feature in without for flag in ("--without", feature)]
        return [str(VENV_BIN / "python"), "-P", str(BENCH / "weasyprint_alone.py"), str(source),
                str(out / f"features-{name}.pdf"), *flags]

    whole, peak_whole = measure(alone(), runs, env)
    for feature in FEATURES:
        times, peak = measure(alone(feature), runs, env)
        rows.append((f"{name} -> PDF, WeasyPrint alone on Pressroom's source without {feature} "
                     "(vs with every feature)", times, whole, peak, peak_whole, None))
    times, peak = measure(alone(*FEATURES), runs, env)
    pandoc, peak_pandoc = measure(pandoc_pdf(article, out / f"features-pandoc-{name}.pdf"), runs, env)
    rows.append((f"{name} -> PDF, WeasyPrint alone on Pressroom's source without any of them, vs pandoc + "
                 "WeasyPrint", times, pandoc, peak, peak_pandoc, None))


def pandoc_pdf(article: Path, output: Path) -> list[str]:
    """pandoc's PDF by WeasyPrint; the sample (plain text) is read as Markdown with a title given."""
    if article == SAMPLE:
        return ["pandoc", str(article), "-f", "markdown", "-o", str(output), "--pdf-engine=weasyprint",
                "--metadata", "title=Sample"]
    return ["pandoc", str(article), "-o", str(output), "--pdf-engine=weasyprint"]


def run(command: list[str], env: dict) -> tuple[float, int]:
    """Seconds and peak resident memory (KiB, largest process) of one whole command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])}... failed: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return elapsed, usage.ru_maxrss


def measure(command: list[str], runs: int, env: dict) -> tuple[list[float], int]:
    times, peak = [], 0
    for _ in range(runs):
        elapsed, rss = run(command, env)
        times.append(elapsed)
        peak = max(peak, rss)
    return times, peak


def measure_server(env: dict) -> dict[str, float]:
    """First and cached PDF downloads of the sample from a running `pressroom serve`."""
    content = Path(tempfile.mkdtemp(prefix="pressroom-bench-serve-"))
    shutil.copy(SAMPLE, content / SAMPLE.name)
    url_path = "/articles/28-banned-photos-smuggled-out-of-north-korea/download/pdf"
    with running_server(content) as base:
        def get(query: str) -> float:
            started = time.perf_counter()
            with urllib.request.urlopen(base + url_path + query, timeout=60) as response:
                response.read()
            return time.perf_counter() - started
        get("?page_size=letter")  # the worker parent (forkserver) warms up: fonts, stylesheets, templates
        first = [get(f"?page_size={size}&cover={cover}") for size in ("a4", "a5", "6x9") for cover in ("on", "off")]
        cached = sorted(get("?page_size=a4&cover=on") for _ in range(100))
    shutil.rmtree(content, ignore_errors=True)
    return {"first": statistics.median(first), "first_max": max(first), "cached_p95": cached[94],
            "cached_median": statistics.median(cached)}


def make_book(target: Path) -> Path:
    """A Markdown book of CHAPTERS chapters (the handbook's longest sections, in reading order),
    each cut to the same word budget so that the whole has about BOOK_WORDS words."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = ["---", "title: The Debian Administrator's Handbook (excerpts)",
             "author: [Raphaël Hertzog, Roland Mas]", "lang: en", "date: 2022-09-22", "---", ""]
    for title, paragraphs in book_chapters():
        lines += [f"## {title}", ""] + [line for p in paragraphs for line in (p, "")]
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def make_bound_book(folder: Path) -> Path:
    """The same chapters as `make_book`, each an article of its own, bound by `folder`/BOOK.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for number, (title, paragraphs) in enumerate(book_chapters(), start=1):
        name = f"chapter-{number:03d}.md"
        text = "\n\n".join(paragraphs)
        (folder / name).write_text(f"---\ntitle: \"{_yaml_quoted(title)}\"\nlang: en\n---\n\n{text}\n", encoding="utf-8")
        entries.append(f"  - {name}")
    manifest = folder / "BOOK.yaml"
    manifest.write_text("title: The Debian Administrator's Handbook (excerpts)\n"
                        "authors: [Raphaël Hertzog, Roland Mas]\nlang: en\ndate: 2022-09-22\narticles:\n"
                        + "\n".join(entries) + "\n", encoding="utf-8")
    return manifest


def book_chapters() -> list[tuple[str, list[str]]]:
    """The book's CHAPTERS (title, paragraphs), each cut to one word budget (about BOOK_WORDS in all)."""
    sections = list(handbook_sections())
    longest = sorted(range(len(sections)), key=lambda i: -sum(len(p.split()) for p in sections[i][1]))[:CHAPTERS]
    chosen = [sections[i] for i in sorted(longest)]
    budget = max(range(100, 5000, 10), key=lambda cap: -abs(_total(chosen, cap) - BOOK_WORDS))
    return [(title, _cut(paragraphs, budget)) for title, paragraphs in chosen]


def _yaml_quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _cut(paragraphs: list[str], budget: int) -> list[str]:
    """Whole paragraphs, up to `budget` words (at least one)."""
    kept, count = [], 0
    for paragraph in paragraphs:
        if kept and count + len(paragraph.split()) > budget:
            break
        kept.append(paragraph)
        count += len(paragraph.split())
    return kept


def _total(chapters, budget: int) -> int:
    return sum(len(p.split()) for _, paragraphs in chapters for p in _cut(paragraphs, budget))


def make_batch(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, (title, paragraphs) in enumerate(list(handbook_sections())[:count], start=1):
        text = "\n\n".join(paragraphs[:12])
        (folder / f"article-{number:02d}.md").write_text(f"---\ntitle: \"{title}\"\nlang: en\n---\n\n{text}\n",
                                                        encoding="utf-8")
    return folder


def handbook_sections():
    """(title, paragraphs) of every titled section (h2-h4) of the handbook with enough prose, in reading order."""
    order = [a.get("href").split("#")[0] for a in lxml_html.parse(str(HANDBOOK / "index.html")).iter("a")
             if a.get("href", "").endswith(".html")]
    seen = set()
    for name in order:
        if name in seen or name == "index.html" or not (HANDBOOK / name).exists():
            continue
        seen.add(name)
        page = lxml_html.parse(str(HANDBOOK / name)).getroot()
        title, paragraphs = None, []
        # Publican (DocBook) writes paragraphs as <div class="para">.
        for element in page.xpath("//h1|//h2|//h3|//h4|//div[@class='para']"):
            text = " ".join(element.text_content().split())
            if element.tag != "div":
                if title and len(paragraphs) >= 2:
                    yield title, paragraphs
                title, paragraphs = text, []
            elif len(text.split()) > 12:
                paragraphs.append(_markdown_safe(text))
        if title and len(paragraphs) >= 2:
            yield title, paragraphs


def _markdown_safe(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def print_table(rows, server, runs) -> None:
    print(f"\nPressroom benchmark ({os.cpu_count()} cores; medians of {runs} runs unless noted; whole processes)\n")
    print("| work | Pressroom first run s | Pressroom s (min-max) | other s (min-max) | ratio | target "
          "| peak MiB ours / other |")
    print("|---|---|---|---|---|---|---|")
    for label, ours, other, peak_ours, peak_other, target in rows:
        # The memory row compares peaks; every other row compares median times.
        ratio = (peak_ours / peak_other if "peak memory" in label
                 else statistics.median(ours) / statistics.median(other))
        if target is None:
            verdict = "(where the time goes)"
        else:
            verdict = f"<= {target} ({'met' if ratio <= target else 'NOT met'})"
        print(f"| {label} | {ours[0]:.3f} | {statistics.median(ours):.3f} ({min(ours):.3f}-{max(ours):.3f}) "
              f"| {statistics.median(other):.3f} ({min(other):.3f}-{max(other):.3f}) | {ratio:.2f} "
              f"| {verdict} | {peak_ours / 1024:.0f} / {peak_other / 1024:.0f} |")
    print(f"\nWarm server (sample PDF): first download median {server['first']:.3f} s "
          f"(max {server['first_max']:.3f} s; target < 0.2 s), cached download p95 "
          f"{server['cached_p95'] * 1000:.1f} ms (median {server['cached_median'] * 1000:.1f} ms; target < 10 ms)")
    print("The peak-memory rows' ratio is ours / WeasyPrint's alone (target <= 1.2); the first-run column is each "
          "command's first run, with an empty cache folder. bench/weasyprint_upstream.py measures the costs "
          "that are WeasyPrint's own.")


if __name__ == "__main__":
    main()
