"""trafilatura's extraction of a page's article, imported once a page is read, without its language detector's cost."""

from __future__ import annotations

import functools
import importlib.util
import logging
import sys
import threading
import types

from lxml import etree

# trafilatura and the libraries it calls log what they discard; the reader reports what matters itself.
for _library in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_library).addHandler(logging.NullHandler())
    logging.getLogger(_library).propagate = False

# trafilatura imports py3langid, and numpy with it (about half of its own import: 0.08 s of CPU in each
# process), for its filter by target language, which Pressroom never asks for; Pressroom's own language
# detection imports py3langid's submodule as usual.
_UNUSED_AT_IMPORT = "py3langid"
_RUNNING = threading.RLock()
_STARTED: set[str] = set()


def extract(tree, base: str | None):
    """trafilatura's `bare_extraction` of the page `tree` (whose address is `base`), or None when it
    cannot follow the markup."""
    try:
        # "xml": the body left as a tree, without the plain-text rendering of it ("python") no reader uses.
        return _bare_extraction()(tree, url=base, output_format="xml", include_comments=False, include_tables=True,
                                  include_images=True, include_formatting=True, include_links=True, with_metadata=True)
    except (ValueError, TypeError, RecursionError, etree.LxmlError):
        return None  # markup trafilatura cannot follow holds no article it can find


@functools.cache
def _bare_extraction():
    """trafilatura's `bare_extraction`, imported with the first page a process reads."""
    _import_unrun(_UNUSED_AT_IMPORT)
    from trafilatura import bare_extraction

    return bare_extraction


def _import_unrun(name: str) -> None:
    """Put the package `name` in `sys.modules` as imported, its code run when it is first used (its
    submodules import as usual); nothing when it is imported already or not installed."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)  # its __spec__, __path__ and __file__, which imports read
    module.__class__ = _RunWhenUsed
    sys.modules.setdefault(name, module)


class _RunWhenUsed(types.ModuleType):
    """A module whose code has not run yet: it runs (once, whichever thread asks first) when a name
    the module defines is first asked for."""

    def __getattr__(self, attribute: str):
        with _RUNNING:
            if type(self) is _RunWhenUsed and self.__name__ not in _STARTED:
                _STARTED.add(self.__name__)
                try:
                    self.__spec__.loader.exec_module(self)
                except BaseException:
                    _STARTED.discard(self.__name__)  # asked again, it runs again, and fails as an import would
                    raise
                self.__class__ = types.ModuleType
        return types.ModuleType.__getattribute__(self, attribute)
