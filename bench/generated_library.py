"""A generated library for the catalogue's browser test and benchmark: articles of varied lengths, in
several languages, by a few hundred authors, some in folders with an image."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image

LANGUAGES = {
    "en": "the harbour boats sail at dawn while fishermen mend their nets and talk about weather prices".split(),
    "fr": "le port les bateaux partent à l'aube pendant que les pêcheurs réparent leurs filets".split(),
    "de": "der Hafen die Boote fahren im Morgengrauen während die Fischer ihre Netze flicken".split(),
    "el": "το λιμάνι ξυπνά πριν από την πόλη οι ψαράδες μιλούν χαμηλόφωνα για τον καιρό".split(),
    "ja": list("港は町よりも先に目を覚ます五時には最初の船がもう海に出ており漁師たちは天気や網や市場の値段について話している"),
}
SUBJECTS = ("sea", "boats", "weather", "markets", "history", "food", "travel", "science")
SITES = ("example.org", "news.example.com", "magazine.example.net", None)
def generate(folder: Path, count: int, seed: int = 28) -> None:
    """Write `count` articles into `folder` (article-00000.md...), the same ones for the same seed."""
    chance = random.Random(seed)
    image = io.BytesIO()
    Image.new("RGB", (16, 16), (40, 90, 160)).save(image, "PNG")
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        language = chance.choice(tuple(LANGUAGES))
        vocabulary = LANGUAGES[language]
        joiner = "" if language == "ja" else " "
        paragraphs = ["\n".join(joiner.join(chance.choices(vocabulary, k=chance.randint(8, 40)))
                                for _ in range(1)) for _ in range(chance.choice((1, 3, 8, 30)))]
        name = f"article-{number:06}"
        site = chance.choice(SITES)
        front = [f"title: {joiner.join(chance.choices(vocabulary, k=4)).capitalize()} {number}",
                 f"authors: [Author {chance.randint(1, 300)}]", f"lang: {language}",
                 f"date: {chance.randint(1990, 2025)}-{chance.randint(1, 12):02}-{chance.randint(1, 28):02}",
                 f"subjects: [{', '.join(chance.sample(SUBJECTS, 2))}]"]
        if site:
            front.append(f"source_url: https://{site}/{name}")
        text = "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(paragraphs) + "\n"
        if number % 50 == 7:  # some articles keep an image in a folder of their own
            (folder / name / "images").mkdir(parents=True, exist_ok=True)
            (folder / name / "images" / "dot.png").write_bytes(image.getvalue())
            text += "\n![A dot](images/dot.png)\n"
            (folder / name / f"{name}.md").write_text(text, encoding="utf-8")
        else:
            (folder / f"{name}.md").write_text(text, encoding="utf-8")
