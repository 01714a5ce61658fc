"""Vérification des pièces justificatives (étape 5) : type réel, taille, pages, intégrité.

Domain core: no Textual here, and pypdf/Pillow are imported lazily (in
`documents_pdf`) so that importing this module stays cheap.

Time budget: the content check (pypdf or Pillow) runs in a daemon worker thread and the
calling thread waits with `join(timeout)`. If the budget is spent, the caller gets
"Fichier trop complexe" at once; the worker is told to stop through an Event that the
page-tree walk and every read of the file check, so a stuck parse ends at its next read
(a thread cannot be killed; a pure-C loop such as a decompression finishes on its own,
bounded by the pypdf limits set in `documents_pdf`).

PDF decisions: a missing or broken xref table is accepted when pypdf rebuilds it and
counts the pages (every viewer repairs it silently; the user could not fix it anyway);
a file without "%%EOF" in its last KiB is refused as incomplete, since pypdf would
"repair" an interrupted copy into a document missing pages. /Count is never trusted.
"""

from __future__ import annotations

import hashlib
import math
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES, PieceKind

ACCEPTED_TYPES = ("pdf", "jpeg", "png")
SMALL_IMAGE_SIDE = 600  # px on the short side: below this a scanned document is hard to read
SNIFF_BYTES = 4096

FILE_EMPTY = "Fichier vide."
FILE_MISSING = "Fichier introuvable : il a été déplacé ou supprimé."
FILE_DENIED = "Fichier illisible : accès refusé."
FILE_UNREADABLE = "Fichier illisible : erreur de lecture du disque."
NOT_A_FILE = "Ce chemin n'est pas un fichier (dossier ou fichier spécial)."
PDF_DAMAGED = "Fichier PDF endommagé ou illisible."
PDF_TRUNCATED = "Fichier PDF incomplet : sa fin manque (copie ou téléchargement interrompu ?)."
PDF_BAD_TREE = "Fichier PDF endommagé : la liste de ses pages est invalide (circulaire ou trop profonde)."
PDF_BROKEN_TREE = ("Fichier PDF endommagé : la liste de ses pages est abîmée, ses pages ne peuvent pas "
                   "être comptées de façon sûre. Ouvrez-le et enregistrez-le de nouveau en PDF.")
PDF_HUGE_TOKEN = ("Fichier PDF endommagé : il contient un élément illisible "
                  "(un nombre ou un nom de plusieurs milliers de caractères).")
PDF_OVER_LIMITS = "Fichier PDF endommagé ou anormal : sa structure dépasse les limites d'un document ordinaire."
PDF_BOMB = "Fichier PDF refusé : il contient des données compressées anormalement volumineuses."
PDF_NO_PAGE = "Document PDF sans aucune page."
PDF_PROTECTED = "Document protégé par un mot de passe : enregistrez-le sans protection."
IMAGE_DAMAGED = "Image endommagée ou incomplète."
TOO_COMPLEX = "Fichier trop complexe : vérification abandonnée après {seconds} secondes."
TOO_MUCH_MEMORY = "Fichier trop complexe : sa vérification demande trop de mémoire."

# Names used in "Format non accepté : …" (detected_type -> French description).
TYPE_NAMES = {
    "pdf": "document PDF", "jpeg": "image JPEG", "png": "image PNG",
    "gif": "image GIF", "bmp": "image BMP", "tiff": "image TIFF", "webp": "image WebP",
    "heic": "photo HEIC (format des iPhone)", "avif": "image AVIF",
    "zip": "archive ZIP", "docx": "document Word (.docx)", "xlsx": "classeur Excel (.xlsx)",
    "odt": "document OpenDocument (.odt)", "doc": "document Office ancien format (.doc, .xls)",
    "rtf": "document RTF", "texte": "fichier texte", "inconnu": "fichier de type inconnu",
}
_FEMININE = {"jpeg", "png", "gif", "bmp", "tiff", "webp", "heic", "avif", "zip"}
_EXTENSION_TYPES = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
_FOR_KIND = {  # "… maximum pour …"
    PieceKind.IDENTITE: "une pièce d'identité",
    PieceKind.DOMICILE: "un justificatif de domicile",
    PieceKind.MEDICAL: "un avis médical",
    PieceKind.HEBERGEMENT: "une attestation d'hébergement",
    PieceKind.IDENTITE_HEBERGEANT: "la pièce d'identité de l'hébergeant",
    PieceKind.IDENTITE_REPRESENTANT: "la pièce d'identité du parent qui signe l'attestation",
    PieceKind.ASSR: "une attestation ASSR2 ou ASR",
    PieceKind.JDC: "une attestation de recensement ou un certificat JDC",
}


