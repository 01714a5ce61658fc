"""Content checks behind `permis_tui.documents.check`: PDF pages with pypdf, images with Pillow.

Imported only when a file is actually checked; pypdf and Pillow are imported inside the
functions so a PDF check never loads Pillow and vice versa. Both functions run in the
worker thread started by `check._run_with_budget` and raise `CheckTimeout` when told
to stop.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import warnings
from pathlib import Path
from typing import Any, cast

from permis_tui.documents.verdict import Details, Verdict, VerdictCode
from permis_tui.model.piece_kind import PieceKind

# pypdf refuses deeper page trees too; real files use a handful of levels.
PAGE_TREE_MAX_DEPTH = 100
# "%%EOF" must appear in the last KiB (what Acrobat requires): catches interrupted copies
# that pypdf would silently "repair" into a document with missing pages or content.
PDF_TAIL_BYTES = 1024
# Per-stream inflate limit while checking. Object and xref streams of real files are a
# few MB at most; pypdf's default (75 MB) would let a bomb cost ~150 MB of RAM.
ZLIB_LIMIT = 16_000_000
SMALL_IMAGE_SIDE = 600  # px on the short side: below this a scanned document is hard to read
MAX_IMAGE_PIXELS = 50_000_000  # ~ an A4 page at 900 dpi; decoding stays < 150 MB
_JPEG_DRAFT_PIXELS = 16_000_000  # above this, decode at 1/4 scale: every byte is still read


class CheckTimeout(Exception):
    """The time budget is spent or the caller gave up."""


class _BadTree(Exception):
    """A page tree that cannot be walked safely; `code` says how."""

    def __init__(self, code: VerdictCode = VerdictCode.PDF_BAD_TREE) -> None:
        super().__init__(code.value)
        self.code = code


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

    def refused(code: VerdictCode, details: Details = Details()) -> Verdict:
        return Verdict.refused(code, "pdf", size, details)

    # A file handle, never a path: pypdf reads whole paths into memory.
    with _DeadlineReader(io.FileIO(path, "r"), cancel, deadline) as fh:
        fh.seek(max(0, size - PDF_TAIL_BYTES))
        if b"%%EOF" not in fh.read(PDF_TAIL_BYTES):
            return refused(VerdictCode.PDF_TRUNCATED)
        try:
            with apply_configuration(
                zlib_maximum_output_length=ZLIB_LIMIT, zlib_maximum_recovery_input_length=1_000_000
            ):
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
        except LimitReachedError as exc:
            return refused(_limit_code(exc))
        except (FileNotDecryptedError, DependencyError):  # DependencyError: AES without cryptography
            return refused(VerdictCode.PDF_PROTECTED)
        except _BadTree as exc:
            return refused(exc.code)
        except Exception:  # noqa: BLE001 - pypdf raises many types (incl. RecursionError, UnicodeDecodeError)
            return refused(VerdictCode.PDF_DAMAGED)
    if pages is None:
        return refused(VerdictCode.PDF_PROTECTED)
    if pages == 0:
        return refused(VerdictCode.PDF_NO_PAGE)
    if pages > max_pages:
        return refused(VerdictCode.TOO_MANY_PAGES, Details(limit=max_pages, kind=kind))
    return Verdict.accepted("pdf", pages, size)


def _limit_code(exc: BaseException) -> VerdictCode:
    """pypdf raises LimitReachedError for decompression bombs and for every other limit
    (a 100,000-digit number, too many objects): only the first is a bomb."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = Path(tb.tb_frame.f_code.co_filename).name if tb is not None else ""
    if where == "filters.py":  # the decompression filters
        return VerdictCode.PDF_BOMB
    if where == "_utils.py":  # read_until_regex: one token longer than any real one
        return VerdictCode.PDF_HUGE_TOKEN
    return VerdictCode.PDF_OVER_LIMITS


def _inspect(fh: io.BufferedReader, strict: bool, limit: int, cancel: threading.Event, deadline: float) -> int | None:
    """Pages counted up to limit + 1, or None when a user password is required."""
    from pypdf import PasswordType

    fh.seek(0)
    reader = _lazy_reader_class()(fh, strict=strict)
    # An owner-password-only file opens with the empty user password: accepted.
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED and not _content_in_clear(reader):
        return None
    return count_pages(reader, limit, cancel, deadline)


_LAZY_READER: Any = None


