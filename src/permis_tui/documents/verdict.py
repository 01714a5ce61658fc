"""What a check says about a file: a typed code, and the French sentence derived from it.

Code decides (the category total, the details screen, re-checks of stored copies); the
sentence is only what the person reads and what a draft keeps. No import beyond the
standard library and the piece kinds: the check, the PDF and image parsing, the child
processes and the attachments all read this module, and it reads none of them.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from permis_tui.model.piece_kind import PieceKind
from permis_tui.typographie import compte

# Names used in "Format non accepté : …" (detected_type -> French description).
TYPE_NAMES = {
    "pdf": "document PDF",
    "jpeg": "image JPEG",
    "png": "image PNG",
    "gif": "image GIF",
    "bmp": "image BMP",
    "tiff": "image TIFF",
    "webp": "image WebP",
    "heic": "photo HEIC (format des iPhone)",
    "avif": "image AVIF",
    "zip": "archive ZIP",
    "docx": "document Word (.docx)",
    "xlsx": "classeur Excel (.xlsx)",
    "odt": "document OpenDocument (.odt)",
    "doc": "document Office ancien format (.doc, .xls)",
    "rtf": "document RTF",
    "texte": "fichier texte",
    "inconnu": "fichier de type inconnu",
}
FEMININE_TYPES = frozenset({"jpeg", "png", "gif", "bmp", "tiff", "webp", "heic", "avif", "zip"})
EXTENSION_TYPES = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
FOR_KIND = {  # "… maximum pour …"
    PieceKind.IDENTITE: "une pièce d'identité",
    PieceKind.DOMICILE: "un justificatif de domicile",
    PieceKind.MEDICAL: "un avis médical",
    PieceKind.HEBERGEMENT: "une attestation d'hébergement",
    PieceKind.IDENTITE_HEBERGEANT: "la pièce d'identité de l'hébergeant",
    PieceKind.IDENTITE_REPRESENTANT: "la pièce d'identité du parent qui signe l'attestation",
    PieceKind.ASSR: "une attestation ASSR2 ou ASR",
    PieceKind.JDC: "une attestation de recensement ou un certificat JDC",
}


def pages_text(n: int) -> str:
    return compte(n, "page")


def size_text(n: int, limit: bool = False) -> str:
    """ "12,0 Mo" for a file, "10 Mo" for a round limit.

    Files round up and limits down, so a refused file never looks as small as its limit.
    """
    rnd = math.floor if limit else math.ceil
    if n >= 1024 * 1024:
        mo = rnd(n * 10 / (1024 * 1024)) / 10
        return f"{int(mo)} Mo" if limit and mo.is_integer() else f"{mo:.1f} Mo".replace(".", ",")
    return f"{rnd(n / 1024)} Ko" if n >= 1024 else f"{n} octets"


@dataclass(frozen=True)
class Details:
    """What some sentences quote; each code reads only the fields it names."""

    limit: int = 0  # TOO_MANY_PAGES: the category's page limit
    kind: PieceKind | None = None  # TOO_MANY_PAGES: names the category
    seconds: float = 0.0  # TOO_COMPLEX: the time budget
    size: int = 0  # TOO_LARGE: the file's size
    max_bytes: int = 0  # TOO_LARGE: the size limit
    detected: str = "inconnu"  # FORMAT_REFUSED: a key of TYPE_NAMES
    suffix: str = ""  # FORMAT_REFUSED: the name's extension, lower case
    width: int | None = None  # IMAGE_TOO_BIG: pixels, when read
    height: int | None = None


class VerdictCode(StrEnum):
    """Why a file is refused. The value is stable (drafts and `check --json` keep it)."""

    FILE_EMPTY = "fichier_vide"
    FILE_MISSING = "fichier_introuvable"
    FILE_DENIED = "acces_refuse"
    FILE_UNREADABLE = "erreur_lecture"
    NOT_A_FILE = "pas_un_fichier"
    TOO_LARGE = "trop_volumineux"
    FORMAT_REFUSED = "format_refuse"
    PDF_DAMAGED = "pdf_endommage"
    PDF_TRUNCATED = "pdf_incomplet"
    PDF_BAD_TREE = "pdf_arbre_invalide"
    PDF_BROKEN_TREE = "pdf_arbre_abime"
    PDF_HUGE_TOKEN = "pdf_element_illisible"
    PDF_OVER_LIMITS = "pdf_hors_limites"
    PDF_BOMB = "pdf_bombe"
    PDF_NO_PAGE = "pdf_sans_page"
    PDF_PROTECTED = "pdf_protege"
    TOO_MANY_PAGES = "trop_de_pages"
    IMAGE_DAMAGED = "image_endommagee"
    IMAGE_TOO_BIG = "image_trop_grande"
    TOO_COMPLEX = "trop_complexe"
    TOO_MUCH_MEMORY = "trop_de_memoire"
    # Set on a stored piece when its copy in the demande's folder is gone or unreadable.
    COPY_MISSING = "copie_introuvable"
    COPY_UNREADABLE = "copie_illisible"

    def text(self, details: Details = Details()) -> str:
        """The one French sentence for this code."""
        fixed = _TEXTS.get(self)
        if fixed is not None:
            return fixed
        d = details
        if self is VerdictCode.TOO_LARGE:
            return f"Fichier trop volumineux ({size_text(d.size)} ; {size_text(d.max_bytes, limit=True)} maximum)."
        if self is VerdictCode.FORMAT_REFUSED:
            e = "e" if d.detected in FEMININE_TYPES else ""
            renamed = f" renommé{e} en {d.suffix}" if d.suffix in EXTENSION_TYPES else ""
            return f"Format non accepté : {TYPE_NAMES[d.detected]}{renamed} (formats acceptés : PDF, JPEG, PNG)."
        if self is VerdictCode.TOO_MANY_PAGES:
            what = f" pour {FOR_KIND[d.kind]}" if d.kind else ""
            return f"Trop de pages : plus de {pages_text(d.limit)} ({pages_text(d.limit)} maximum{what})."
        if self is VerdictCode.TOO_COMPLEX:
            return f"Fichier trop complexe : vérification abandonnée après {d.seconds:g} secondes."
        if self is VerdictCode.IMAGE_TOO_BIG:
            if d.width is None or d.height is None:
                return "Image aux dimensions excessives : réduisez sa résolution."
            return f"Image aux dimensions excessives ({d.width} × {d.height} px) : réduisez sa résolution."
        raise AssertionError(self)  # every code has a text: a test walks them all

    @classmethod
    def recognise(cls, text: object) -> VerdictCode | None:
        """The code of a sentence written by an older version (drafts of format 4 kept only
        the sentence); None for anything else. Used by the draft migration, nowhere else."""
        if not isinstance(text, str):
            return None
        for code, fixed in _TEXTS.items():
            if text == fixed:
                return code
        for code, start in _OPENINGS.items():
            if text.startswith(start):
                return code
        return None


_TEXTS: dict[VerdictCode, str] = {
    VerdictCode.FILE_EMPTY: "Fichier vide.",
    VerdictCode.FILE_MISSING: "Fichier introuvable : il a été déplacé ou supprimé.",
    VerdictCode.FILE_DENIED: "Fichier illisible : accès refusé.",
    VerdictCode.FILE_UNREADABLE: "Fichier illisible : erreur de lecture du disque.",
    VerdictCode.NOT_A_FILE: "Ce chemin n'est pas un fichier (dossier ou fichier spécial).",
    VerdictCode.PDF_DAMAGED: "Fichier PDF endommagé ou illisible.",
    VerdictCode.PDF_TRUNCATED: "Fichier PDF incomplet : sa fin manque (copie ou téléchargement interrompu ?).",
    VerdictCode.PDF_BAD_TREE: "Fichier PDF endommagé : la liste de ses pages est invalide (circulaire ou trop profonde).",
    VerdictCode.PDF_BROKEN_TREE: (
        "Fichier PDF endommagé : la liste de ses pages est abîmée, ses pages ne peuvent pas "
        "être comptées de façon sûre. Ouvrez-le et enregistrez-le de nouveau en PDF."
    ),
    VerdictCode.PDF_HUGE_TOKEN: (
        "Fichier PDF endommagé : il contient un élément illisible "
        "(un nombre ou un nom de plusieurs milliers de caractères)."
    ),
    VerdictCode.PDF_OVER_LIMITS: "Fichier PDF endommagé ou anormal : sa structure dépasse les limites d'un document ordinaire.",
    VerdictCode.PDF_BOMB: "Fichier PDF refusé : il contient des données compressées anormalement volumineuses.",
    VerdictCode.PDF_NO_PAGE: "Document PDF sans aucune page.",
    VerdictCode.PDF_PROTECTED: "Document protégé par un mot de passe : enregistrez-le sans protection.",
    VerdictCode.IMAGE_DAMAGED: "Image endommagée ou incomplète.",
    VerdictCode.TOO_MUCH_MEMORY: "Fichier trop complexe : sa vérification demande trop de mémoire.",
    VerdictCode.COPY_MISSING: "Copie enregistrée introuvable : retirez ce fichier et joignez-le de nouveau.",
    VerdictCode.COPY_UNREADABLE: "Copie enregistrée illisible : retirez ce fichier et joignez-le de nouveau.",
}

# How the sentences with details begin (what `recognise` reads).
_OPENINGS: dict[VerdictCode, str] = {
    VerdictCode.TOO_LARGE: "Fichier trop volumineux (",
    VerdictCode.FORMAT_REFUSED: "Format non accepté :",
    VerdictCode.TOO_MANY_PAGES: "Trop de pages :",
    VerdictCode.TOO_COMPLEX: "Fichier trop complexe : vérification abandonnée",
    VerdictCode.IMAGE_TOO_BIG: "Image aux dimensions excessives",
}

# Stored pieces whose copy must be checked again as soon as it is readable.
COPY_PROBLEMS = frozenset({VerdictCode.COPY_MISSING, VerdictCode.COPY_UNREADABLE})


@dataclass(frozen=True)
class Verdict:
    valid: bool
    code: VerdictCode | None  # None when valid
    reason: str | None  # French, one sentence: `code.text(...)`; None when valid
    detected_type: str | None  # "pdf" | "jpeg" | "png" | a key of TYPE_NAMES; None if unread
    pages: int | None  # counted pages (PDF) or 1 (image); None when unknown (incl. too many)
    size: int  # bytes
    width: int | None = None
    height: int | None = None
    warning: str | None = None

    @classmethod
    def accepted(
        cls,
        detected: str,
        pages: int,
        size: int,
        width: int | None = None,
        height: int | None = None,
        warning: str | None = None,
    ) -> Verdict:
        return cls(True, None, None, detected, pages, size, width, height, warning)

    @classmethod
    def refused(
        cls,
        code: VerdictCode,
        detected: str | None,
        size: int,
        details: Details = Details(),
        *,
        width: int | None = None,
        height: int | None = None,
    ) -> Verdict:
        """A refusal: pages unknown, as for every refusal (a page count is only given to a valid file)."""
        return cls(False, code, code.text(details), detected, None, size, width, height)

    def with_warning(self, extra: str) -> Verdict:
        return replace(self, warning=f"{self.warning} {extra}" if self.warning else extra)

    @property
    def label(self) -> str:
        return "Document valide" if self.valid else (self.reason or "Document non valide")

    def to_json(self) -> dict[str, Any]:
        """The fields as JSON values (a child process sends its verdict this way)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verdict:
        """The inverse of to_json; raises ValueError or TypeError on anything else."""
        if not isinstance(data, dict):
            raise TypeError("verdict is not an object")
        code = data.get("code")
        return cls(**{**data, "code": VerdictCode(code) if code is not None else None})


@dataclass(frozen=True)
class CategoryResult:
    kind: PieceKind
    files: tuple[tuple[Any, Verdict], ...]  # (Path, Verdict)
    total_pages: int  # a lower bound when total_exact is False (a PDF was refused for pages)
    total_exact: bool
    max_pages: int
    valid: bool
    reason: str | None

    @property
    def label(self) -> str:
        return "Catégorie valide" if self.valid else (self.reason or "Catégorie non valide")
