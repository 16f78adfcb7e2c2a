"""The store's exceptions; every message says, in Chinese, what the user can do.

StoreError(Exception)      -- the file cannot be used; the message says why and what to do.
  StoreConflict            -- another writer appended to the same session first.
"""

from __future__ import annotations


class StoreError(Exception):
    """The store file cannot be opened or written; the message tells the user what to do."""


class StoreConflict(StoreError):
    """Events for this session were appended by someone else; reload and try again."""
