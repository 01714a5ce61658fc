"""Content checks behind `permis_tui.documents`: PDF pages with pypdf, images with Pillow.

Imported only when a file is actually checked; pypdf and Pillow are imported inside the
functions so a PDF check never loads Pillow and vice versa. Both functions run in the
worker thread started by `documents._run_with_budget` and raise `CheckTimeout` when told
to stop.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from permis_tui.documents import (
    IMAGE_DAMAGED,
    PDF_BAD_TREE,
    PDF_BOMB,
    PDF_DAMAGED,
    PDF_NO_PAGE,
    PDF_PROTECTED,
    PDF_TRUNCATED,
    SMALL_IMAGE_SIDE,
    Verdict,
    too_many_pages,
)
from permis_tui.model.piece_kind import PieceKind

# pypdf refuses deeper page trees too; real files use a handful of levels.
PAGE_TREE_MAX_DEPTH = 100
# "%%EOF" must appear in the last KiB (what Acrobat requires): catches interrupted copies
# that pypdf would silently "repair" into a document with missing pages or content.
PDF_TAIL_BYTES = 1024
# Per-stream inflate limit while checking. Object and xref streams of real files are a
# few MB at most; pypdf's default (75 MB) would let a bomb cost ~150 MB of RAM.
ZLIB_LIMIT = 16_000_000
MAX_IMAGE_PIXELS = 50_000_000  # ~ an A4 page at 900 dpi; decoding stays < 150 MB
_JPEG_DRAFT_PIXELS = 16_000_000  # above this, decode at 1/4 scale: every byte is still read


class CheckTimeout(Exception):
    """The time budget is spent or the caller gave up."""


class _BadTree(Exception):
    """Cyclic or too deep page tree."""


_quiet_done = False


def _quiet() -> None:
    """Keep pypdf/Pillow chatter (which may quote file content) off stderr, once."""
    global _quiet_done
    if _quiet_done:
        return
    # Process-wide on purpose: warnings.catch_warnings is not thread-safe and the checks
    # run in worker threads. pypdf only logs errors from text extraction, unused here.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"pypdf(\.|$)")
    # Our own pixel cap (below Pillow's) is what refuses huge images; the warning Pillow
    # emits between its limit and twice its limit would only reach stderr.
    warnings.filterwarnings("ignore", message=r"Image size \(\d+ pixels\) exceeds limit")
    _quiet_done = True


def _stop_if_needed(cancel: threading.Event, deadline: float) -> None:
    if cancel.is_set() or time.monotonic() > deadline:
        raise CheckTimeout


class _DeadlineReader(io.BufferedReader):
    """A file handle whose seeks fail once the budget is spent, so a stuck pypdf stops.

    pypdf seeks for every object and xref entry it reads; hooking read() too would make
    parsing three times slower (it reads byte by byte), for little gain.
    """

    def __init__(self, raw: io.RawIOBase, cancel: threading.Event, deadline: float) -> None:
        super().__init__(raw, buffer_size=1 << 16)
        self._cancel, self._deadline = cancel, deadline

    def seek(self, offset: int, whence: int = 0) -> int:
        _stop_if_needed(self._cancel, self._deadline)
        return super().seek(offset, whence)


# Outcomes that are final whatever the parsing mode.
_FINAL = (CheckTimeout, MemoryError, _BadTree)


def check_pdf(
    path: Path, size: int, max_pages: int, kind: PieceKind | None, cancel: threading.Event, deadline: float
) -> Verdict:
    from pypdf import apply_configuration
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    _quiet()

    def refused(reason: str) -> Verdict:
        return Verdict(False, reason, "pdf", None, size)

    # A file handle, never a path: pypdf reads whole paths into memory.
    with _DeadlineReader(io.FileIO(path, "r"), cancel, deadline) as fh:
        fh.seek(max(0, size - PDF_TAIL_BYTES))
        if b"%%EOF" not in fh.read(PDF_TAIL_BYTES):
            return refused(PDF_TRUNCATED)
        try:
            with apply_configuration(zlib_maximum_output_length=ZLIB_LIMIT, zlib_maximum_recovery_input_length=1_000_000):
                # Strict first: it skips the per-object xref validation that makes the
                # lenient mode 2-4x slower on big files. Any other complaint: lenient
                # retry, which also rebuilds a missing or broken xref table.
                try:
                    pages = _inspect(fh, True, max_pages, cancel, deadline)
                except (*_FINAL, LimitReachedError, FileNotDecryptedError, DependencyError):
                    raise
                except Exception:  # noqa: BLE001
                    pages = _inspect(fh, False, max_pages, cancel, deadline)
        except (CheckTimeout, MemoryError):
            raise
        except LimitReachedError:
            return refused(PDF_BOMB)
        except (FileNotDecryptedError, DependencyError):  # DependencyError: AES without cryptography
            return refused(PDF_PROTECTED)
        except _BadTree:
            return refused(PDF_BAD_TREE)
        except Exception:  # noqa: BLE001 - pypdf raises many types (incl. RecursionError, UnicodeDecodeError)
            return refused(PDF_DAMAGED)
    if pages is None:
        return refused(PDF_PROTECTED)
    if pages == 0:
        return refused(PDF_NO_PAGE)
    if pages > max_pages:
        return refused(too_many_pages(max_pages, kind))
    return Verdict(True, None, "pdf", pages, size)


def _inspect(fh: io.BufferedReader, strict: bool, limit: int, cancel: threading.Event, deadline: float) -> int | None:
    """Pages counted up to limit + 1, or None when a user password is required."""
    from pypdf import PasswordType, PdfReader

    fh.seek(0)
    reader = PdfReader(fh, strict=strict)
    # An owner-password-only file opens with the empty user password: accepted.
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        return None
    return count_pages(reader, limit, cancel, deadline)


def count_pages(reader: Any, limit: int, cancel: threading.Event, deadline: float) -> int:
    """Count page leaves, stopping at limit + 1.

    Walks /Kids ourselves instead of `len(reader.pages)`, which would flatten a 5,000-page
    tree before we could refuse it. /Count is ignored: it can lie, the leaves cannot. An
    intermediate node met twice is a cycle (or a shared subtree, equally invalid); a page
    listed twice counts twice, as in viewers.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    root = reader.trailer["/Root"].get_object()
    stack: list[tuple[Any, int]] = [(root.raw_get("/Pages"), 0)]
    seen: set[tuple[int, int]] = set()
    leaves = 0
    while stack:
        _stop_if_needed(cancel, deadline)
        item, depth = stack.pop()
        if depth > PAGE_TREE_MAX_DEPTH:
            raise _BadTree
        node = item.get_object()
        if not isinstance(node, DictionaryObject):
            raise ValueError("page tree node is not a dictionary")
        if node.get("/Type") == "/Page" or "/Kids" not in node:
            leaves += 1
            if leaves > limit:
                return leaves
            continue
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                raise _BadTree
            seen.add(ref)
        kids = node["/Kids"]
        if not isinstance(kids, ArrayObject):
            raise ValueError("/Kids is not an array")
        stack.extend((kid, depth + 1) for kid in reversed(kids))
    return leaves