def _lazy_reader_class() -> Any:
    """A PdfReader that reads one object of an object stream, not the whole stream.

    pypdf parses and caches every object of an /ObjStm at the first lookup in it; with
    65,543 objects in one stream (pdf.js bug1978317) that alone takes seconds, and a
    page count needs three of them. The stream's header (object number, offset pairs)
    is indexed once, then each object is parsed on demand.
    """
    global _LAZY_READER
    if _LAZY_READER is not None:
        return _LAZY_READER
    from pypdf import PdfReader
    from pypdf._utils import read_non_whitespace
    from pypdf.errors import PdfReadError
    from pypdf.generic import IndirectObject, NullObject, StreamObject, read_object

    class LazyObjectStreamReader(PdfReader):
        def _get_object_from_stream(self, indirect_reference: Any) -> Any:
            stmnum, _ = self.xref_objStm[indirect_reference.idnum]
            indexes: dict[int, Any] = self.__dict__.setdefault("_permis_objstm", {})
            if stmnum not in indexes:
                indexes[stmnum] = None  # a stream stored in itself (or a cycle) reads as missing
                indexes[stmnum] = self._index_stream(stmnum)
            index = indexes[stmnum]
            if index is None:
                raise PdfReadError(f"Invalid object stream {stmnum}.")
            data, first, offsets = index
            offset = offsets.get(indirect_reference.idnum)
            if offset is None:
                if self.strict:
                    raise PdfReadError(f"Object {indirect_reference.idnum} missing from its object stream.")
                return NullObject()
            buf = io.BytesIO(data)
            buf.seek(first + offset)
            read_non_whitespace(buf)
            buf.seek(-1, 1)
            obj = read_object(buf, self)
            self.cache_indirect_object(0, indirect_reference.idnum, obj)
            return obj

        def _index_stream(self, stmnum: int) -> tuple[bytes, int, dict[int, int]]:
            stm = IndirectObject(stmnum, 0, self).get_object()
            if not isinstance(stm, StreamObject) or stm.get("/Type") != "/ObjStm":
                raise PdfReadError(f"Object {stmnum} is not an object stream.")
            data = stm.get_data()
            # Any: a hostile file may put any object there, and int() refuses what is not a number.
            first, n = int(cast(Any, stm["/First"])), int(cast(Any, stm["/N"]))
            if not 0 <= first <= len(data) or n < 0:
                raise PdfReadError(f"Invalid /First or /N in object stream {stmnum}.")
            numbers = []  # "objnum offset" pairs, up to the first token that is not one
            for token in data[:first].split()[: 2 * n]:
                if not token.isdigit() or len(token) > 12:
                    if self.strict:
                        raise PdfReadError(f"Invalid header in object stream {stmnum}.")
                    break  # lenient, as pypdf: the entries before it still count
                numbers.append(int(token))
            offsets: dict[int, int] = {}
            for objnum, offset in zip(numbers[::2], numbers[1::2], strict=False):  # an odd last token: no pair
                if 0 <= offset <= len(data) - first:
                    offsets.setdefault(objnum, offset)
            return data, first, offsets

    _LAZY_READER = LazyObjectStreamReader
    return _LAZY_READER


def _content_in_clear(reader: Any) -> bool:
    """Whether a password only guards embedded files (ISO 32000-1 §7.6.5: /EFF, with the
    /Identity filter, the default, for streams and strings): then every reader opens the
    pages without asking, and so do we, reading them as they are stored."""
    reader._override_encryption = True  # pypdf's own switch for reading /Encrypt itself
    try:
        enc = reader.trailer["/Encrypt"].get_object()
        clear = (
            int(enc.get("/V", 0)) >= 4
            and enc.get("/StmF", "/Identity") == "/Identity"
            and enc.get("/StrF", "/Identity") == "/Identity"
        )
    except Exception:  # noqa: BLE001 - an unreadable /Encrypt is a protected file
        clear = False
    reader._override_encryption = clear
    return clear


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
        if _is_leaf(node):
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


def _is_leaf(node: Any) -> bool:
    """A page, as opposed to a /Pages node. A node that says it is /Pages, or carries a
    /Count, is never a page, even if its /Kids is missing or damaged: counting it as one
    would turn a 14-page document into "1 page" (qpdf and poppler count 14)."""
    if node.get("/Type") == "/Page":
        return True
    if "/Kids" in node:
        return False
    if node.get("/Type") == "/Pages" or "/Count" in node:
        raise _BadTree(VerdictCode.PDF_BROKEN_TREE)
    return True  # a page without /Type: tolerated, as viewers do


