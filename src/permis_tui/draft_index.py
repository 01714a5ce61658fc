"""The index of the demandes: each one's summary line and the stat of its demande.json.

The home screen and `permis-tui list` draw from it instead of reading every demande.json:
with 1,000 demandes the first screen needs one stat per demande, not one JSON parse, and
no model (pydantic) at all. It is a cache, never the truth:

- the store records a demande's entry after each write of its demande.json (under the
  folder's write lock, so the stat taken is the one of the bytes it wrote) and forgets it
  when the demande leaves demandes/; each write of the index is atomic (atomic_write);
- a listing trusts an entry only while the file's (inode, size, mtime, ctime) are those
  recorded: a file changed by anything else (another version, a restored backup, an
  editor) is read again, and the listing rewrites the index;
- a missing, unreadable, damaged or foreign index (wrong version, wrong shape, a field of
  the wrong type, a numéro that is not one) is ignored as a whole: the listing reads every
  demande.json again and writes a new one. Nothing in it is ever shown unchecked;
- `valide` says that the model read the file at that stamp without error (the store wrote
  it from a model, or a verification did): only the other entries need the model, off
  the startup path (`DraftStore.summaries(verify=True)`).

Two sessions updating it at once take its lock; one that cannot (busy, read-only folder)
leaves it as it is: the stamps make an old entry stale, never wrong.
Domain core: no Textual here.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from permis_tui.atomic import atomic_write
from permis_tui.demande_lock import flock_waiting, unlock
from permis_tui.draft_summary import DraftSummary
from permis_tui.model.schema import NUMERO_PATTERN
from permis_tui.safe_files import read_regular

INDEX_FILE = "index.json"
INDEX_LOCK = ".index.lock"
INDEX_VERSION = 1
MAX_INDEX_BYTES = 64 * 1024 * 1024  # ~200 bytes a demande: far more demandes than anyone keeps
LOCK_WAIT = 2.0  # seconds; an update holds it for a few milliseconds

_NUMERO_RE = re.compile(NUMERO_PATTERN)
Stamp = tuple[int, int, int, int]  # st_ino, st_size, st_mtime_ns, st_ctime_ns


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class IndexEntry(NamedTuple):  # a named tuple, as DraftSummary: 1,000 made per listing
    summary: DraftSummary
    stamp: Stamp
    valide: bool  # the model read demande.json at this stamp without error

    def to_row(self) -> list[Any]:
        return [*self.stamp, self.valide, self.summary.to_row()]


class DraftIndex:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / INDEX_FILE
        # The rows as this object last wrote them, and the file's stamp then: a save (on the
        # event loop, at each step change) need not parse the whole index again when no one
        # else wrote it since.
        self._rows: dict[str, Any] | None = None
        self._rows_stamp: Stamp | None = None

    def read(self) -> dict[str, IndexEntry]:
        """The entries on disk; {} when the file is missing or anything in it is not as written."""
        data = self._raw()
        if data is None:
            return {}
        entries: dict[str, IndexEntry] = {}
        try:
            for numero, item in data.items():
                if not _NUMERO_RE.fullmatch(numero) or type(item) is not list or len(item) != 6:
                    return {}
                ino, size, mtime, ctime, valide, row = item
                if (
                    type(ino) is not int
                    or type(size) is not int
                    or type(mtime) is not int
                    or type(ctime) is not int
                    or type(valide) is not bool
                ):
                    return {}
                entries[numero] = IndexEntry(DraftSummary.from_row(numero, row), (ino, size, mtime, ctime), valide)
        except (ValueError, TypeError):  # a date that is not one, a shape from_row refuses
            return {}
        return entries

    def _raw(self) -> dict[str, Any] | None:
        """The {numéro: row} of the file, or None if it cannot be what `write` wrote."""
        try:
            data = json.loads(read_regular(self.path, MAX_INDEX_BYTES))
        except (OSError, ValueError, RecursionError):  # missing, not a regular file, too big, not JSON
            return None
        if type(data) is not dict or data.get("version") != INDEX_VERSION or type(data.get("demandes")) is not dict:
            return None
        return data["demandes"]

    def replace(self, entries: dict[str, IndexEntry]) -> None:
        """Write the index anew (a listing found it missing, damaged or stale)."""
        self._locked(lambda _rows: {numero: entry.to_row() for numero, entry in entries.items()})

    def update(self, changes: dict[str, IndexEntry | None]) -> None:
        """Record entries (None: forget the numéro) in the index on disk."""

        def change(rows: dict[str, Any]) -> dict[str, Any]:
            for numero, entry in changes.items():
                if entry is None:
                    rows.pop(numero, None)
                else:
                    rows[numero] = entry.to_row()
            return rows

        self._locked(change)

    def _locked(self, change: Any) -> None:
        if not self.root.is_dir():
            return  # never creates the data folder (`list` on a folder not made yet)
        try:
            fd = flock_waiting(self.root / INDEX_LOCK, timeout=LOCK_WAIT)
        except OSError:
            return  # busy or read-only: the entries on disk go stale and are read again
        try:
            known = self._rows if self._rows is not None and self._stamp() == self._rows_stamp else None
            self._rows = None
            rows = change(known if known is not None else (self._raw() or {}))
            data = json.dumps(
                {"version": INDEX_VERSION, "demandes": rows}, ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
            # No fsync: a cache; after a power cut, an old or empty index is read again or rebuilt.
            atomic_write(self.path, data, durable=False)
            self._rows, self._rows_stamp = rows, self._stamp()
        except OSError:
            pass
        finally:
            unlock(fd)

    def _stamp(self) -> Stamp | None:
        try:
            return stamp_of(os.stat(self.path, follow_symlinks=False))
        except OSError:
            return None
