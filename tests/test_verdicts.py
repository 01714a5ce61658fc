"""Typed verdicts: each code has its one French sentence, pieces keep the code, one
pluraliser, one module of French messages for OS errors."""

from __future__ import annotations

import errno
from datetime import UTC, datetime
from pathlib import Path

import pytest

from permis_tui.documents import COPY_PROBLEMS, Details, Verdict, VerdictCode
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.pieces import PieceJointe
from permis_tui.os_errors import cannot_write, file_read_code, french_os_error, write_reason
from permis_tui.safe_files import NotRegularFile
from permis_tui.typographie import compte, typographie


@pytest.mark.parametrize("code", list(VerdictCode))
def test_every_code_has_one_french_sentence(code):
    details = Details(
        limit=2,
        kind=PieceKind.IDENTITE,
        seconds=5,
        size=12 * 1024 * 1024,
        max_bytes=10 * 1024 * 1024,
        detected="texte",
        suffix=".pdf",
        width=9000,
        height=9000,
    )
    text = code.text(details)
    assert text[0].isupper() and text.endswith(".") and "{" not in text
    assert typographie(text) == text  # no-break spaces before ":" and ";", as every text shown
    assert VerdictCode.recognise(text) is code  # what the format-4 migration relies on
    assert VerdictCode(code.value) is code


def test_sentences_quote_their_details():
    assert VerdictCode.TOO_MANY_PAGES.text(Details(limit=2, kind=PieceKind.IDENTITE)) == (
        "Trop de pages\u00a0: plus de 2 pages (2 pages maximum pour une pièce d'identité)."
    )
    assert VerdictCode.TOO_COMPLEX.text(Details(seconds=0.5)) == (
        "Fichier trop complexe\u00a0: vérification abandonnée après 0.5 secondes."
    )
    assert VerdictCode.FORMAT_REFUSED.text(Details(detected="gif", suffix=".jpg")) == (
        "Format non accepté\u00a0: image GIF renommée en .jpg (formats acceptés\u00a0: PDF, JPEG, PNG)."
    )
    assert VerdictCode.TOO_LARGE.text(Details(size=12 * 1024 * 1024 + 1, max_bytes=10 * 1024 * 1024)) == (
        "Fichier trop volumineux (12,1\u00a0Mo\u00a0; 10\u00a0Mo maximum)."
    )


def test_verdict_travels_as_json_with_its_code():
    refused = Verdict.refused(VerdictCode.PDF_BOMB, "pdf", 300)
    assert (refused.valid, refused.pages, refused.reason) == (False, None, VerdictCode.PDF_BOMB.text())
    assert Verdict.from_json(refused.to_json()) == refused
    assert refused.to_json()["code"] == "pdf_bombe"
    accepted = Verdict.accepted("jpeg", 1, 10, 400, 300, "Image de petite taille.")
    assert Verdict.from_json(accepted.to_json()) == accepted and accepted.code is None
    with pytest.raises(ValueError):
        Verdict.from_json({**refused.to_json(), "code": "pas_un_code"})


def test_piece_from_verdict_and_checked_again():
    when = datetime(2025, 5, 1, 10, tzinfo=UTC)
    sha = "a" * 64
    verdict = Verdict.refused(VerdictCode.TOO_MANY_PAGES, "pdf", 2048, Details(limit=2, kind=PieceKind.IDENTITE))
    piece = PieceJointe.from_verdict(
        verdict, kind=PieceKind.IDENTITE, nom_original="cni.pdf", sha256=sha, fichier=f"{sha}.pdf", ajoute_le=when
    )
    assert (piece.valide, piece.code, piece.raison, piece.taille, piece.type_detecte, piece.pages) == (
        False,
        VerdictCode.TOO_MANY_PAGES,
        verdict.reason,
        2048,
        "pdf",
        None,
    )
    missing = piece.refused_as(VerdictCode.COPY_MISSING)
    assert missing.code in COPY_PROBLEMS and missing.raison == VerdictCode.COPY_MISSING.text()
    again = missing.with_verdict(Verdict.accepted("pdf", 2, 4096), sha256="b" * 64, fichier="b" * 64 + ".pdf")
    assert (again.valide, again.code, again.raison, again.pages, again.taille, again.sha256) == (
        True,
        None,
        None,
        2,
        4096,
        "b" * 64,
    )
    assert again.nom_original == "cni.pdf" and again.ajoute_le == when
    # The code is saved with the piece (schema 5) and read back.
    assert PieceJointe.model_validate_json(piece.model_dump_json()).code is VerdictCode.TOO_MANY_PAGES


def test_one_pluraliser_counts_zero_and_one_in_the_singular():
    assert [compte(n, "page") for n in (0, 1, 2, 10)] == ["0 page", "1 page", "2 pages", "10 pages"]
    assert compte(3, "fichier") == "3 fichiers" and compte(2, "travail", "travaux") == "2 travaux"


@pytest.mark.parametrize(
    ("exc", "short", "write"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "accès refusé", "le dossier est en lecture seule"),
        (
            OSError(errno.EROFS, "Read-only file system"),
            "système de fichiers en lecture seule",
            "le dossier est en lecture seule",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "disque plein", "le disque est plein"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "quota de disque dépassé", "le disque est plein"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "c'est un dossier", "c'est un dossier"),
        (
            OSError(errno.EHOSTUNREACH, "No route to host"),
            f"erreur système n° {errno.EHOSTUNREACH}",
            f"erreur système n° {errno.EHOSTUNREACH}",
        ),
        (
            NotRegularFile("/tmp/x", "c'est un tube nommé (FIFO)"),
            "ce n'est pas un fichier ordinaire (c'est un tube nommé (FIFO))",
            "ce n'est pas un fichier ordinaire (c'est un tube nommé (FIFO))",
        ),
    ],
)
def test_os_errors_in_french(exc, short, write):
    assert french_os_error(exc) == short
    assert write_reason(exc) == write
    sentence = cannot_write(exc, Path("/data"))
    assert "/data" in sentence and not any(word in sentence for word in ("Permission", "space", "Read-only"))


def test_os_errors_of_a_chosen_file():
    assert file_read_code(FileNotFoundError(errno.ENOENT, "x")) is VerdictCode.FILE_MISSING
    assert file_read_code(PermissionError(errno.EACCES, "x")) is VerdictCode.FILE_DENIED
    assert file_read_code(IsADirectoryError(errno.EISDIR, "x")) is VerdictCode.NOT_A_FILE
    assert file_read_code(OSError(errno.EIO, "x")) is VerdictCode.FILE_UNREADABLE
