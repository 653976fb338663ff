"""Warming a process before it forks export workers: the exporters' engines loaded, fonts and
stylesheets parsed, templates compiled, and what it holds then left out of the collector's work."""

from __future__ import annotations

import gc

from ..exporters import rehearse_engines
from ..exporters.rendering import environment


def warm_engines() -> None:
    """Prepare every exporter (a small export each) and compile the editions' templates in this
    process; workers forked from it afterwards skip collecting what it holds."""
    rehearse_engines()
    # The web UI's own templates (web/) are the app's, compiled by Flask with its filters, never here.
    for template in environment().list_templates(filter_func=lambda name: name.endswith(".jinja")
                                                 and not name.startswith("web/")):
        environment().get_template(template)
    # Workers forked from here leave these long-lived objects to the collector's permanent generation:
    # a collection in a worker neither walks them nor writes to (and so copies) the pages they live on.
    gc.freeze()
