"""The language of an article: the one the user chose, else the one its source declares, else the one
its text is detected to be in (py3langid), else the default, with a warning that says so."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
from pathlib import Path

from ...files import write_atomically
from ...locations import cache_dir

DEFAULT_LANGUAGE = "en"
# Below this share of the probability, the detector's pick is a guess: the default is used and said.
MIN_CONFIDENCE = 0.90
# Fewer letters than this tell a language apart from its neighbours too seldom to be worth a guess.
MIN_LETTERS = 40
# Enough text to tell a language; the rest would cost time and tell nothing more.
SAMPLE_CHARS = 4000
_NOT_A_LETTER = re.compile(r"[\W\d_]+")
# The detector's codes that are not the tag editions need (py3langid knows Norwegian as "no").
_TAGS = {"no": "nb"}


def article_language(path: Path | str, chosen: str | None, declared: str | None, text: str) -> tuple[str, tuple[str, ...]]:
    """The article's language tag and the warnings about it: `chosen` (by the user) wins, then
    `declared` (by the source), then the language `text` is detected to be in."""
    if chosen:
        return chosen, ()
    if declared:
        return declared, ()
    language = detected_language(text)
    if language is None:
        return DEFAULT_LANGUAGE, (f"{path}: the language of the text could not be told with confidence, so it is "
                                  f"set as English ({DEFAULT_LANGUAGE}); declare it with 'lang:' in the front "
                                  "matter, --lang on the command line or the language choice when adding it",)
    return language, ()


def detected_language(text: str) -> str | None:
    """The language tag `text` is written in, or None when the detector is too unsure to trust."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if len(_NOT_A_LETTER.sub("", sample)) < MIN_LETTERS:
        return None
    tag, confidence = _remembered(sample)
    return _TAGS.get(tag, tag) if confidence >= MIN_CONFIDENCE else None


def _remembered(sample: str) -> tuple[str, float]:
    """The detector's (tag, confidence) for `sample`, kept in the cache folder: loading its model costs
    about a second, which a command run again on the same text should not pay again."""
    digest = hashlib.sha256(f"{_model_stamp()}\0{sample}".encode()).hexdigest()
    path = cache_dir() / "language" / digest[:2] / digest
    try:
        tag, confidence = path.read_text(encoding="ascii").split()
        return tag, float(confidence)
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    tag, confidence = _identifier().classify(sample)
    try:
        write_atomically(path, f"{tag} {confidence:.6f}".encode(), mode=0o600)
    except OSError:  # a read-only or full cache folder costs speed, never the result
        pass
    return tag, float(confidence)


def _model_stamp() -> str:
    """The detector's model file's size and time, so that a new model is asked again (found, not imported)."""
    spec = importlib.util.find_spec("py3langid")
    model = Path(spec.origin).parent / "data" / "model.npz.xz"
    status = model.stat()
    return f"{status.st_size}-{status.st_mtime_ns}"


@functools.lru_cache(maxsize=1)
def _identifier():
    """py3langid's identifier with probabilities normalised to one (imported only when text needs it)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
