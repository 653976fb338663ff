"""Recent editions by key (article content, format, the options it reads), bounded in bytes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class EditionCache:
    """Least recently used first out, once the files held pass `max_bytes`."""

    def __init__(self, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: str, value: Any, size: int | None = None) -> None:
        """Keep `value`; its size is that of an edition's files unless given."""
        size = size if size is not None else sum(len(file.data) for file in value.files)
        with self._lock:
            if key in self._items or size > self.max_bytes:
                return
            self._items[key] = (value, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, evicted) = self._items.popitem(last=False)
                self._size -= evicted
