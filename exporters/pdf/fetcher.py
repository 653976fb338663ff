"""The only way WeasyPrint may load a resource: the article's own images and Pressroom's templates."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..rendering import TEMPLATES_DIR


class RefusedResource(ValueError):
    """A resource outside what the article may use; WeasyPrint skips it and logs a warning."""


class ArticleURLFetcher(URLFetcher):
    """Serves the article's images (`in_memory`: media type and bytes, by their exact URL) and `file:`
    URLs inside `templates/`; refuses everything else.

    Nothing reaches the network, follows a redirect or reads another local file, whatever the
    spelling (`../`, symlinks, `data:` wrappers, `<base>`), because only exact URLs and resolved
    template paths pass.
    """

    def __init__(self, in_memory: Mapping[str, tuple[str, bytes]] | None = None,
                 templates: Path = TEMPLATES_DIR) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=False, timeout=1)
        self._in_memory = dict(in_memory or {})
        self._templates = templates.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url in self._in_memory:
            media_type, body = self._in_memory[url]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})
        path = self._local_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedResource(f"Pressroom does not load {url[:200]!r}: only the article's own "
                                  "images are used")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": media_type})

    def _local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()
        if path.is_relative_to(self._templates) and path.is_file():
            return path
        return None
