"""The entry points installed packages declare in a group, as importlib.metadata reads them, kept in the
user's cache until a package on the import path is added, removed or changed (importing
importlib.metadata and reading every package's metadata costs a cold command about 20 ms)."""

from __future__ import annotations

import importlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .user_cache import cached_bytes


@dataclass(frozen=True)
class DeclaredEntryPoint:
    """One entry point: its `name` in the group and its `value`, "module:attribute"."""

    name: str
    value: str

    def load(self) -> Any:
        """The object the value names (extras in brackets, which importlib ignores too, are ignored)."""
        module_name, _, attributes = self.value.split("[")[0].strip().partition(":")
        target = importlib.import_module(module_name.strip())
        for attribute in filter(None, attributes.strip().split(".")):
            target = getattr(target, attribute)
        return target


def entry_points(group: str) -> list[DeclaredEntryPoint]:
    """The entry points of `group` that the packages on `sys.path` declare, in importlib.metadata's order."""
    listing = installed_metadata()

    def read() -> bytes:
        return json.dumps(_read_with_importlib(group)).encode()

    try:
        declared = json.loads(cached_bytes("entry-points", [group, listing], [Path(__file__)], read))
        return [DeclaredEntryPoint(str(name), str(value)) for name, value in declared]
    except (ValueError, TypeError):  # a damaged cache file: importlib answers
        return [DeclaredEntryPoint(name, value) for name, value in _read_with_importlib(group)]


def installed_metadata() -> str:
    """Each package's metadata folder on `sys.path` with the size and time of its entry-point file: it
    changes whenever a package is installed, removed, upgraded or its entry points are edited."""
    lines = []
    for entry in sys.path:
        folder = entry or "."
        try:
            with os.scandir(folder) as found:
                names = sorted(item.name for item in found if item.name.endswith((".dist-info", ".egg-info")))
        except NotADirectoryError:  # a zip archive on the path
            lines.append(_signature(folder))
            continue
        except OSError:
            continue
        lines.append(folder)
        lines.extend(f"{name} {_signature(os.path.join(folder, name, 'entry_points.txt'))}" for name in names)
    return "\n".join(lines)


def _signature(path: str) -> str:
    try:
        status = os.stat(path)
    except OSError:
        return "-"
    return f"{status.st_size} {status.st_mtime_ns}"


def _read_with_importlib(group: str) -> list[tuple[str, str]]:
    from importlib.metadata import entry_points as metadata_entry_points

    return [(entry.name, entry.value) for entry in metadata_entry_points(group=group)]
