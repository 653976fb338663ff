"""A job as JSON: the article's bytes (source and images), its resolved facts and the options; and back."""

from __future__ import annotations

import base64
import datetime
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from ..articles import Article, ContentError, read_article_bytes
from ..articles.markdown_writer import markdown_files
from ..articles.readers import is_web_page
from ..exporters import Edition, EditionFile, ExportFailed, ExportOptions, View

# The files of one job's editions travel back through the result backend: more than this is refused.
MAX_RESULT_BYTES = 64 * 1024 * 1024


def job_payload(article: Article, formats: Sequence[str], options: Mapping[str, Any]) -> dict[str, Any]:
    """Everything a worker on another machine needs to make the editions, as plain JSON values.

    A web page travels as the Markdown its import made, with its images: the worker has neither the
    page's folder nor leave to fetch anything."""
    if is_web_page(article.source_path):
        (name, source, _), *images = markdown_files(article)
        assets = {image_name: data for image_name, data, _ in images}
    else:
        name, source = article.source_path.name, article.source_path.read_bytes()
        assets = {asset.href: asset.read_bytes() for asset in article.assets}
    return {
        "name": name,
        "source": _encode(source),
        "assets": {href: _encode(data) for href, data in assets.items()},
        "dated": article.edition_date.isoformat(),  # resolved here: the worker's clock and files differ
        "formats": list(formats),
        "options": dict(options),
    }


def read_payload_article(payload: Mapping[str, Any], folder: Path) -> Article:
    """The job's article, its files laid out in `folder` as they were beside the source."""
    source = folder / PurePosixPath(payload["name"]).name
    for href, data in payload["assets"].items():
        target = (folder / href).resolve()
        if not target.is_relative_to(folder.resolve()):
            raise ContentError(payload["name"], f"the job names a file outside the article's folder ({href!r})")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_decode(data))
    data = _decode(payload["source"])
    source.write_bytes(data)
    return read_article_bytes(source, data, dated=datetime.datetime.fromisoformat(payload["dated"]))


def editions_result(article: Article, editions: Mapping[str, Edition]) -> dict[str, Any]:
    """The made editions as JSON (files, views, preview resources), within MAX_RESULT_BYTES."""
    size = sum(len(file.data) for edition in editions.values() for file in edition.files)
    if size > MAX_RESULT_BYTES:
        raise ExportFailed(article, " and ".join(editions), f"its editions hold {size // (1024 * 1024)} MiB, more "
                           f"than a queued job may return ({MAX_RESULT_BYTES // (1024 * 1024)} MiB); export it "
                           "without a queue")
    return {"editions": {name: {
        "files": [{"name": file.name, "media_type": file.media_type, "data": _encode(file.data)}
                  for file in edition.files],
        "views": [[view.name, view.title, view.label, view.side] for view in edition.views],
        "resources": dict(edition.resources),
    } for name, edition in editions.items()}}


def result_editions(result: Mapping[str, Any]) -> dict[str, Edition]:
    """The editions a job's result holds, by format."""
    return {name: Edition(tuple(EditionFile(item["name"], _decode(item["data"]), item["media_type"])
                                for item in made["files"]),
                          tuple(View(*fields) for fields in made["views"]),
                          resources=made["resources"])
            for name, made in result["editions"].items()}


def result_files(result: Mapping[str, Any]) -> list[EditionFile]:
    return [file for edition in result_editions(result).values() for file in edition.files]


def options_from_payload(payload: Mapping[str, Any]) -> ExportOptions:
    return ExportOptions(payload["options"])


def scratch_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="pressroom-job-")


def _encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _decode(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
