"""The library and adding articles: the list of the content folder, the upload and paste forms."""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from ..articles import PressroomError
from ..articles import UploadedFile
from .security import csrf_valid
from .state import library

blueprint = Blueprint("library", __name__)
MAX_PASTED_NAME_CHARS = 80
# What a file name cannot hold: folders and control characters (leading dots, which hide a file, are stripped).
_NOT_IN_A_NAME = re.compile(r"[/\\\x00-\x1f\x7f]+")


@blueprint.get("/")
def index():
    return render_template("web/library.html.jinja", entries=library().entries())


@blueprint.get("/add")
def add_form():
    return render_template("web/add.html.jinja", error=None, form=None, pasted="")


@blueprint.post("/add")
def add_article():
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
    replace_existing = request.form.get("replace") == "on"
    if request.form.get("source") == "address":
        files = []
    elif request.form.get("source") == "paste":
        text = request.form.get("text", "")
        kind = "md" if request.form.get("kind") == "md" else "txt"
        name = _pasted_name(request.form.get("name") or "") or _pasted_name(_first_line(text)) or "pasted article"
        files = [UploadedFile(f"{name}.{kind}", text.encode("utf-8"))]
    else:
        files = [UploadedFile(upload.filename or "", upload.read()) for upload in request.files.getlist("files")
                 if upload.filename]
    try:
        if request.form.get("source") == "address":
            article = library().add_address(request.form.get("url", ""), tuple(current_app.config.get(
                "ALLOWED_FETCH_HOSTS", ())), replace=replace_existing)
        else:
            article = library().add(files, replace=replace_existing)
    except PressroomError as error:
        form = request.form.get("source") if request.form.get("source") in ("paste", "address") else "upload"
        return render_template("web/add.html.jinja", error=str(error), form=form,
                               pasted=request.form.get("text", ""), values=request.form), 422
    if article.warnings:  # what an imported page lost: shown once, before the preview
        return render_template("web/add.html.jinja", error=None, form=None, pasted="", added=article)
    return redirect(url_for("editions.preview", slug=article.slug), code=303)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and line.strip() != "---":
            return line.strip().lstrip("#")
    return ""


def _pasted_name(text: str) -> str:
    """`text` (a typed name, or the first line of the text) as a file name: "Yes/No" is "Yes No"."""
    return " ".join(_NOT_IN_A_NAME.sub(" ", text).split())[:MAX_PASTED_NAME_CHARS].strip(" .")
