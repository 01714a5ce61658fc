"""Vérification des pièces justificatives (étape 5) : type réel, taille, pages, intégrité.

Domain core: no Textual here, and pypdf/Pillow are imported lazily (in
`documents.pdf`) so that importing this module stays cheap.

Where the parsing runs: in this process by default; in a child process killed at its
deadline and capped in memory when a `ContentChecker` is given (`OneShotChecker` for the
commands, the long-lived `CheckerProcess` for the app). The cheap checks (size, type)
always run here.

Time budget: the content check (pypdf or Pillow) runs in a daemon worker thread and the
calling thread waits with `join(timeout)`. If the budget is spent, the caller gets
"Fichier trop complexe" at once; the worker is told to stop through an Event that the
page-tree walk and every read of the file check, so a stuck parse ends at its next read
(a thread cannot be killed; a pure-C loop such as a decompression finishes on its own,
bounded by the pypdf limits set in `documents.pdf`).

PDF decisions: a missing or broken xref table is accepted when pypdf rebuilds it and
counts the pages (every viewer repairs it silently; the user could not fix it anyway);
a file without "%%EOF" in its last KiB is refused as incomplete, since pypdf would
"repair" an interrupted copy into a document missing pages. /Count is never trusted.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from permis_tui.documents.verdict import (
    EXTENSION_TYPES,
    FEMININE_TYPES,
    FOR_KIND,
    TYPE_NAMES,
    CategoryResult,
    Details,
    Verdict,
    VerdictCode,
    pages_text,
)
from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES, PieceKind
from permis_tui.os_errors import file_read_code

ACCEPTED_TYPES = ("pdf", "jpeg", "png")
SNIFF_BYTES = 4096


@dataclass(frozen=True)
class CheckRequest:
    """The content check of one file whose size and type are already known."""

    path: str
    max_pages: int
    max_bytes: int
    timeout: float
    kind: PieceKind | None
    size: int
    detected: str  # one of ACCEPTED_TYPES

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "max_pages": self.max_pages,
            "max_bytes": self.max_bytes,
            "timeout": self.timeout,
            "kind": self.kind.value if self.kind else None,
            "size": self.size,
            "detected": self.detected,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckRequest:
        kind = PieceKind(data["kind"]) if data.get("kind") else None
        return cls(
            str(data["path"]),
            int(data["max_pages"]),
            int(data["max_bytes"]),
            float(data["timeout"]),
            kind,
            int(data["size"]),
            str(data["detected"]),
        )

    def too_complex(self) -> Verdict:
        return Verdict.refused(VerdictCode.TOO_COMPLEX, self.detected, self.size, Details(seconds=self.timeout))

    def too_much_memory(self) -> Verdict:
        return Verdict.refused(VerdictCode.TOO_MUCH_MEMORY, self.detected, self.size)


class ContentChecker(Protocol):
    """Somewhere else to parse a file: its verdict, or None when it cannot run here."""

    def check_content(self, request: CheckRequest) -> Verdict | None: ...


def sniff(head: bytes) -> str:
    """Real type from the first bytes; never from the extension."""
    if b"%PDF-" in head[:1024]:  # readers accept junk before the header, up to 1 KiB
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"mif1", b"msf1"):
            return "heic"
        if brand in (b"avif", b"avis"):
            return "avif"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head[:2] == b"BM" and len(head) > 18 and int.from_bytes(head[14:18], "little") in (12, 40, 52, 56, 108, 124):
        return "bmp"
    if b"\x00" not in head and _looks_like_text(head):
        return "texte"
    return "inconnu"


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a multi-byte character cut by the sniff window
            return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls == 0  # latin-1 / cp1252 text


def _zip_flavour(path: Path) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "odt" if "content.xml" in names else "zip"


def _misleading_extension(detected: str, path: Path) -> str | None:
    claimed = EXTENSION_TYPES.get(path.suffix.lower())
    if claimed is None or claimed == detected:
        return None
    return (
        f"Extension trompeuse : ce fichier « {path.suffix.lower()} » est en réalité "
        f"{'une' if detected in FEMININE_TYPES else 'un'} {TYPE_NAMES[detected]} ; il est accepté comme tel."
    )


def check_file(
    path: str | os.PathLike[str],
    max_pages: int,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    timeout: float = 5.0,
    *,
    kind: PieceKind | None = None,
    isolated: bool = False,
    checker: ContentChecker | None = None,
) -> Verdict:
    """Verdict for one file. `kind` only makes the "too many pages" sentence precise.

    The parsing (pypdf, Pillow) runs in `checker` when one is given, else in a one-shot
    child process with `isolated`, else here. The cheap checks (size, type) run here.
    """
    path = Path(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return Verdict.refused(VerdictCode.NOT_A_FILE, None, 0)
        size = st.st_size
        if size == 0:
            return Verdict.refused(VerdictCode.FILE_EMPTY, None, 0)
        if size > max_bytes:  # refused without reading a byte of content
            return Verdict.refused(VerdictCode.TOO_LARGE, None, size, Details(size=size, max_bytes=max_bytes))
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        return Verdict.refused(file_read_code(exc), None, 0)
    detected = sniff(head)
    if detected == "zip":
        detected = _zip_flavour(path)
    if detected not in ACCEPTED_TYPES:
        details = Details(detected=detected, suffix=path.suffix.lower())
        return Verdict.refused(VerdictCode.FORMAT_REFUSED, detected, size, details)

    request = CheckRequest(str(path), max_pages, max_bytes, timeout, kind, size, detected)
    if checker is None and isolated:
        from permis_tui.documents.child import OneShotChecker

        checker = OneShotChecker()
    verdict = checker.check_content(request) if checker is not None else None
    return verdict if verdict is not None else check_content(request)


def check_content(request: CheckRequest) -> Verdict:
    """The content check, in this process, within the request's time budget."""
    from permis_tui.documents import pdf  # lazy: pulls in pypdf / Pillow

    path = Path(request.path)

    def work(cancel: threading.Event, deadline: float) -> Verdict:
        if request.detected == "pdf":
            return pdf.check_pdf(path, request.size, request.max_pages, request.kind, cancel, deadline)
        return pdf.check_image(path, request.size, request.detected, cancel, deadline)

    verdict = _run_with_budget(work, request)
    extra = _misleading_extension(request.detected, path) if verdict.valid else None
    return verdict.with_warning(extra) if extra else verdict


