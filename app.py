"""The web UI: the library, an article's preview and one download per registered exporter."""

from __future__ import annotations

import hashlib
import multiprocessing
from dataclasses import replace
from pathlib import Path

from flask import Flask, Response, abort, render_template, request, send_from_directory, url_for
from werkzeug.exceptions import HTTPException

from articles import ContentError, Library, PressroomError
from downloads import content_disposition
from exporters import ExportLimits, ExportOptions, export, load_exporters
from exporters.base import PAGE_SIZES, PDF_VARIANTS, OptionError, UnknownFormat
from exporters.html import render_reading_view
from exporters.pdf import PdfExporter
from exporters.rendering import TEMPLATES_DIR

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent / "content"
# Only these template folders hold files a browser may fetch (stylesheets and fonts).
PUBLIC_FOLDERS = ("screen/", "web/", "fonts/")
PUBLIC_SUFFIXES = (".css", ".ttf")


def create_app(config: dict | None = None) -> Flask:
    """The application factory; `CONTENT_DIR` picks the folder of articles."""
    # Exports run in workers forked from one warm process (the server's threads make plain fork unsafe).
    multiprocessing.get_context("forkserver").set_forkserver_preload(["exporters.preload"])
    app = Flask(__name__, template_folder=str(TEMPLATES_DIR), static_folder=None)
    app.config.from_mapping(CONTENT_DIR=str(DEFAULT_CONTENT_DIR),
                            EXPORT_LIMITS=ExportLimits(start_method="forkserver"))
    if config:
        app.config.from_mapping(config)

    def library() -> Library:
        return Library(app.config["CONTENT_DIR"])

    def find_article(slug: str):
        article = library().find(slug)
        if article is None:
            abort(404, f"There is no article called “{slug}” in the library.")
        return article

    @app.get("/")
    def index():
        return render_template("web/library.html.jinja", entries=library().entries(),
                               content_dir=app.config["CONTENT_DIR"])

    @app.get("/articles/<slug>/")
    def preview(slug: str):
        article = find_article(slug)
        options = _options()
        reading_view = render_reading_view(
            article, lambda href: url_for("article_file", slug=slug, href=href))
        return render_template("web/preview.html.jinja", article=article, reading_view=reading_view,
                               exporters=load_exporters(), options=options,
                               page_sizes=PAGE_SIZES, pdf_variants=PDF_VARIANTS)

    @app.get("/articles/<slug>/download/<format_name>")
    def download(slug: str, format_name: str):
        exporters = load_exporters()
        if format_name not in exporters:
            abort(404, f"There is no “{format_name}” edition; the editions are {', '.join(exporters)}.")
        article = find_article(slug)
        options = _options()
        if format_name == "epub" and "page_list" not in request.args and PdfExporter().has_layout(article, options):
            options = replace(options, page_list=True)  # the PDF was laid out already: page-list for free
        exporter = exporters[format_name]
        etag = hashlib.sha256(f"{article.digest}\n{format_name}\n{options}".encode()).hexdigest()[:32]
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        else:
            data = export(article, format_name, options, app.config["EXPORT_LIMITS"])
            response = Response(data, mimetype=exporter.media_type)
            response.headers["Content-Disposition"] = content_disposition(article.title, exporter.extension)
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/articles/<slug>/files/<path:href>")
    def article_file(slug: str, href: str):
        asset = find_article(slug).asset(href)
        if asset is None:
            abort(404, f"The article “{slug}” has no file called “{href}”.")
        return send_from_directory(asset.path.parent, asset.path.name, mimetype=asset.media_type)

    @app.get("/static/<path:filename>")
    def static_file(filename: str):
        if not filename.startswith(PUBLIC_FOLDERS) or not filename.endswith(PUBLIC_SUFFIXES):
            abort(404, "No such file.")
        return send_from_directory(TEMPLATES_DIR, filename, max_age=3600)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_template("web/error.html.jinja", status=error.code, title=error.name,
                               message=error.description), error.code

    @app.errorhandler(ContentError)
    def content_error(error: ContentError):
        return render_template("web/error.html.jinja", status=422, title="This article cannot be read",
                               message=str(error)), 422

    @app.errorhandler(PressroomError)
    def pressroom_error(error: PressroomError):
        status = 400 if isinstance(error, (OptionError, UnknownFormat)) else 422
        return render_template("web/error.html.jinja", status=status, title="This edition cannot be made",
                               message=str(error)), status

    return app


def _options() -> ExportOptions:
    return ExportOptions.from_mapping(request.args)
