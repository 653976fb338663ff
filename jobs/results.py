"""A job's result read back from Redis, taken as input from whoever can write there: its record's size and
shape checked, its files held to the ones the exporters plan for the article, before anything is written,
served or cached."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..articles import Article, PressroomError
from ..exporters import Edition, EditionFile, EditionPlan, View
from .payload import MAX_RESULT_BYTES, inside

# A record holds the files in base64 (4 bytes for 3), their views and Celery's own fields.
MAX_RECORD_BYTES = MAX_RESULT_BYTES * 4 // 3 + 1024 * 1024
MAX_REASON_CHARS = 1000
# What a preview may serve from inside an edition (the EPUB's documents, styles and cover), and nothing
# else, whatever a result claims: the media type decides how a browser treats the bytes.
PREVIEW_MEDIA_TYPES = frozenset({"application/xhtml+xml", "text/css", "image/png", "image/jpeg", "image/gif",
                                 "image/webp"})
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # a reason is printed to a terminal: no escapes


class ResultRefused(PressroomError):
    """A job's result that is not what a worker makes of the job: the message says what is wrong, in one line."""


def read_record(record: bytes | None) -> tuple[str, Any] | None:
    """What a job's result record says: ("done", result), ("failed", the worker's reason, which names the
    article), ("broken", why the record is refused or the job failed without a reason of its own) or
    ("running", None); None while there is none."""
    if record is None:
        return None
    if len(record) > MAX_RECORD_BYTES:
        return "broken", (f"its result record holds {_mib(len(record))} MiB, more than a job may return "
                          f"({_mib(MAX_RECORD_BYTES)} MiB); it is refused")
    try:
        meta = json.loads(record)
    except (ValueError, UnicodeDecodeError):
        return "broken", "its result record is not JSON; it is refused"
    if not isinstance(meta, dict):
        return "broken", "its result record is not a job's result; it is refused"
    status = meta.get("status")
    if status == "SUCCESS":
        result = meta.get("result")
        if isinstance(result, dict) and set(result) == {"error"}:
            return "failed", reason_text(result["error"])
        return "done", result
    if status == "FAILURE":
        failure = meta.get("result")
        return "broken", f"the job failed on its worker: {reason_text(failure.get('exc_message') if isinstance(failure, dict) else failure)}"
    if status in ("STARTED", "RETRY"):
        return "running", None
    if status in ("PENDING", "RECEIVED"):
        return None
    return "broken", f"its result record has the status {reason_text(status)[:40]!r}; the job did not finish"


def read_records(client, keys: Sequence[str]) -> list[tuple[str, Any] | None]:
    """What the result records under `keys` say (see `read_record`), each read no further than a job may
    return: a record that is larger, or not a string, is a failed job, and is never read whole."""
    with client.pipeline(transaction=False) as pipeline:
        for key in keys:
            pipeline.getrange(key, 0, MAX_RECORD_BYTES)  # one byte more than a record may hold
        records = pipeline.execute(raise_on_error=False)
    return [("broken", "its result record is not a job's result; it is refused") if isinstance(record, Exception)
            else read_record(record or None) for record in records]


def reason_text(value: Any) -> str:
    """A worker's reason as printable text: strings kept (without control characters), within a length."""
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        value = "; ".join(value)  # Celery keeps an exception's arguments as a list
    if not isinstance(value, str) or not value.strip():
        return "the worker gave no reason"
    text = _CONTROL.sub(" ", value.strip())
    return text if len(text) <= MAX_REASON_CHARS else text[:MAX_REASON_CHARS - 1] + "…"


def planned_files(article: Article, plans: Sequence[EditionPlan]) -> dict[str, dict[str, str]]:
    """The files each planned edition of `article` holds (name: media type, main file first), by format;
    ResultRefused if an exporter plans a name outside the output folder."""
    planned = {plan.exporter.name: plan.exporter.planned_files(article) for plan in plans}
    for format_name, files in planned.items():
        for name in files:
            if not inside(name):
                raise ResultRefused(f"the {format_name} exporter plans the file {name[:80]!r}, which is not inside "
                                    "the output folder; nothing is written")
    return planned


def checked_editions(result: Any, planned: Mapping[str, Mapping[str, str]]) -> dict[str, Edition]:
    """The editions a job's `result` holds, by format, if it holds exactly the `planned` files of each
    format: bytes from the result, names and media types from the plan (in its order). Else
    ResultRefused, and nothing of it is used."""
    editions = _mapping(result, "the result", {"editions"})["editions"]
    if not isinstance(editions, dict) or set(editions) != set(planned):
        raise ResultRefused(f"it holds other editions than the {', '.join(planned)} asked for")
    budget = [MAX_RESULT_BYTES]
    return {format_name: _edition(format_name, editions[format_name], files, budget)
            for format_name, files in planned.items()}


def _edition(format_name: str, made: Any, files: Mapping[str, str], budget: list[int]) -> Edition:
    made = _mapping(made, f"its {format_name} edition", {"files", "views", "resources"})
    found: dict[str, bytes] = {}
    for item in _sequence(made["files"], f"the files of its {format_name} edition"):
        item = _mapping(item, f"a file of its {format_name} edition", {"name", "media_type", "data"})
        name, data = item["name"], item["data"]
        if not isinstance(name, str) or not isinstance(data, str) or not isinstance(item["media_type"], str):
            raise ResultRefused(f"a file of its {format_name} edition has a name, data or media type that is not text")
        if name not in files:
            raise ResultRefused(f"it names a file {name[:80]!r} that the {format_name} edition does not have")
        if name in found:
            raise ResultRefused(f"it holds the file {name[:80]!r} twice")
        budget[0] -= len(data) * 3 // 4
        if budget[0] < 0:
            raise ResultRefused(f"its files hold more than a job may return ({_mib(MAX_RESULT_BYTES)} MiB)")
        found[name] = _decoded(data, name)
    missing = [name for name in files if name not in found]
    if missing:
        raise ResultRefused(f"its {format_name} edition lacks {', '.join(missing[:3])}")
    return Edition(tuple(EditionFile(name, found[name], media_type) for name, media_type in files.items()),
                   tuple(_view(fields, format_name) for fields in _sequence(made["views"], "its views")),
                   resources=_resources(made["resources"], format_name))


def _view(fields: Any, format_name: str) -> View:
    if (not isinstance(fields, list) or not 2 <= len(fields) <= 4 or not all(isinstance(value, str) for value in fields[:2])
            or not all(value is None or isinstance(value, str) for value in fields[2:])):
        raise ResultRefused(f"a view of its {format_name} edition is not a name and a title")
    return View(*fields)


def _resources(resources: Any, format_name: str) -> dict[str, str]:
    if not isinstance(resources, dict):
        raise ResultRefused(f"the preview files of its {format_name} edition are not a list of names")
    for name, media_type in resources.items():
        if not inside(name) or media_type not in PREVIEW_MEDIA_TYPES:
            raise ResultRefused(f"its {format_name} edition offers {name[:80]!r} as {str(media_type)[:40]!r}, "
                                "which no preview serves")
    return resources


def _mapping(value: Any, what: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise ResultRefused(f"{what} is not what a worker returns (it needs {', '.join(sorted(keys))}, nothing else)")
    return value


def _sequence(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ResultRefused(f"{what} is not a list")
    return value


def _decoded(text: str, name: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ResultRefused(f"the data of {name[:80]!r} is not base64") from None


def _mib(size: int) -> int:
    return -(-size // (1024 * 1024))