def _run_with_budget(work: Callable[[threading.Event, float], Verdict], request: CheckRequest) -> Verdict:
    from permis_tui.documents.pdf import CheckTimeout

    cancel = threading.Event()
    deadline = time.monotonic() + request.timeout
    box: list[Verdict | BaseException] = []

    def target() -> None:
        try:
            box.append(work(cancel, deadline))
        except BaseException as exc:  # noqa: BLE001 - reported to the caller below
            box.append(exc)

    worker = threading.Thread(target=target, name="permis-tui-check", daemon=True)
    worker.start()
    worker.join(request.timeout)
    if worker.is_alive() or not box:
        cancel.set()  # the worker stops at its next read or tree step
        return request.too_complex()
    result = box[0]
    if isinstance(result, Verdict):
        return result
    if isinstance(result, CheckTimeout):
        return request.too_complex()
    if isinstance(result, MemoryError):
        return request.too_much_memory()
    if isinstance(result, (FileNotFoundError, PermissionError)):
        return Verdict.refused(file_read_code(result), request.detected, request.size)
    damaged = VerdictCode.PDF_DAMAGED if request.detected == "pdf" else VerdictCode.IMAGE_DAMAGED
    return Verdict.refused(damaged, request.detected, request.size)


def check_category(
    paths: Iterable[str | os.PathLike[str]],
    kind: PieceKind,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    timeout: float = 5.0,
    *,
    isolated: bool = False,
    checker: ContentChecker | None = None,
) -> CategoryResult:
    """Each file against the category limit, then the pages summed over the files."""
    limit = kind.max_pages
    files = tuple(
        (Path(p), check_file(p, limit, max_bytes, timeout, kind=kind, isolated=isolated, checker=checker))
        for p in paths
    )
    total, exact = 0, True
    for _, v in files:
        if v.pages is not None:
            total += v.pages
        elif v.code is VerdictCode.TOO_MANY_PAGES:
            total, exact = total + limit + 1, False  # counting stopped at limit + 1
    invalid = sum(1 for _, v in files if not v.valid)
    reason: str | None = None
    if not files:
        reason = "Aucun fichier joint."
    elif total > limit:
        at_least = "" if exact else "au moins "
        reason = f"Trop de pages au total : {at_least}{pages_text(total)} ({pages_text(limit)} maximum pour {FOR_KIND[kind]})."
    elif invalid:
        reason = "1 fichier non valide." if invalid == 1 else f"{invalid} fichiers non valides."
    return CategoryResult(kind, files, total, exact, limit, reason is None, reason)


def sha256_file(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """Hex SHA-256, read in chunks so a large scan never sits in memory whole."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
