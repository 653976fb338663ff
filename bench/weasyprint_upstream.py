"""Costs that are WeasyPrint's (and pydyf's) own, measured without Pressroom: minimal reproductions,
ready to report upstream. Each prints what it measured; none needs Pressroom.

Usage: python -P bench/weasyprint_upstream.py   (about a minute)

1. Tagged PDF: writing the structure tree asks `pydyf.PDF.page_references` (a property that builds
   the tuple of every page's reference) once per tagged box, so tagging costs O(pages x boxes).
2. A document identifier: `pydyf.PDF.write(identifier=...)` serialises every object a second time
   (streams compressed again) to hash them, although the identifier was given.
3. Cold start: `import weasyprint` asks `ctypes.util.find_library` (which runs `ldconfig -p` and a
   compiler) for library names that exist only on Windows and macOS before the Linux one, and the
   first `ffi.new` of each C type parses its declaration with pycparser.
4. Font subsetting: `pdf/fonts.py` (`_harfbuzz_subset`) writes each array's length into the C type
   (`ffi.new(f'hb_codepoint_t[{n}]', ...)`), so every new length is a new type for cffi to parse
   with pycparser, about twice per embedded font in each fresh process (every command-line run,
   every fresh worker of a server). `ffi.new('hb_codepoint_t[]', values)` takes the length from the
   values and is parsed once.
"""

from __future__ import annotations

import cProfile
import pstats
import subprocess
import sys
import time

PARAGRAPH = ("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt "
             "ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation.</p>")


def document(pages: int):
    from weasyprint import HTML

    # About one A4 page per section.
    body = "".join(f"<section><h2>Section {n}</h2>{PARAGRAPH * 9}</section>" for n in range(pages))
    html = f"<html lang='en'><style>section {{ break-after: page }}</style><body>{body}</body></html>"
    return HTML(string=html).render(pdf_tags=True)


def seconds(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def tagged_pdf_is_quadratic() -> None:
    import pydyf

    print("1. Tagged PDF: extra seconds to write the structure tree, and page_references calls")
    calls = 0
    original = pydyf.PDF.page_references

    def counted(pdf):
        nonlocal calls
        calls += 1
        return original.fget(pdf)

    for pages in (50, 100, 200):
        laid_out = document(pages)
        plain = min(seconds(lambda: laid_out.write_pdf()) for _ in range(2))
        calls = 0
        pydyf.PDF.page_references = property(counted)  # counting only: the result is the original's
        try:
            tagged = min(seconds(lambda: laid_out.write_pdf(pdf_tags=True)) for _ in range(2))
        finally:
            pydyf.PDF.page_references = original
        print(f"   {len(laid_out.pages):4d} pages: untagged {plain:.2f} s, tagged {tagged:.2f} s "
              f"(+{tagged - plain:.2f} s), page_references built {calls // 2} times "
              f"({calls // 2 * len(laid_out.pages):,} page references made)")


def identifier_serialises_twice() -> None:
    print("2. Document identifier: seconds to write the same tagged document")
    laid_out = document(200)
    without = min(seconds(lambda: laid_out.write_pdf(pdf_tags=True)) for _ in range(2))
    given = min(seconds(lambda: laid_out.write_pdf(pdf_tags=True, pdf_identifier=b"0" * 32)) for _ in range(2))
    print(f"   {len(laid_out.pages)} pages: no identifier {without:.2f} s, identifier given {given:.2f} s "
          f"(+{given - without:.2f} s: every object serialised and compressed again to hash it)")


def cold_start() -> None:
    print("3. Cold start of a fresh interpreter")
    script = ("import cProfile, pstats, io\n"
              "profile = cProfile.Profile(); profile.enable()\n"
              "import weasyprint\n"
              "weasyprint.HTML(string='<p>x</p>').write_pdf()\n"
              "profile.disable()\n"
              "stats = pstats.Stats(profile); stats.calc_callees()\n"
              "total = stats.total_tt\n"
              "def cumulative(name):\n"
              "    return sum(v[3] for k, v in stats.stats.items() if k[2] == name)\n"
              "print(f'{total:.3f} {cumulative(\"find_library\"):.3f} {cumulative(\"_parse\"):.3f}')\n")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(3)]
    total, find_library, parse = (sorted(float(run[i]) for run in runs)[1] for i in range(3))
    print(f"   import weasyprint and write a one-line PDF: {total:.2f} s under the profiler, of which "
          f"ctypes.util.find_library {find_library:.2f} s and C declarations parsed by cffi {parse:.2f} s")


def sized_arrays_are_parsed() -> None:
    print("4. Font subsetting: C array types with their length in the type string")
    from weasyprint import HTML
    from weasyprint.text.ffi import ffi

    HTML(string="<p>warm</p>").write_pdf()
    lengths = range(301, 341)
    sized = seconds(lambda: [ffi.new(f"hb_codepoint_t[{n}]", tuple(range(n))) for n in lengths])
    open_ended = seconds(lambda: [ffi.new("hb_codepoint_t[]", tuple(range(n))) for n in lengths])
    print(f"   {len(lengths)} new lengths: 'hb_codepoint_t[n]' {sized * 1000:.0f} ms, "
          f"'hb_codepoint_t[]' {open_ended * 1000:.1f} ms")
    styles = "".join(f"<p style='font: {style} 12pt serif'>{PARAGRAPH}</p>"
                     for style in ("normal", "italic", "bold", "bold italic"))
    profile = cProfile.Profile()
    profile.runcall(lambda: HTML(string=f"<html lang='en'>{styles}<pre>mono 0123</pre></html>").write_pdf())
    stats = pstats.Stats(profile)
    parses = [(calls, cumulative) for (path, _, name), (_, calls, _, cumulative, _) in stats.stats.items()
              if name == "_parse" and path.endswith("cparser.py")]
    print(f"   a first document with five faces parses {sum(c for c, _ in parses)} C types "
          f"({sum(t for _, t in parses) * 1000:.0f} ms under the profiler)")


def main() -> None:
    tagged_pdf_is_quadratic()
    identifier_serialises_twice()
    cold_start()
    sized_arrays_are_parsed()


if __name__ == "__main__":
    if "--profile" in sys.argv:  # where the tagged write spends its time
        profile = cProfile.Profile()
        laid = document(100)
        profile.runcall(lambda: laid.write_pdf(pdf_tags=True))
        pstats.Stats(profile).sort_stats("cumulative").print_stats(15)
    else:
        main()
