"""SQLite with its writers queued by a file lock; see :mod:`.base`."""
