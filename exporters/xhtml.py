"""The XHTML the readers made, adapted to a medium without parsing it again: addresses by string."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from markupsafe import Markup

EPUB_NAMESPACE = "http://www.idpf.org/2007/ops"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"


def attribute(value: str) -> str:
    """`value` escaped as the readers' XHTML writes an attribute value."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def links_to_files(file_of: Mapping[str, str]) -> Callable[..., Markup]:
    """A fragment filter: `#id` links to a section that lives in another file become `file#id`
    (the section records which ids its links name)."""

    def fragment(html: str, section) -> Markup:
        for target in section.links:
            if target in file_of:
                html = html.replace(f'href="#{attribute(target)}"', f'href="{attribute(file_of[target])}#{attribute(target)}"')
        return Markup(html)

    return fragment


def image_addresses(address_of: Callable[[str], str]) -> Callable[..., Markup]:
    """A fragment filter: each image the section records gets the address the medium serves it at."""

    def fragment(html: str, section) -> Markup:
        for image in section.images:
            html = html.replace(f'src="{attribute(image.href)}"', f'src="{attribute(address_of(image.href))}"')
        return Markup(html)

    return fragment
