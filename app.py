"""The web UI: the library, adding articles, previews of every edition, downloads and checks."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

from flask import Flask, Response, abort, redirect, render_template, request, send_from_directory, session, url_for
from werkzeug.exceptions import HTTPException

from .articles import Article, ContentError, Library, PressroomError
from .articles.library import UploadedFile
from .downloads import content_disposition
from .exporters import ExportLimits, ExportOptions, export, load_exporters
from .exporters.base import PAGE_SIZES, PDF_VARIANTS, OptionError, UnknownFormat
from .exporters.html import render_reading_view
from .exporters.pdf import PdfExporter
from .exporters.rendering import TEMPLATES_DIR
from .locations import default_content_dir, instance_dir
from .web_support import ExportCache, csrf_token, csrf_valid, secret_key

# Only these template folders hold files a browser may fetch (stylesheets, script and fonts).
PUBLIC_FOLDERS = ("screen/", "web/", "fonts/")
PUBLIC_SUFFIXES = (".css", ".ttf", ".js")
EBOOK_TYPES = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}
VIEWS = ("reading", "print", "ebook")


def create_app(config: dict | None = None) -> Flask:
    """The application factory; `CONTENT_DIR` picks the folder of articles."""
    # Exports run in workers forked from one warm process (the server's threads make plain fork unsafe).
    multiprocessing.get_context("forkserver").set_forkserver_preload(["pressroom.exporters.preload"])
    app = Flask(__name__, instance_path=str(instance_dir()), template_folder=str(TEMPLATES_DIR), static_folder=None)
    # Flask escapes only templates named *.html; ours are *.html.jinja, so escape everything.
    app.jinja_env.autoescape = True
    app.config.from_mapping(MAX_CONTENT_LENGTH=32 * 1024 * 1024,
                            EXPORT_LIMITS=ExportLimits(start_method="forkserver"), SESSION_COOKIE_SAMESITE="Lax")
    if config:
        app.config.from_mapping(config)
    if "CONTENT_DIR" not in app.config:  # looked up only when needed: an installed Pressroom seeds it on first use
        app.config["CONTENT_DIR"] = str(default_content_dir())
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
    cache = ExportCache()

    def library() -> Library:
        return Library(app.config["CONTENT_DIR"])

    def find_article(slug: str) -> Article:
        article = library().find(slug)
        if article is None:
            abort(404, f"There is no article called “{slug}” in the library.")
        return article

    def edition(article: Article, format_name: str, options: ExportOptions) -> tuple[str, bytes]:
        """(ETag, bytes) of an edition, from the cache when the article and options are unchanged."""
        etag = _etag(article, format_name, options)
        data = cache.get(etag)
        if data is None:
            data = export(article, format_name, options, app.config["EXPORT_LIMITS"])
            cache.put(etag, data)
        return etag, data

    def options_for(article: Article, format_name: str) -> ExportOptions:
        options = ExportOptions.from_mapping(request.args)
        if format_name == "epub" and "page_list" not in request.args and PdfExporter().has_layout(article, options):
            options = replace(options, page_list=True)  # the PDF was laid out already: page-list for free
        return options

    @app.context_processor
    def form_token():
        return {"csrf_token": lambda: csrf_token(session)}

    @app.get("/")
    def index():
        return render_template("web/library.html.jinja", entries=library().entries(),
                               content_dir=app.config["CONTENT_DIR"])

    @app.get("/add")
    def add_form():
        return render_template("web/add.html.jinja", error=None, form=None, pasted="")

    @app.post("/add")
    def add_article():
        if not csrf_valid(session, request.form.get("csrf_token")):
            abort(400, "The form has expired. Reload the page and send it again.")
        replace_existing = request.form.get("replace") == "on"
        if request.form.get("source") == "paste":
            text = request.form.get("text", "")
            kind = "md" if request.form.get("kind") == "md" else "txt"
            name = (request.form.get("name") or "").strip() or _first_line(text) or "pasted article"
            files = [UploadedFile(f"{name}.{kind}", text.encode("utf-8"))]
        else:
            files = [UploadedFile(upload.filename or "", upload.read()) for upload in request.files.getlist("files")
                     if upload.filename]
        try:
            article = library().add(files, replace=replace_existing)
        except ContentError as error:
            form = "paste" if request.form.get("source") == "paste" else "upload"
            return render_template("web/add.html.jinja", error=str(error), form=form,
                                   pasted=request.form.get("text", ""), values=request.form), 422
        return redirect(url_for("preview", slug=article.slug), code=303)

    @app.get("/articles/<slug>/")
    def preview(slug: str):
        article = find_article(slug)
        options = ExportOptions.from_mapping(request.args)
        view = request.args.get("view", "reading")
        if view not in VIEWS:
            abort(404, f"There is no “{view}” view; the views are {', '.join(VIEWS)}.")
        context = {}
        if view == "reading":
            context["reading_view"] = render_reading_view(
                article, lambda href: url_for("article_file", slug=slug, href=href))
        elif view == "print":
            from pypdf import PdfReader

            _, pdf = edition(article, "pdf", options)
            context["page_count"] = len(PdfReader(io.BytesIO(pdf)).pages)
        else:
            _, book = edition(article, "epub", options_for(article, "epub"))
            context["documents"] = _spine(book)
        return render_template("web/preview.html.jinja", article=article, exporters=load_exporters(),
                               options=options, view=view, views=VIEWS, page_sizes=PAGE_SIZES,
                               pdf_variants=PDF_VARIANTS, **context)

    @app.get("/articles/<slug>/download/<format_name>")
    def download(slug: str, format_name: str):
        exporters = load_exporters()
        if format_name not in exporters:
            abort(404, f"There is no “{format_name}” edition; the editions are {', '.join(exporters)}.")
        article = find_article(slug)
        options = options_for(article, format_name)
        exporter = exporters[format_name]
        etag = _etag(article, format_name, options)
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        else:
            etag, data = edition(article, format_name, options)
            response = Response(data, mimetype=exporter.media_type)
            response.headers["Content-Disposition"] = content_disposition(article.title, exporter.extension)
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/articles/<slug>/pages/<int:number>.png")
    def page_image(slug: str, number: int):
        article = find_article(slug)
        etag, pdf = edition(article, "pdf", ExportOptions.from_mapping(request.args))
        key = f"{etag}-page-{number}"
        image = cache.get(key)
        if image is None:
            image = _render_page(pdf, number)
            cache.put(key, image)
        return Response(image, mimetype="image/png", headers={"Cache-Control": "no-cache", "ETag": f'"{key}"'})

    @app.get("/articles/<slug>/ebook/<path:name>")
    def ebook_file(slug: str, name: str):
        article = find_article(slug)
        _, book = edition(article, "epub", options_for(article, "epub"))
        media_type = EBOOK_TYPES.get(PurePosixPath(name).suffix.lower())
        try:
            data = zipfile.ZipFile(io.BytesIO(book)).read(f"EPUB/{name}")
        except KeyError:
            data = None
        if media_type is None or data is None:
            abort(404, f"The e-book has no file called “{name}”.")
        response = Response(data, mimetype=media_type)
        response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'self'; sandbox"
        return response

    @app.get("/articles/<slug>/check/<format_name>")
    def check(slug: str, format_name: str):
        from .exporters.checks import check_epub, check_pdf

        checks = {"pdf": check_pdf, "epub": check_epub}
        if format_name not in checks:
            abort(404, f"There is no check for “{format_name}”; Pressroom checks {', '.join(checks)}.")
        article = find_article(slug)
        options = options_for(article, format_name)
        _, data = edition(article, format_name, options)
        return render_template("web/check.html.jinja", article=article, format_name=format_name,
                               label=load_exporters()[format_name].label, findings=checks[format_name](data),
                               options=options)

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
                                    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                    "style-src-attr 'unsafe-inline'; object-src 'none'; frame-ancestors 'self'; "
                                    "base-uri 'none'; form-action 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = error.description
        if error.code == 413:
            limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
            message = f"The upload is larger than {limit} MiB. Send the article with only the images it uses."
        return render_template("web/error.html.jinja", status=error.code, title=error.name, message=message), error.code

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


def _etag(article: Article, format_name: str, options: ExportOptions) -> str:
    """The identity of an edition: the article's content (and images), the format and the options."""
    return hashlib.sha256(f"{article.digest}\n{format_name}\n{options}".encode()).hexdigest()[:32]


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and line.strip() != "---":
            return line.strip().lstrip("#").strip()[:80]
    return ""


