"""A job as JSON: the article's bytes as its reader read them (source and images; a fetched page's address
and the images fetched), its resolved facts and the options (and, for a job that sends the edition, the
address); and back, taken on the worker as input from whoever can write to the queue."""

from __future__ import annotations

import base64
import binascii
import datetime
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..articles import Article, PressroomError, read_article_bytes
from ..articles.library.archives import MAX_UNPACKED_BYTES, MAX_UPLOAD_FILES
from ..articles.library.uploads import MAX_NAME_CHARS
from ..articles.readers.sources import is_web_address, is_web_page, read_fetched_page
from ..articles.webimport.fetching import Fetched, RecordedFetcher
from ..delivery import AddressRefused, checked_address
from ..exporters import Edition, ExportFailed, ExportOptions

# The files of one job's editions travel back through the result backend: more than this is refused.
MAX_RESULT_BYTES = 64 * 1024 * 1024
PAYLOAD_KEYS = frozenset({"name", "source", "assets", "url", "fetched", "dated", "formats", "options"})
MAX_FORMATS = 32
MAX_HREF_CHARS = 1000


class PayloadRefused(PressroomError):
    """A job that is not what `job_payload` makes, or more than an upload may hold: the message says why."""


@dataclass(frozen=True)
class Job:
    """A job's payload, checked: the source's file name and bytes, its images by the names the source
    uses (a saved page's: the files of its folder it took), a fetched page's address and the images
    fetched for it by their addresses, the date its editions carry, the formats and the options."""

    name: str
    source: bytes
    assets: Mapping[str, bytes]
    url: str | None
    fetched: Mapping[str, bytes]
    dated: datetime.datetime
    formats: tuple[str, ...]
    options: ExportOptions

    def article(self, folder: Path) -> Article:
        """The job's article, its files laid out in `folder` as they were beside the source; a fetched
        page read again from its address and the bytes fetched for it, none fetched again."""
        if self.url is not None:
            return read_fetched_page(Fetched(self.url, self.source, "text/html"), RecordedFetcher(self.fetched),
                                     dated=self.dated)
        try:
            for href, data in self.assets.items():
                target = folder / href
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            source = folder / self.name
            source.write_bytes(self.source)
        except OSError as error:  # one name a folder of another ("a" and "a/b.png")
            raise PayloadRefused(f"{self.name}: not exported: the job's files cannot be laid out "
                                 f"({error.strerror or error})") from None
        return read_article_bytes(source, self.source, dated=self.dated)


def job_payload(article: Article, formats: Sequence[str], options: Mapping[str, Any]) -> dict[str, Any]:
    """Everything a worker on another machine needs to make the editions, as plain JSON values; PayloadRefused
    when the article holds more than an upload may (a worker would refuse it).

    A web page travels as its reader read it: the page's bytes and the images it took in (a saved page's
    files of its folder, a fetched page's address and the bytes fetched), for the worker to read it the
    same way, so that its editions are the ones made here: the worker has no leave to fetch anything."""
    name, page, url, fetched = article.source_path.name, article.page, None, {}
    if page is not None and page.url is not None:
        source, assets, url, fetched = page.data, {}, page.url, dict(page.images)
    elif page is not None:
        source, assets = page.data, dict(page.images)
        for href in assets:
            if not inside(href):
                raise PayloadRefused(f"{name}: not exported: it names its image {href[:80]!r} by a path that leaves "
                                     "its folder, which a job cannot lay out; export it without --queue")
    else:
        source = article.source_path.read_bytes()
        assets = {asset.href: asset.read_bytes() for asset in article.assets}
    _check_budget(name, len(assets) + len(fetched),
                  len(source) + sum(len(data) for data in (*assets.values(), *fetched.values())))
    return {
        "name": name,
        "source": _encode(source),
        "assets": {href: _encode(data) for href, data in assets.items()},
        "url": url,
        "fetched": {address: _encode(data) for address, data in fetched.items()},
        "dated": article.edition_date.isoformat(),  # resolved here: the worker's clock and files differ
        "formats": list(formats),
        "options": dict(options),
    }


