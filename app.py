"""The web UI's application factory: configuration and the feature blueprints, nothing else."""

from __future__ import annotations

from flask import Flask

from .articles.webimport.fetching import allowed_hosts_from_environment
from .execution import ExportLimits
from .exporters.rendering import TEMPLATES_DIR
from .locations import default_content_dir, instance_dir
from .web import account_pages, api, auth, books, delivery, edition_views, imports, library, opds, pages, periodicals
from .web.security import secret_key, trusted_hosts_from_environment
from .web.state import EXTENSION, WebState


def create_app(config: dict | None = None) -> Flask:
    """The web UI over the articles of `CONTENT_DIR`; `config` overrides the defaults (tests, deployments).

    Exports run in forkserver workers: a script that calls this and exports must guard its start with
    `if __name__ == "__main__":`.
    """
    app = Flask(__name__, instance_path=str(instance_dir()), template_folder=str(TEMPLATES_DIR), static_folder=None)
    # Flask escapes only templates named *.html; ours are *.html.jinja, so escape everything.
    app.jinja_env.autoescape = True
    # A pasted article may be as long as an upload (Flask's default for a text field is 500 kB), so a
    # 413 other than the upload limit means too many form parts.
    app.config.from_mapping(MAX_CONTENT_LENGTH=32 * 1024 * 1024, MAX_FORM_MEMORY_SIZE=32 * 1024 * 1024,
                            EXPORT_LIMITS=ExportLimits(start_method="forkserver"), EXPORT_SLOTS=2, IMPORT_SLOTS=2,
                            ALLOWED_FETCH_HOSTS=allowed_hosts_from_environment(),
                            TRUSTED_HOSTS=trusted_hosts_from_environment(), SESSION_COOKIE_SAMESITE="Lax")
    if config:
        app.config.from_mapping(config)
    if "CONTENT_DIR" not in app.config:  # looked up only when needed: an installed Pressroom seeds it on first use
        app.config["CONTENT_DIR"] = str(default_content_dir())
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
    app.extensions[EXTENSION] = WebState.from_config(app.config)
    app.extensions[imports.EXTENSION] = imports.ImportSlots(app.config["IMPORT_SLOTS"])
    for blueprint in (library.blueprint, edition_views.article_views, pages.blueprint, books.blueprint,
                      edition_views.book_views, delivery.blueprint, opds.blueprint, periodicals.blueprint,
                      auth.blueprint, account_pages.blueprint, api.blueprint):
        app.register_blueprint(blueprint)
    auth.init_app(app)  # after every blueprint: it refuses a view that declares no role
    return app
