"""The attachments core: copy under the content hash, verdicts, removal, re-verification."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from fixtures.make_fixtures import WEIRD_NAME, make_all
from permis_tui import attachments, documents
from permis_tui.attachments import ALREADY_ATTACHED, attach, remove, reverify
from permis_tui.documents import VerdictCode
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.pieces import Pieces
from permis_tui.typed_path import clean_typed_path

NUMERO = "2611-AAAA-BBBB"
NOW = datetime(2026, 3, 1, 10, 0)


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("fx"))


def stored(store) -> list[str]:
    folder = store.pieces_dir(NUMERO)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_valid_pdf_is_copied_under_its_hash(store, fx):
    out = attach(store, NUMERO, fx["pdf_2"], PieceKind.IDENTITE, now=NOW)
    p = out.piece
    sha = hashlib.sha256(fx["pdf_2"].read_bytes()).hexdigest()
    assert p is not None and out.message is None
    assert (p.valide, p.pages, p.type_detecte, p.sha256, p.fichier) == (True, 2, "pdf", sha, f"{sha}.pdf")
    assert p.nom_original == "deux_pages.pdf" and p.taille == fx["pdf_2"].stat().st_size and p.ajoute_le == NOW
    copy = store.attachment_path(NUMERO, p.fichier)
    assert copy.read_bytes() == fx["pdf_2"].read_bytes()
    assert stored(store) == [p.fichier]  # no temporary file left behind
    assert copy.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "key, kind, valid, ext, reason",
    [
        ("jpeg_as_pdf", PieceKind.IDENTITE, True, "jpg", None),
        ("text_as_pdf", PieceKind.IDENTITE, False, "bin", "Format non accepté : fichier texte renommé en .pdf"),
        ("pdf_7", PieceKind.IDENTITE, False, "pdf", "Trop de pages : plus de 2 pages"),
        ("pdf_7", PieceKind.MEDICAL, False, "pdf", "plus de 6 pages (6 pages maximum pour un avis médical)"),
        ("rc4", PieceKind.DOMICILE, False, "pdf", "protégé par un mot de passe"),
        ("truncated", PieceKind.DOMICILE, False, "pdf", "incomplet"),
        ("empty", PieceKind.HEBERGEMENT, False, "bin", "Fichier vide."),
        ("png_bad_crc", PieceKind.IDENTITE_HEBERGEANT, False, "png", "Image endommagée"),
        ("pages_5000", PieceKind.IDENTITE_REPRESENTANT, False, "pdf", "Trop de pages"),
        ("png", PieceKind.IDENTITE_REPRESENTANT, True, "png", None),
    ],
)
def test_verdicts_use_the_detected_type(store, fx, key, kind, valid, ext, reason):
    p = attach(store, NUMERO, fx[key], kind, now=NOW).piece
    assert p is not None and p.valide is valid
    assert p.fichier.endswith("." + ext)
    assert (reason in p.raison) if reason else p.raison is None
    assert store.attachment_path(NUMERO, p.fichier).exists()


def test_image_dimensions_and_misleading_extension_recorded(store, fx):
    p = attach(store, NUMERO, fx["jpeg_as_pdf"], PieceKind.IDENTITE, now=NOW).piece
    assert (p.largeur, p.hauteur, p.pages) == (1200, 1600, 1)
    assert "Extension trompeuse" in p.avertissement


def test_too_large_file_is_refused_without_copy(store, fx):
    out = attach(store, NUMERO, fx["big"], PieceKind.DOMICILE)
    assert out.piece is None and out.message == "Fichier trop volumineux (12,0 Mo ; 10 Mo maximum)."
    assert stored(store) == []


def test_size_limit_is_a_setting(store, fx):
    out = attach(store, NUMERO, fx["jpeg"], PieceKind.DOMICILE, max_bytes=10 * 1024)
    assert out.piece is None and "10 Ko maximum" in out.message


def test_missing_file(store, tmp_path):
    out = attach(store, NUMERO, tmp_path / "absent.pdf", PieceKind.IDENTITE)
    assert out.piece is None and out.message == VerdictCode.FILE_MISSING.text()


def test_file_vanishing_between_choice_and_copy(store, fx, tmp_path, monkeypatch):
    src = tmp_path / "bientot_parti.pdf"
    src.write_bytes(fx["pdf_1"].read_bytes())
    real = attachments.ensure_private_dir

    def and_delete(path):  # runs after the size check, before the copy
        src.unlink(missing_ok=True)
        return real(path)

    monkeypatch.setattr(attachments, "ensure_private_dir", and_delete)
    out = attach(store, NUMERO, src, PieceKind.IDENTITE)
    assert out.piece is None and out.message == VerdictCode.FILE_MISSING.text()
    assert stored(store) == []


def test_unreadable_file(store, fx, tmp_path, monkeypatch):
    src = tmp_path / "verrouille.pdf"
    src.write_bytes(fx["pdf_1"].read_bytes())
    src.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the open fail as it would for a user

        def denied(path, *args, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(attachments, "_copy_hashing", denied)
    out = attach(store, NUMERO, src, PieceKind.IDENTITE)
    assert out.piece is None and out.message == VerdictCode.FILE_DENIED.text()
    assert [n for n in stored(store) if not n.startswith(".")] == []


def test_directory_is_refused(store, tmp_path):
    out = attach(store, NUMERO, tmp_path, PieceKind.IDENTITE)
    assert out.piece is None and out.message == VerdictCode.NOT_A_FILE.text()


def test_same_file_twice_in_a_category_is_refused(store, fx):
    first = attach(store, NUMERO, fx["pdf_1"], PieceKind.IDENTITE).piece
    again = attach(store, NUMERO, fx["weird_name"], PieceKind.IDENTITE, existing=[first])  # same bytes
    assert again.piece is None and again.message == ALREADY_ATTACHED
    assert stored(store) == [first.fichier]


def test_remove_keeps_a_copy_still_used_elsewhere(store, fx):
    pieces = Pieces()
    a = attach(store, NUMERO, fx["pdf_1"], PieceKind.IDENTITE).piece
    b = attach(store, NUMERO, fx["pdf_1"], PieceKind.IDENTITE_HEBERGEANT, existing=[a]).piece
    pieces.fichiers = [a, b]
    assert a.fichier == b.fichier
    saved: list[list] = []
    remove(store, NUMERO, pieces, a, save=lambda: saved.append(list(pieces.fichiers)) or True)
    assert pieces.fichiers == [b] and stored(store) == [b.fichier]
    remove(store, NUMERO, pieces, b, save=lambda: saved.append(list(pieces.fichiers)) or True)
    assert pieces.fichiers == [] and stored(store) == []
    assert saved == [[b], []]  # each removal saved before its copy went


def test_remove_keeps_the_copy_when_the_save_fails(store, fx):
    # The draft on disk still lists the file: deleting its copy would leave it pointing at nothing.
    a = attach(store, NUMERO, fx["pdf_1"], PieceKind.IDENTITE).piece
    pieces = Pieces(fichiers=[a])
    assert remove(store, NUMERO, pieces, a, save=lambda: False) is False
    assert pieces.fichiers == [] and stored(store) == [a.fichier]


def test_reverify_keeps_unchanged_verdicts_without_rechecking(store, fx, monkeypatch):
    p = attach(store, NUMERO, fx["pdf_2"], PieceKind.IDENTITE).piece

    def no_check(*args, **kwargs):
        raise AssertionError("an unchanged copy must not be checked again")

    monkeypatch.setattr(documents, "check_file", no_check)
    assert reverify(store, NUMERO, [p]) == []


def test_reverify_missing_then_restored_copy(store, fx):
    p = attach(store, NUMERO, fx["pdf_2"], PieceKind.IDENTITE).piece
    copy = store.attachment_path(NUMERO, p.fichier)
    content = copy.read_bytes()
    copy.unlink()
    [(old, new)] = reverify(store, NUMERO, [p])
    assert old is p and not new.valide and new.raison == VerdictCode.COPY_MISSING.text()
    assert new.code is VerdictCode.COPY_MISSING
    assert reverify(store, NUMERO, [new]) == []  # reported once
    copy.write_bytes(content)
    [(_, back)] = reverify(store, NUMERO, [new])
    assert back.valide and back.pages == 2 and back.raison is None


def test_reverify_changed_copy_gets_a_new_verdict_and_name(store, fx):
    p = attach(store, NUMERO, fx["pdf_2"], PieceKind.IDENTITE).piece
    copy = store.attachment_path(NUMERO, p.fichier)
    copy.write_bytes(fx["pdf_7"].read_bytes())  # tampered with
    [(_, new)] = reverify(store, NUMERO, [p])
    sha = hashlib.sha256(fx["pdf_7"].read_bytes()).hexdigest()
    assert new.sha256 == sha and new.fichier == f"{sha}.pdf" and not new.valide
    assert "Trop de pages" in new.raison and new.nom_original == p.nom_original
    # Both names until the draft is saved with the new one: a crash meanwhile loses nothing.
    assert stored(store) == sorted([p.fichier, new.fichier])
    assert store.attachment_path(NUMERO, new.fichier).read_bytes() == fx["pdf_7"].read_bytes()


def test_reverify_without_hard_links_copies_then_keeps_the_old_name(store, fx, monkeypatch):
    # A data folder on a file system without hard links (FAT, some network shares).
    p = attach(store, NUMERO, fx["pdf_2"], PieceKind.IDENTITE).piece
    copy = store.attachment_path(NUMERO, p.fichier)
    copy.write_bytes(fx["pdf_7"].read_bytes())

    def no_link(src, dst):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    [(_, new)] = reverify(store, NUMERO, [p])
    assert new.fichier != p.fichier  # a second copy under the new name
    assert store.attachment_path(NUMERO, new.fichier).read_bytes() == fx["pdf_7"].read_bytes()
    assert stat.S_IMODE(store.attachment_path(NUMERO, new.fichier).stat().st_mode) == 0o600

    store.attachment_path(NUMERO, new.fichier).unlink()
    monkeypatch.setattr(attachments, "atomic_copy", no_link)  # no copy either
    [(_, kept)] = reverify(store, NUMERO, [p])
    # The entry never names a file that is not on disk: it keeps the copy's name.
    assert kept.fichier == p.fichier and "Trop de pages" in kept.raison


def test_weird_path_attaches(store, fx):
    p = attach(store, NUMERO, clean_typed_path(f"'{fx['weird_name']}'"), PieceKind.IDENTITE).piece
    assert p.valide and p.nom_original == WEIRD_NAME


def test_core_has_no_textual_import():
    code = "import sys, permis_tui.attachments; print(any(m.startswith('textual') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