def _spine(book: bytes) -> list[tuple[str, str]]:
    """(file name inside EPUB/, title) of each document in the e-book's reading order."""
    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(book))
    opf = etree.fromstring(archive.read("EPUB/content.opf"))
    ns = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}
    hrefs = {item.get("id"): item.get("href") for item in opf.findall(".//opf:manifest/opf:item", ns)}
    documents = []
    for ref in opf.findall(".//opf:spine/opf:itemref", ns):
        href = hrefs[ref.get("idref")]
        title = etree.fromstring(archive.read(f"EPUB/{href}")).findtext(".//x:title", namespaces=ns) or href
        documents.append((href, title))
    return documents


def _render_page(pdf: bytes, number: int) -> bytes:
    """Page `number` of the PDF as a PNG, drawn by poppler's pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        abort(503, "Page images need poppler's pdftoppm, which is not installed here.")
    with tempfile.TemporaryDirectory(prefix="pressroom-pages-") as folder:
        source = Path(folder) / "edition.pdf"
        source.write_bytes(pdf)
        result = subprocess.run([tool, "-png", "-r", "60", "-f", str(number), "-l", str(number), "-singlefile",
                                 str(source), str(Path(folder) / "page")], capture_output=True, timeout=60)
        page = Path(folder) / "page.png"
        if result.returncode != 0 or not page.exists():
            abort(404, f"The PDF edition has no page {number}.")
        return page.read_bytes()
