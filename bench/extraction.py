"""Score web page import against a corpus of saved pages with the article text a person marked.

    .venv/bin/python bench/extraction.py ../shared/corpus/web-articles

CORPUS holds `html/<id>.html.gz`, `ground-truth.json` and `score.py` (the public benchmark's metric:
4-token shingles, per-page precision and recall, F1 of the means). Every page is exported to Markdown by
`pressroom export` in one batch, as a user would run it; the body compared is that Markdown without its
front matter and `# ` title line, an image standing alone replaced by its caption (none: removed),
inline images by their alt text, links by their words, autolinks and reference definitions removed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PRESSROOM = Path(sys.executable).with_name("pressroom")
WORST = 8
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_IMAGE_LINE = re.compile(r'^\s*!\[[^\]]*\]\((?:<[^>]*>|[^)\s]*)(?:\s+"((?:[^"\\]|\\.)*)")?\)\s*$', re.MULTILINE)
_INLINE_IMAGE = re.compile(r'!\[([^\]]*)\]\((?:<[^>]*>|[^)\s]*)(?:\s+"(?:[^"\\]|\\.)*")?\)')
_LINK = re.compile(r"\[([^\]]*)\]\((?:<[^>]*>|[^)\s]*)\)")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]*>")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s+\S+.*$", re.MULTILINE)


def article_body(markdown: str) -> str:
    """The text the benchmark compares: the Markdown's body, without its markup's addresses."""
    body = _FRONT_MATTER.sub("", markdown, count=1)
    body = re.sub(r"\A\s*# [^\n]*\n", "", body, count=1)
    body = _IMAGE_LINE.sub(lambda match: match.group(1) or "", body)
    body = _INLINE_IMAGE.sub(r"\1", body)
    body = _LINK.sub(r"\1", body)
    body = _AUTOLINK.sub("", body)
    return _REFERENCE.sub("", body).strip()


def load_metric(corpus: Path):
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="folder with html/, ground-truth.json and score.py")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    metric = load_metric(corpus)
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted((corpus / "html").glob("*.html.gz"))
    with tempfile.TemporaryDirectory(prefix="pressroom-extraction-") as work:
        out = Path(work)
        result = subprocess.run([str(PRESSROOM), "export", *map(str, pages), "-f", "md", "-o", str(out)],
                                capture_output=True, text=True)
        crashed = [line for line in result.stderr.splitlines() if "Traceback" in line or "engine error" in line]
        predictions = {}
        for page in pages:
            key = page.name.removesuffix(".html.gz")
            exported = out / f"{key}.md"
            body = article_body(exported.read_text(encoding="utf-8")) if exported.exists() else ""
            predictions[key] = {"articleBody": body}
        (out / "predictions.json").write_text(json.dumps(predictions), encoding="utf-8")
        scores = metric.score(truth, predictions)
    failed = [page.name for page in pages if not predictions[page.name.removesuffix(".html.gz")]["articleBody"]]
    print(f"pages: {scores['pages']}  exported: {scores['pages'] - len(failed)}  crashed: {len(crashed)}")
    print(f"precision: {scores['precision']:.3f}")
    print(f"recall: {scores['recall']:.3f}")
    print(f"f1: {scores['f1']:.3f}")
    per_page = []
    for key, item in truth.items():
        precision, recall = metric.page_scores(item.get("articleBody", ""), predictions.get(key, {}).get("articleBody", ""))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_page.append((f1, precision, recall, key))
    print(f"worst {WORST} pages (f1 precision recall id):")
    for f1, precision, recall, key in sorted(per_page)[:WORST]:
        print(f"  {f1:.3f} {precision:.3f} {recall:.3f} {key}")
    if failed:
        print("not exported: " + ", ".join(failed))
        print(result.stderr[-3000:], file=sys.stderr)


if __name__ == "__main__":
    main()