def check_image(path: Path, size: int, detected: str, cancel: threading.Event, deadline: float) -> Verdict:
    from PIL import Image

    _quiet()
    fmt = {"jpeg": "JPEG", "png": "PNG"}[detected]
    damaged = Verdict.refused(VerdictCode.IMAGE_DAMAGED, detected, size)
    with open(path, "rb") as fh:
        try:
            with Image.open(fh, formats=[fmt]) as im:
                width, height = im.size
                im.verify()  # structure and PNG CRCs; JPEG data is only checked by load()
        except Image.DecompressionBombError:  # over twice Pillow's own cap
            return Verdict.refused(VerdictCode.IMAGE_TOO_BIG, detected, size)
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - Pillow raises OSError, SyntaxError, ValueError, struct.error…
            return damaged
        if width * height > MAX_IMAGE_PIXELS:
            details = Details(width=width, height=height)
            return Verdict.refused(VerdictCode.IMAGE_TOO_BIG, detected, size, details, width=width, height=height)
        _stop_if_needed(cancel, deadline)
        fh.seek(0)
        try:
            if fmt == "PNG":
                # verify() checked every chunk's CRC; what is left is the pixel data, inflated
                # here by slices: a 7000 × 7000 RGBA image would take 196 MB in Pillow.
                if not png_data_complete(fh, cancel, deadline):
                    return damaged
            else:
                with Image.open(fh, formats=[fmt]) as im:  # verify() leaves the image unusable
                    if width * height > _JPEG_DRAFT_PIXELS:
                        im.draft(im.mode, (width // 4, height // 4))
                    im.load()  # full decode: a truncated JPEG raises here
        except (CheckTimeout, MemoryError):
            raise
        except Exception:  # noqa: BLE001
            return damaged
    warning = None
    if min(width, height) < SMALL_IMAGE_SIDE:
        warning = f"Image de petite taille ({width} × {height} px) : la pièce risque d'être illisible."
    return Verdict.accepted(detected, 1, size, width, height, warning)


_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel (PNG spec §6.1)
# Adam7 passes: (x start, y start, x step, y step) (PNG spec §8.2).
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_INFLATE_SLICE = 1 << 20


def png_data_complete(fh: Any, cancel: threading.Event, deadline: float) -> bool:
    """Whether the IDAT stream inflates to exactly the bytes the header announces.

    Memory stays at one slice (1 MiB) whatever the image's size; every byte is still
    inflated, so a truncated or corrupted image is caught as Pillow's full decode would.
    """
    import zlib

    fh.seek(8)
    header = fh.read(25)
    if len(header) < 25 or header[4:8] != b"IHDR":
        return False
    width, height = int.from_bytes(header[8:12], "big"), int.from_bytes(header[12:16], "big")
    depth, colour, interlace = header[16], header[17], header[20]
    if colour not in _PNG_CHANNELS:
        return False
    bits = _PNG_CHANNELS[colour] * depth
    passes = _ADAM7 if interlace == 1 else ((0, 0, 1, 1),)
    expected = 0
    for x0, y0, dx, dy in passes:
        w, h = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if w and h:
            expected += h * (1 + (w * bits + 7) // 8)  # a filter byte, then the packed samples
    inflater = zlib.decompressobj()
    produced = 0
    fh.seek(8)
    while True:
        _stop_if_needed(cancel, deadline)
        head = fh.read(8)
        if len(head) < 8:
            return False  # no IEND: the file was cut
        length, kind = int.from_bytes(head[:4], "big"), head[4:]
        if kind == b"IEND":
            return inflater.eof and produced == expected
        if kind != b"IDAT":
            fh.seek(length + 4, 1)
            continue
        remaining = length
        while remaining:
            data = fh.read(min(remaining, _INFLATE_SLICE))
            if not data:
                return False
            remaining -= len(data)
            while data:
                out = inflater.decompress(data, _INFLATE_SLICE)
                produced += len(out)
                if produced > expected:
                    return False
                data = inflater.unconsumed_tail
                _stop_if_needed(cancel, deadline)
        fh.seek(4, 1)  # CRC, already checked by verify()


def warm_up() -> None:
    """Import what a check uses, ahead of the first file (the app's long-lived checker)."""
    import pypdf.filters  # noqa: F401 - the decoders a page count may need
    from PIL import Image

    Image.preinit()  # JPEG and PNG plugins
    _quiet()
    _lazy_reader_class()
