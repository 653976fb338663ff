"""Where Pressroom keeps its library of articles and its instance data (secret key, caches)."""

from __future__ import annotations

from pathlib import Path

from . import settings

PACKAGE_DIR = Path(__file__).resolve().parent
# Beside the library, so that deleting or emptying the library never brings the sample back.
SEEDED_MARKER = ".sample-seeded"


def is_checkout() -> bool:
    """Whether Pressroom runs from its source checkout (directly or as an editable install)."""
    # The checkout's root is the package, so pyproject.toml sits beside the modules; a wheel never
    # ships it (tests/test_packaging.py checks). Unlike a .git folder (absent from a source archive)
    # or write permission and site-packages in the path (a --user or --target install differs), this
    # holds wherever either kind lives.
    return (PACKAGE_DIR / "pyproject.toml").is_file()


def data_dir() -> Path:
    """An installed Pressroom's user data folder: $PRESSROOM_DATA_DIR, else the platform's own."""
    configured = settings.text("PRESSROOM_DATA_DIR")
    if configured:
        return Path(configured).expanduser().absolute()
    import platformdirs  # a checkout never needs it

    return platformdirs.user_data_path("pressroom", appauthor=False)


def cache_dir() -> Path:
    """Where what is the same from run to run is kept (compiled templates, drawn covers):
    $PRESSROOM_CACHE_DIR, else the platform's user cache folder. Never finished editions."""
    configured = settings.text("PRESSROOM_CACHE_DIR")
    if configured:
        return Path(configured).expanduser().absolute()
    import platformdirs

    return platformdirs.user_cache_path("pressroom", appauthor=False)


def default_content_dir() -> Path:
    """The library when none is named: a checkout's content/, else content/ in the user data folder."""
    if is_checkout():
        return PACKAGE_DIR / "content"
    folder = data_dir() / "content"
    _seed(folder)
    return folder


def instance_dir() -> Path:
    """The folder for the secret key and caches: a checkout's (git-ignored) instance/, else beside the library."""
    return PACKAGE_DIR / "instance" if is_checkout() else data_dir() / "instance"


def _seed(folder: Path) -> None:
    """Give a new library the bundled sample, once: a library emptied on purpose stays empty."""
    import shutil
    import tempfile

    marker = folder.parent / SEEDED_MARKER
    if marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".content-"))
    for sample in (PACKAGE_DIR / "content").iterdir():
        if sample.is_file():
            shutil.copyfile(sample, staging / sample.name)
    try:
        # The rename is atomic: a reader sees no library or the whole sample. When two processes seed
        # at once, one rename wins and the other fails on the non-empty folder, as it does on a
        # library the user filled before the first run; both leave that folder as it is.
        staging.rename(folder)
    except OSError:
        shutil.rmtree(staging)
        if not folder.is_dir():
            raise
    marker.touch()