@dataclass(frozen=True)
class Verdict:
    valid: bool
    reason: str | None  # French, one sentence; None when valid
    detected_type: str | None  # "pdf" | "jpeg" | "png" | a key of TYPE_NAMES; None if unread
    pages: int | None  # counted pages (PDF) or 1 (image); None when unknown (incl. too many)
    size: int  # bytes
    width: int | None = None
    height: int | None = None
    warning: str | None = None

    @property
    def label(self) -> str:
        return "Document valide" if self.valid else (self.reason or "Document non valide")


@dataclass(frozen=True)
class CategoryResult:
    kind: PieceKind
    files: tuple[tuple[Path, Verdict], ...]
    total_pages: int  # a lower bound when total_exact is False (a PDF was refused for pages)
    total_exact: bool
    max_pages: int
    valid: bool
    reason: str | None

    @property
    def label(self) -> str:
        return "Catégorie valide" if self.valid else (self.reason or "Catégorie non valide")


def pages_text(n: int) -> str:
    return f"{n} page" if n == 1 else f"{n} pages"


def size_text(n: int, limit: bool = False) -> str:
    """"12,0 Mo" for a file, "10 Mo" for a round limit.

    Files round up and limits down, so a refused file never looks as small as its limit.
    """
    rnd = math.floor if limit else math.ceil
    if n >= 1024 * 1024:
        mo = rnd(n * 10 / (1024 * 1024)) / 10
        return f"{int(mo)} Mo" if limit and mo.is_integer() else f"{mo:.1f} Mo".replace(".", ",")
    return f"{rnd(n / 1024)} Ko" if n >= 1024 else f"{n} octets"


def too_many_pages(limit: int, kind: PieceKind | None = None) -> str:
    what = f" pour {_FOR_KIND[kind]}" if kind else ""
    return f"Trop de pages : plus de {pages_text(limit)} ({pages_text(limit)} maximum{what})."


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


def _refused_format(detected: str, path: Path) -> str:
    e = "e" if detected in _FEMININE else ""
    renamed = f" renommé{e} en {path.suffix.lower()}" if path.suffix.lower() in _EXTENSION_TYPES else ""
    return f"Format non accepté : {TYPE_NAMES[detected]}{renamed} (formats acceptés : PDF, JPEG, PNG)."


def _misleading_extension(detected: str, path: Path) -> str | None:
    claimed = _EXTENSION_TYPES.get(path.suffix.lower())
    if claimed is None or claimed == detected:
        return None
    return (
        f"Extension trompeuse : ce fichier « {path.suffix.lower()} » est en réalité "
        f"{'une' if detected in _FEMININE else 'un'} {TYPE_NAMES[detected]} ; il est accepté comme tel."
    )


def _os_error_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return FILE_MISSING
    if isinstance(exc, PermissionError):
        return FILE_DENIED
    if isinstance(exc, IsADirectoryError):
        return NOT_A_FILE
    return FILE_UNREADABLE


