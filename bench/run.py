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
from dataclasses import dataclass
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
# The saved pages of the extraction corpus (../shared/corpus/web-articles, never copied into the repository).
CORPUS = next((folder / "shared" / "corpus" / "web-articles" / "html" for folder in ROOT.parents
               if (folder / "shared" / "corpus" / "web-articles" / "html").is_dir()), None)


@dataclass
class Row:
    """One line of the table: our command's times against the other's, compared as `compare` says:
    "ratio" of the medians, "peak memory" (ratio of the peaks), "seconds over" (difference of the
    medians) or "seconds a page over" (that difference divided by `pages`)."""

    label: str
    ours: list[float]
    other: list[float]
    peak_ours: int
    peak_other: int
    target: float | None = None
    compare: str = "ratio"
    pages: int = 1

    def figure(self) -> float:
        if self.compare == "peak memory":
            return self.peak_ours / self.peak_other
        if self.compare == "ratio":
            return statistics.median(self.ours) / statistics.median(self.other)
        return (statistics.median(self.ours) - statistics.median(self.other)) / self.pages

    def verdict(self) -> str:
        if self.target is None:
            return "(where the time goes)"
        unit = {"ratio": "", "peak memory": "", "seconds over": " s", "seconds a page over": " s a page"}[self.compare]
        return f"<= {self.target}{unit} ({'met' if self.figure() <= self.target else 'NOT met'})"

    def shown(self) -> str:
        if self.compare in ("ratio", "peak memory"):
            return f"{self.figure():.2f}"
        return f"{self.figure():+.3f} s" + (" a page" if self.compare == "seconds a page over" else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported; 5 at least "
                                                            "for figures worth quoting)")
    parser.add_argument("--targets-only", action="store_true",
                        help="only the rows with a target: leave out the where-the-time-goes rows and analyses")
    args = parser.parse_args()
    if CORPUS is None:
        raise SystemExit("bench: the saved pages of ../shared/corpus/web-articles/html are not beside this checkout; "
                         "the web page rows need them (put the corpus in a folder named shared next to it)")
    work = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    book = make_book(work / "book" / "handbook.md")
    manifest = make_bound_book(work / "bound")
    batch = make_batch(work / "batch", 50)
    # A cache folder of this run's own: each command's first run starts cold, as on a new machine.
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", "PRESSROOM_CACHE_DIR": str(work / "cache")}
    rows = []
    # The rows take `--runs` (at least 5 for a table worth quoting); the long where-the-time-goes
    # rows half as many, at least 3 (fewer only for a quick trial with --runs below 3).
    few = args.runs if args.runs < 3 else max(3, args.runs // 2)

    def compare(label, ours, theirs, runs=args.runs, target=None, how="ratio", pages=1):
        if args.targets_only and target is None:
            return
        mine, other, peak_mine, peak_other = [], [], 0, 0
        for _ in range(runs):  # in turn: a machine that slows down or speeds up weighs on both alike
            seconds, peak = run(ours, env)
            mine.append(seconds)
            peak_mine = max(peak_mine, peak)
            seconds, peak = run(theirs, env)
            other.append(seconds)
            peak_other = max(peak_other, peak)
        rows.append(Row(label, mine, other, peak_mine, peak_other, target, how, pages))

    out = work / "out"
    sources = work / "print-source"
    for name, article in (("sample", SAMPLE), ("book", book)):
        subprocess.run([str(VENV_BIN / "python"), "-P", str(BENCH / "print_source.py"), str(article), str(sources / name)],
                       check=True, env={**env, "PRESSROOM_CACHE_DIR": str(work / "print-source-cache")})
    compare("sample -> EPUB (cold CLI)",
            ["pressroom", "export", str(SAMPLE), "-f", "epub", "-o", str(out)],
            ["pandoc", str(SAMPLE), "-f", "markdown", "-o", str(out / "p.epub"), "--metadata", "title=Sample"],
            target=2.0)
    compare("floor of the row above: Python importing only the libraries an EPUB needs (click, jinja2, lxml, "
            "ebooklib) and exiting as Pressroom does (gc.freeze), vs the same pandoc run",
            [str(VENV_BIN / "python"), "-c", "import click, jinja2, lxml.etree, ebooklib.epub, gc; gc.freeze()"],
            ["pandoc", str(SAMPLE), "-f", "markdown", "-o", str(out / "p.epub"), "--metadata", "title=Sample"])
    compare("sample -> PDF (cold CLI; ours tagged, cover, TOC)",
            ["pressroom", "export", str(SAMPLE), "-f", "pdf", "-o", str(out)],
            pandoc_pdf(SAMPLE, out / "p.pdf"), target=1.0)
    compare(f"{CHAPTERS}-chapter book -> EPUB",
            ["pressroom", "export", str(book), "-f", "epub", "--no-page-list", "-o", str(out)],
            ["pandoc", str(book), "-o", str(out / "b.epub")], runs=few, target=1.0)
    compare(f"{CHAPTERS}-chapter book -> PDF vs pandoc + WeasyPrint (what a user would pick instead; its PDF has no "
            "tags, front and back matter, page-numbered contents, hyphenation or justification: not the bar)",
            ["pressroom", "export", str(book), "-f", "pdf", "-o", str(out)],
            pandoc_pdf(book, out / "b.pdf"), runs=few)
    for name, article, runs, target in (("sample", SAMPLE, args.runs, None), ("book", book, args.runs, 1.05)):
        compare(f"{name} -> PDF: Pressroom vs WeasyPrint alone on Pressroom's own HTML and CSS (what Pressroom adds)",
                ["pressroom", "export", str(article), "-f", "pdf", "-o", str(out)],
                [str(VENV_BIN / "python"), "-P", str(BENCH / "weasyprint_alone.py"), str(sources / name),
                 str(out / f"alone-{name}.pdf")], runs=runs, target=target)
    same_html = rows[-1]
    saved_page_rows(compare, work, out, args.runs, env)
    for name, runs in (("sample", args.runs), ("book", few)):
        if not args.targets_only:
            feature_rows(rows, name, SAMPLE if name == "sample" else book, sources / name, out, runs, env)
    rows.append(Row("book -> PDF, peak memory: WeasyPrint alone on Pressroom's own HTML and CSS", same_html.ours,
                    same_html.other, same_html.peak_ours, same_html.peak_other, 1.0, "peak memory"))
    for name, flags, runs in (("PDF", ["-f", "pdf"], few),
                              ("EPUB", ["-f", "epub", "--no-page-list"], args.runs)):
        compare(f"{CHAPTERS} articles bound by a manifest -> {name} (vs the same text as one article)",
                ["pressroom", "book", str(manifest), *flags, "-o", str(out / "bound")],
                ["pressroom", "export", str(book), *flags, "-o", str(out)], runs=runs, target=1.1)
    if not args.targets_only:
        html_book = out / "book.html"
        subprocess.run(["pandoc", str(book), "-s", "-o", str(html_book)], check=True, env=env)
        alone, peak_alone = measure(["weasyprint", str(html_book), str(out / "alone.pdf")], few, env)
        ours_book = next(row for row in rows if row.label.startswith(f"{CHAPTERS}-chapter book -> PDF"))
        rows.append(Row("book -> PDF, peak memory: WeasyPrint alone on pandoc's HTML (lighter: none of the features)",
                        ours_book.ours, alone, ours_book.peak_ours, peak_alone, None, "peak memory"))
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
    rows.append(Row(f"batch of {len(articles)} articles -> PDF + EPUB (one call vs {2 * len(articles)} calls)",
                    batch_ours, batch_pandoc, peak_batch, peak_pandoc, 0.2))
    server = measure_server(env)
    print_table(rows, server, args.runs)
    if args.targets_only:
        shutil.rmtree(work, ignore_errors=True)
        return
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
        rows.append(Row(f"{name} -> PDF, WeasyPrint alone on Pressroom's source without {feature} "
                        "(vs with every feature)", times, whole, peak, peak_whole))
    times, peak = measure(alone(*FEATURES), runs, env)
    pandoc, peak_pandoc = measure(pandoc_pdf(article, out / f"features-pandoc-{name}.pdf"), runs, env)
    rows.append(Row(f"{name} -> PDF, WeasyPrint alone on Pressroom's source without any of them, vs pandoc + "
                    "WeasyPrint", times, pandoc, peak, peak_pandoc))


def saved_page_rows(compare, work: Path, out: Path, runs: int, env: dict) -> None:
    """What reading a saved web page adds to its EPUB: the corpus page of median size against its own
    Markdown edition (Pressroom's), and all the corpus's pages in one call against their Markdown."""
    pages = sorted(CORPUS.glob("*.html.gz"))
    markdown = work / "saved-pages-markdown"
    subprocess.run(["pressroom", "export", *map(str, pages), "-f", "md", "-o", str(markdown)], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    as_markdown = [markdown / f"{page.name.removesuffix('.html.gz')}.md" for page in pages]
    median = sorted(pages, key=lambda page: page.stat().st_size)[len(pages) // 2]
    compare(f"a saved web page ({median.stat().st_size // 1024} KiB gzipped, the corpus's median) -> EPUB vs its own "
            "Markdown -> EPUB",
            ["pressroom", "export", str(median), "-f", "epub", "-o", str(out / "saved")],
            ["pressroom", "export", str(markdown / f"{median.name.removesuffix('.html.gz')}.md"), "-f", "epub", "-o",
             str(out / "saved-md")], runs=runs, target=0.15, how="seconds over")
    compare(f"{len(pages)} saved web pages -> EPUB in one call vs their Markdown in one call, per page",
            ["pressroom", "export", *map(str, pages), "-f", "epub", "-o", str(out / "saved")],
            ["pressroom", "export", *map(str, as_markdown), "-f", "epub", "-o", str(out / "saved-md")],
            runs=runs, target=0.05, how="seconds a page over", pages=len(pages))


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


def print_table(rows: list[Row], server, runs) -> None:
    print(f"\nPressroom benchmark ({os.cpu_count()} cores; medians of {runs} runs unless noted; whole processes)\n")
    print("| work | Pressroom first run s | Pressroom s (min-max) | other s (min-max) | ours vs other | target "
          "| peak MiB ours / other |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        ours, other = row.ours, row.other
        print(f"| {row.label} | {ours[0]:.3f} | {statistics.median(ours):.3f} ({min(ours):.3f}-{max(ours):.3f}) "
              f"| {statistics.median(other):.3f} ({min(other):.3f}-{max(other):.3f}) | {row.shown()} "
              f"| {row.verdict()} | {row.peak_ours / 1024:.0f} / {row.peak_other / 1024:.0f} |")
    print(f"\nWarm server (sample PDF): first download median {server['first']:.3f} s "
          f"(max {server['first_max']:.3f} s; target < 0.2 s: {'met' if server['first'] < 0.2 else 'NOT met'}), "
          f"cached download p95 {server['cached_p95'] * 1000:.1f} ms (median {server['cached_median'] * 1000:.1f} ms; "
          f"target < 10 ms: {'met' if server['cached_p95'] < 0.01 else 'NOT met'})")
    print("The peak-memory rows compare peaks; the saved-page rows, seconds over the Markdown; every other row, median "
          "times. The first-run column is each command's first run, with an empty cache folder. "
          "bench/weasyprint_upstream.py measures the costs that are WeasyPrint's own.")


if __name__ == "__main__":
    main()
