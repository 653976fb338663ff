"""Imported once by the web server's export worker parent (the forkserver), so that every export
worker starts with the exporters' engines loaded, fonts and stylesheets parsed, templates compiled."""

import gc

from .registry import rehearse_engines
from .rendering import environment

rehearse_engines()
# The web UI's own templates (web/) are the app's, compiled by Flask with its filters, never here.
for _template in environment().list_templates(filter_func=lambda name: name.endswith(".jinja")
                                              and not name.startswith("web/")):
    environment().get_template(_template)
# Workers forked from here leave these long-lived objects to the collector's permanent generation:
# a collection in a worker neither walks them nor writes to (and so copies) the pages they live on.
gc.freeze()
