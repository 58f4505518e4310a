"""A small per-process store of rendered HTML fragments, keyed by everything they show.

A key names the data a fragment was rendered from (record ids with the time each last changed, the
content version, the language, ...). A change to any of it gives a new key, so a fragment is never
served after its data changed: it is simply no longer asked for, and the least recently used fragments
are dropped once the store is full. Nothing ever has to be told to forget, and each worker process may
keep its own store without disagreeing with the others.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class FragmentCache:
    """Up to ``size`` fragments; safe to share between the threads of one process."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"size must be at least 1, not {size}")
        self.size = size
        self._fragments: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        """The fragment stored under ``key``; else ``render()``'s, stored under it.

        Rendering happens outside the lock, so two threads missing the same key at once may both render
        it; both get the same text.
        """
        with self._lock:
            fragment = self._fragments.get(key)
            if fragment is not None:
                self._fragments.move_to_end(key)
                return fragment
        fragment = render()
        with self._lock:
            self._fragments[key] = fragment
            self._fragments.move_to_end(key)
            while len(self._fragments) > self.size:
                self._fragments.popitem(last=False)
        return fragment

    def __len__(self) -> int:
        return len(self._fragments)