def check_image(path: Path, size: int, detected: str, cancel: threading.Event, deadline: float) -> Verdict:
    from PIL import Image

    _quiet()
    fmt = {"jpeg": "JPEG", "png": "PNG"}[detected]
    damaged = Verdict(False, IMAGE_DAMAGED, detected, None, size)
    with open(path, "rb") as fh:
        try:
            with Image.open(fh, formats=[fmt]) as im:
                width, height = im.size
                im.verify()  # structure and PNG CRCs; JPEG data is only checked by load()
        except Image.DecompressionBombError:  # over twice Pillow's own cap
            return Verdict(False, "Image aux dimensions excessives : réduisez sa résolution.", detected, None, size)
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - Pillow raises OSError, SyntaxError, ValueError, struct.error…
            return damaged
        if width * height > MAX_IMAGE_PIXELS:
            reason = f"Image aux dimensions excessives ({width} × {height} px) : réduisez sa résolution."
            return Verdict(False, reason, detected, None, size, width, height)
        _stop_if_needed(cancel, deadline)
        fh.seek(0)
        try:
            with Image.open(fh, formats=[fmt]) as im:  # verify() leaves the image unusable
                if fmt == "JPEG" and width * height > _JPEG_DRAFT_PIXELS:
                    im.draft(im.mode, (width // 4, height // 4))
                im.load()  # full decode: a truncated JPEG raises here
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001
            return damaged
    warning = None
    if min(width, height) < SMALL_IMAGE_SIDE:
        warning = f"Image de petite taille ({width} × {height} px) : la pièce risque d'être illisible."
    return Verdict(True, None, detected, 1, size, width, height, warning)
