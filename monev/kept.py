"""What a process keeps in memory between requests: data that never change under their key.

Used for reference data read on almost every page (framework trees, SOP steps), keyed by a
stamp on the row the page already has (loaded_at, content_hash), so a changed version gets
a new key in every process without telling them. Never for per-user state.
"""

import threading
from collections import OrderedDict


class KeptData:
    """A small least-recently-used store of immutable values, safe across threads."""

    def __init__(self, size):
        self.size = size
        self._values = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, read):
        """The value under `key`, or `read()` kept under it (the oldest dropped past size)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = read()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def forget(self, pk=None):
        """Drop the values of one row (keys starting with its pk), or all of them."""
        with self._lock:
            if pk is None:
                self._values.clear()
            for key in [key for key in self._values if key[0] == pk]:
                del self._values[key]

    def kept_keys(self):
        with self._lock:
            return list(self._values)
