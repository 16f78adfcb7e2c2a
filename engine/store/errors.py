"""What can go wrong with a store file, for the user to read.

StoreError(Exception)      -- the file cannot be used; the message says why and what to do.
  StoreConflict            -- another writer appended to the same session first.
  SessionIdTaken           -- a new session's id is already in the file (retry with another).
"""

from __future__ import annotations


class StoreError(Exception):
    """The store file cannot be opened or written; the message tells the user what to do."""


class StoreConflict(StoreError):
    """Events for this session were appended by someone else; reload and try again."""


CONFLICT = "另一个窗口或进程已经推进了这个会话；请重新载入后再操作"


class SessionIdTaken(StoreError):
    """A session with this id already exists; the caller picks another id."""