def check_file(
    path: str | os.PathLike[str],
    max_pages: int,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    timeout: float = 5.0,
    *,
    kind: PieceKind | None = None,
    isolated: bool = False,
) -> Verdict:
    """Verdict for one file. `kind` only makes the "too many pages" sentence precise.

    With `isolated`, the parsing (pypdf, Pillow) happens in a child process that is
    killed at the deadline and capped in memory (see documents_child); the cheap
    checks (size, type) stay here. The app and `permis-tui check` use it.
    """
    path = Path(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return Verdict(False, NOT_A_FILE, None, None, 0)
        size = st.st_size
        if size == 0:
            return Verdict(False, FILE_EMPTY, None, None, 0)  # pages unknown, as for every refusal
        if size > max_bytes:  # refused without reading a byte of content
            reason = f"Fichier trop volumineux ({size_text(size)} ; {size_text(max_bytes, limit=True)} maximum)."
            return Verdict(False, reason, None, None, size)
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        return Verdict(False, _os_error_reason(exc), None, None, 0)
    detected = sniff(head)
    if detected == "zip":
        detected = _zip_flavour(path)
    if detected not in ACCEPTED_TYPES:
        return Verdict(False, _refused_format(detected, path), detected, None, size)

    if isolated:
        from permis_tui.documents_child import check_in_child

        verdict = check_in_child(path, max_pages, max_bytes, timeout, kind.value if kind else None, size, detected)
        if verdict is not None:
            return verdict

    from permis_tui import documents_pdf  # lazy: pulls in pypdf / Pillow

    def work(cancel: threading.Event, deadline: float) -> Verdict:
        if detected == "pdf":
            return documents_pdf.check_pdf(path, size, max_pages, kind, cancel, deadline)
        return documents_pdf.check_image(path, size, detected, cancel, deadline)

    verdict = _run_with_budget(work, timeout, size, detected)
    extra = _misleading_extension(detected, path) if verdict.valid else None
    if extra:
        warning = f"{verdict.warning} {extra}" if verdict.warning else extra
        verdict = replace(verdict, warning=warning)
    return verdict


def _run_with_budget(
    work: Callable[[threading.Event, float], Verdict], timeout: float, size: int, detected: str
) -> Verdict:
    from permis_tui.documents_pdf import CheckTimeout

    too_complex = Verdict(False, TOO_COMPLEX.format(seconds=f"{timeout:g}"), detected, None, size)
    cancel = threading.Event()
    deadline = time.monotonic() + timeout
    box: list[Verdict | BaseException] = []

    def target() -> None:
        try:
            box.append(work(cancel, deadline))
        except BaseException as exc:  # noqa: BLE001 - reported to the caller below
            box.append(exc)

    worker = threading.Thread(target=target, name="permis-tui-check", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or not box:
        cancel.set()  # the worker stops at its next read or tree step
        return too_complex
    result = box[0]
    if isinstance(result, Verdict):
        return result
    if isinstance(result, CheckTimeout):
        return too_complex
    if isinstance(result, MemoryError):
        return Verdict(False, TOO_MUCH_MEMORY, detected, None, size)
    if isinstance(result, OSError) and isinstance(result, (FileNotFoundError, PermissionError)):
        return Verdict(False, _os_error_reason(result), detected, None, size)
    damaged = PDF_DAMAGED if detected == "pdf" else IMAGE_DAMAGED
    return Verdict(False, damaged, detected, None, size)


def check_category(
    paths: Iterable[str | os.PathLike[str]],
    kind: PieceKind,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    timeout: float = 5.0,
    *,
    isolated: bool = False,
) -> CategoryResult:
    """Each file against the category limit, then the pages summed over the files.

    With `isolated`, each file is parsed in its own child process, as in the app.
    """
    limit = kind.max_pages
    files = tuple((Path(p), check_file(p, limit, max_bytes, timeout, kind=kind, isolated=isolated)) for p in paths)
    total, exact = 0, True
    for _, v in files:
        if v.pages is not None:
            total += v.pages
        elif v.detected_type == "pdf" and v.reason == too_many_pages(limit, kind):
            total, exact = total + limit + 1, False  # counting stopped at limit + 1
    invalid = sum(1 for _, v in files if not v.valid)
    reason: str | None = None
    if not files:
        reason = "Aucun fichier joint."
    elif total > limit:
        at_least = "" if exact else "au moins "
        reason = f"Trop de pages au total : {at_least}{pages_text(total)} ({pages_text(limit)} maximum pour {_FOR_KIND[kind]})."
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