def read_job(payload: Any) -> Job:
    """The job a payload describes, every field checked (types, names inside the job's folder, web
    addresses, the date, an upload's budget of files and bytes), before anything is decoded or written;
    else PayloadRefused."""
    if not isinstance(payload, dict):
        raise PayloadRefused("a job: not exported: its payload is not a set of named fields")
    name = payload.get("name")
    if not isinstance(name, str) or not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name \
            or len(name) > MAX_NAME_CHARS:
        raise PayloadRefused(f"a job: not exported: its article's file name {str(name)[:80]!r} is not a plain file "
                             f"name of at most {MAX_NAME_CHARS} characters")
    shown = f"{name}: not exported: the job"
    if set(payload) != PAYLOAD_KEYS:
        odd = sorted(set(payload) ^ PAYLOAD_KEYS)
        raise PayloadRefused(f"{shown} has fields it should not have or lacks some ({', '.join(odd)[:200]})")
    source, assets, dated = payload["source"], payload["assets"], payload["dated"]
    url, fetched = payload["url"], payload["fetched"]
    if not isinstance(source, str) or not isinstance(assets, dict) \
            or not all(isinstance(href, str) and isinstance(data, str) for href, data in assets.items()):
        raise PayloadRefused(f"{shown}'s source and images are not text (base64) by name")
    if not isinstance(fetched, dict) \
            or not all(isinstance(address, str) and isinstance(data, str) for address, data in fetched.items()):
        raise PayloadRefused(f"{shown}'s fetched images are not text (base64) by address")
    _check_budget(name, len(assets) + len(fetched),
                  (len(source) + sum(len(data) for data in (*assets.values(), *fetched.values()))) * 3 // 4)
    for href in assets:
        if not inside(href):
            raise PayloadRefused(f"{shown} names a file outside the article's folder ({href[:80]!r})")
    for address in (url, *fetched) if url is not None else fetched:
        if not web_address(address):
            raise PayloadRefused(f"{shown} names {str(address)[:80]!r} as a fetched page's or image's address, "
                                 f"which is not an http(s) address of at most {MAX_HREF_CHARS} characters")
    if url is None and fetched:
        raise PayloadRefused(f"{shown} carries fetched images but no fetched page's address")
    if url is not None and (assets or not is_web_page(Path(name))):
        raise PayloadRefused(f"{shown} carries a fetched page's address with a source that is not a fetched page "
                             "(a web page's name, and no files beside it)")
    try:
        date = datetime.datetime.fromisoformat(dated) if isinstance(dated, str) else None
    except ValueError:
        date = None
    if date is None or date.tzinfo is None:
        raise PayloadRefused(f"{shown}'s date {str(dated)[:40]!r} is not a date and time with its offset "
                             "(ISO 8601)")
    formats, options = payload["formats"], payload["options"]
    if not isinstance(formats, list) or not 0 < len(formats) <= MAX_FORMATS \
            or not all(isinstance(format_name, str) for format_name in formats):
        raise PayloadRefused(f"{shown}'s formats are not a list of names")
    if not isinstance(options, dict) or not all(isinstance(value, (str, bool, int, type(None)))
                                                for value in options.values()):
        raise PayloadRefused(f"{shown}'s options are not names with text, number or on/off values")
    return Job(name, _decoded(source, shown), {href: _decoded(data, shown) for href, data in assets.items()},
               url, {address: _decoded(data, shown) for address, data in fetched.items()},
               date, tuple(formats), ExportOptions(options))


def send_payload(article: Article, format_name: str, options: Mapping[str, Any], recipient: str) -> dict[str, Any]:
    """A job that makes the `format_name` edition of `article` and sends it to `recipient`: an export
    job's fields and the address."""
    return {**job_payload(article, [format_name], options), "to": recipient}


def read_send_job(payload: Any) -> tuple[Job, str]:
    """The job a send payload describes and its recipient, checked as `read_job` checks an export job (and
    one format, and one address); else PayloadRefused."""
    if not isinstance(payload, dict) or "to" not in payload:
        raise PayloadRefused("a job: not sent: its payload is not a set of named fields with an address")
    job = read_job({name: value for name, value in payload.items() if name != "to"})
    if len(job.formats) != 1:
        raise PayloadRefused(f"{job.name}: not sent: the job names {len(job.formats)} formats, not one")
    try:
        return job, checked_address(payload["to"] if isinstance(payload["to"], str) else "")
    except AddressRefused as error:
        raise PayloadRefused(f"{job.name}: not sent: {error}") from None


def read_payload_article(payload: Any, folder: Path) -> Article:
    """The job's article, its files laid out in `folder` as they were beside the source."""
    return read_job(payload).article(folder)


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


def scratch_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="pressroom-job-")


def _encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _decoded(text: str, shown: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise PayloadRefused(f"{shown} holds data that is not base64") from None


def _check_budget(name: str, images: int, size: int) -> None:
    """PayloadRefused unless the job's files (the source and `images` images, `size` bytes) fit an upload's budget."""
    if images + 1 > MAX_UPLOAD_FILES:
        raise PayloadRefused(f"{name}: not exported: the job holds {images} images, more than an upload may "
                             f"({MAX_UPLOAD_FILES - 1}); export it without --queue")
    if size > MAX_UNPACKED_BYTES:
        raise PayloadRefused(f"{name}: not exported: the job holds {-(-size // (1024 * 1024))} MiB, more than an "
                             f"upload may ({MAX_UNPACKED_BYTES // (1024 * 1024)} MiB); export it without --queue")


def web_address(address: Any) -> bool:
    """Whether `address` is an http(s) address naming a host, of at most MAX_HREF_CHARS characters, with
    no spaces or control characters."""
    if not isinstance(address, str) or len(address) > MAX_HREF_CHARS or not is_web_address(address) \
            or any(character.isspace() or ord(character) < 32 or ord(character) == 127 for character in address):
        return False
    try:
        return bool(urlsplit(address).hostname)
    except ValueError:
        return False


def inside(name: Any) -> bool:
    """Whether `name` is a plain relative path (no `..`, no root, no backslash): inside whatever folder it
    is joined to."""
    if not isinstance(name, str) or not name or len(name) > MAX_HREF_CHARS or "\\" in name or "\0" in name:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))
