"""Imported once by the web server's export worker parent (the forkserver), so that every export
worker starts with WeasyPrint imported, the fonts and stylesheets parsed and the templates loaded."""

from . import epub, html, pdf  # noqa: F401  (imported for their side effect: loaded modules)
from .rendering import environment

pdf.warm_up(full=True)
for template in ("pdf/book.html.jinja", "epub/chapter.xhtml.jinja", "html/article.html.jinja"):
    environment().get_template(template)
