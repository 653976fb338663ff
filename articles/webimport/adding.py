"""Adding a web page to the library: read once, stored as the Markdown its import made, with its
images, and the page itself kept beside it (in `original/`)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from ...errors import ContentError
from ..library.uploads import ArticleFolder, UploadedFile, store_staged
from ..markdown_writer import markdown_files
from ..model import Article
from ..readers.sources import fetch_page, is_web_page, read_article, read_fetched_page
from .fetching import Fetcher

ORIGINAL_FOLDER = "original"


def web_page_among(files: list[UploadedFile]) -> UploadedFile | None:
    """The one web page at the top of an upload (its files may come with it), or None."""
    pages = [upload for upload in files if len(PurePosixPath(upload.name).parts) == 1 and is_web_page(Path(upload.name))]
    if len(pages) > 1:
        raise ContentError("upload", f"the upload holds {len(pages)} web pages ({', '.join(p.name for p in pages)})",
                           fix="add one page at a time, with its folder")
    return pages[0] if pages else None


def add_page_upload(library: ArticleFolder, files: list[UploadedFile], page: UploadedFile,
                    replace: bool = False, language: str | None = None) -> Article:
    """Store the saved `page` among `files` (its `NAME_files/` folder, or those files sent loose, as a
    browser sends them), in `language` when one is chosen; the article returned carries the import's
    warnings, for the user to see."""
    library.folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=library.folder))
    folder = PurePosixPath(page.name).name.split(".")[0] + "_files"
    try:
        original = staging / ORIGINAL_FOLDER
        for upload in files:
            name = upload.name if upload is page or "/" in upload.name else f"{folder}/{upload.name}"
            (original / name).parent.mkdir(parents=True, exist_ok=True)
            (original / name).write_bytes(upload.data)
        article = read_article(original / page.name, language)
        return _store(library, staging, article, replace, str(original / page.name), page.name)
    except ContentError as error:
        raise ContentError(page.name, error.problem, line=error.line, fix=error.fix) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def add_page_address(library: ArticleFolder, url: str, fetcher: Fetcher, replace: bool = False) -> Article:
    """Fetch the page at `url` through `fetcher` (once: the library keeps what came; one fetcher is one
    import, under one deadline) and store it, as `add_page_upload` does."""
    page = fetch_page(url.strip(), fetcher)
    return add_read_page(library, read_fetched_page(page, fetcher), page.data, page.url, replace)


def add_read_page(library: ArticleFolder, article: Article, original: bytes, address: str,
                  replace: bool = False) -> Article:
    """Store `article`, already read from the page whose bytes are `original` (fetched from `address`),
    as its Markdown with its images, the page kept in `original/`."""
    library.folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=library.folder))
    try:
        (staging / ORIGINAL_FOLDER).mkdir()
        (staging / ORIGINAL_FOLDER / f"{article.slug}.html").write_bytes(original)
        return _store(library, staging, article, replace, address, address)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _store(library: ArticleFolder, staging: Path, article: Article, replace: bool, read_as: str,
           shown_as: str) -> Article:
    """Write the article's Markdown and images into `<slug>/`, the page into `<slug>/original/`, and
    move it in; the stored article, with the warnings of the import (naming the page as `shown_as`)."""
    article_dir = staging / article.slug
    for index, (name, data, _media_type) in enumerate(markdown_files(article)):
        target = article_dir / (f"{article.slug}.md" if index == 0 else name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    os.rename(staging / ORIGINAL_FOLDER, article_dir / ORIGINAL_FOLDER)
    read_article(article_dir / f"{article.slug}.md")  # refuse what cannot be read back, before it is stored
    stored = store_staged(library, article_dir, f"{article.slug}.md", replace)
    notices = tuple(warning.replace(read_as, shown_as) for warning in article.warnings)
    return dataclasses.replace(stored, warnings=notices + stored.warnings)
