"""The one place templates are rendered: a Jinja2 environment over `templates/`."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..locations import cache_dir
from .typefaces import writing_direction
from .words import words_for

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
FONTS_DIR = TEMPLATES_DIR / "fonts"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        bytecode_cache=_compiled_templates(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["in_document"] = lambda section: f"#{section.id}"
    env.globals.update(say=_say, date_in_words=_date_in_words, by=_by, names=_names, direction=_direction)
    return env


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's cache folder (Jinja2 checks each against its source)."""
    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


# The generated words follow the language of the article being rendered (the context's `article`).
@jinja2.pass_context
def _say(context, key: str, **values) -> str:
    return _words(context).say(key, **values)


@jinja2.pass_context
def _date_in_words(context, date) -> str:
    return _words(context).date(date)


@jinja2.pass_context
def _by(context, authors) -> str:
    """"By A and B" in the article's language."""
    return _words(context).by([author.name for author in authors])


@jinja2.pass_context
def _names(context, people) -> str:
    """Authors (or plain names) joined as the article's language joins them."""
    return _words(context).names([getattr(person, "name", person) for person in people])


@jinja2.pass_context
def _direction(context) -> str:
    return writing_direction(context["article"].metadata)


def _words(context):
    return words_for(context["article"].metadata.language)


def as_is(html: str, section=None) -> Markup:
    """A section's XHTML as the medium uses it when it needs no change (the readers made it safe)."""
    return Markup(html)


def render(template: str, fragment: Callable[..., Markup] = as_is, **context) -> str:
    """Render `template`; `fragment(html, section)` turns a piece of a section's XHTML into the
    medium's markup (image addresses, links between files)."""
    return environment().get_template(template).render(fragment=fragment, **context)


def read_template_file(name: str) -> str:
    """A stylesheet or other text file from `templates/`."""
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")
