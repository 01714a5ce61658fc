"""Document check (step 5): real verdicts on generated hostile and ordinary files."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from permis_tui import documents
from permis_tui.documents import Verdict, VerdictCode, check_category, check_file, sha256_file, sniff
from permis_tui.model.piece_kind import PieceKind

_spec = importlib.util.spec_from_file_location("make_fixtures", Path(__file__).parent / "fixtures" / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)


@pytest.fixture(scope="module")
def fx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return mf.make_all(tmp_path_factory.mktemp("pieces"))


TEXT_AS_PDF = "Format non accepté : fichier texte renommé en .pdf (formats acceptés : PDF, JPEG, PNG)."

# key, max_pages, valid, reason, detected_type, pages
CASES = [
    ("empty", 2, False, VerdictCode.FILE_EMPTY.text(), None, None),  # no page count, as for every refusal
    ("pdf_1", 2, True, None, "pdf", 1),
    ("pdf_2", 2, True, None, "pdf", 2),
    ("pdf_7", 6, False, "Trop de pages : plus de 6 pages (6 pages maximum).", "pdf", None),
    ("pdf_7", 7, True, None, "pdf", 7),
    ("rc4", 2, False, VerdictCode.PDF_PROTECTED.text(), "pdf", None),
    ("aes256", 2, False, VerdictCode.PDF_PROTECTED.text(), "pdf", None),
    ("owner_only", 2, True, None, "pdf", 1),
    ("truncated", 6, False, VerdictCode.PDF_TRUNCATED.text(), "pdf", None),
    ("no_xref", 7, True, None, "pdf", 7),  # rebuilt by pypdf, like every viewer: accepted
    ("jpeg_as_pdf", 2, True, None, "jpeg", 1),
    ("text_as_pdf", 2, False, TEXT_AS_PDF, "texte", None),
    ("cyclic", 2, False, VerdictCode.PDF_BAD_TREE.text(), "pdf", None),
    ("deep", 2, False, VerdictCode.PDF_BAD_TREE.text(), "pdf", None),
    ("bomb", 2, False, VerdictCode.PDF_BOMB.text(), "pdf", None),
    ("pages_5000", 2, False, "Trop de pages : plus de 2 pages (2 pages maximum).", "pdf", None),
    ("jpeg_truncated", 2, False, VerdictCode.IMAGE_DAMAGED.text(), "jpeg", None),
    ("png_bad_crc", 2, False, VerdictCode.IMAGE_DAMAGED.text(), "png", None),
    ("jpeg", 2, True, None, "jpeg", 1),
    ("png", 2, True, None, "png", 1),
    ("jpeg_tiny", 2, True, None, "jpeg", 1),
    (
        "gif_as_jpg",
        2,
        False,
        "Format non accepté : image GIF renommée en .jpg (formats acceptés : PDF, JPEG, PNG).",
        "gif",
        None,
    ),
    (
        "docx_as_pdf",
        2,
        False,
        "Format non accepté : document Word (.docx) renommé en .pdf (formats acceptés : PDF, JPEG, PNG).",
        "docx",
        None,
    ),
    ("weird_name", 2, True, None, "pdf", 1),
    ("big", 2, False, "Fichier trop volumineux (12,0 Mo ; 10 Mo maximum).", None, None),
]


@pytest.mark.parametrize(
    ("key", "max_pages", "valid", "reason", "detected", "pages"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_verdicts(fx, key, max_pages, valid, reason, detected, pages):
    start = time.monotonic()
    v = check_file(fx[key], max_pages)
    assert time.monotonic() - start < 2.0, "each check must answer within 2 s"
    assert (v.valid, v.reason, v.detected_type, v.pages) == (valid, reason, detected, pages)
    assert v.size == fx[key].stat().st_size
    assert v.label == ("Document valide" if valid else reason)


def test_image_dimensions_and_warnings(fx):
    big = check_file(fx["jpeg"], 2)
    assert (big.width, big.height, big.warning) == (1200, 1600, None)
    tiny = check_file(fx["jpeg_tiny"], 2)
    assert tiny.warning == "Image de petite taille (300 × 400 px) : la pièce risque d'être illisible."
    renamed = check_file(fx["jpeg_as_pdf"], 2)
    assert renamed.warning and "« .pdf »" in renamed.warning and "image JPEG" in renamed.warning


def test_too_many_pages_names_the_category(fx):
    v = check_file(fx["pdf_7"], 2, kind=PieceKind.IDENTITE)
    assert v.reason == "Trop de pages : plus de 2 pages (2 pages maximum pour une pièce d'identité)."


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("bomb", False),
        ("deep", False),
        ("cyclic", False),
        ("pages_5000", False),
        ("truncated", False),
        ("no_xref", True),
        ("jpeg_as_pdf", True),
        ("big", False),
    ],
)
def test_hostile_file_stays_under_200_mib(fx, key, valid):
    # One fresh process per file (the requirement is per file). Its peak is VmHWM, not
    # ru_maxrss: Linux carries ru_maxrss over exec from the forked pytest process, so
    # it grew with the test suite and not with the check.
    code = textwrap.dedent(f"""
        import json, sys
        from permis_tui.documents import check_file
        out = check_file({str(fx[key])!r}, 7).valid
        with open("/proc/self/status") as status:
            hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        print(json.dumps([out, hwm]))
    """)
    # Through a small intermediate process: Linux carries the peak RSS across fork and exec,
    # so a child of a grown pytest process would report pytest's own peak.
    relay = "import subprocess, sys; sys.exit(subprocess.run([sys.executable, '-c', sys.argv[1]]).returncode)"
    proc = subprocess.run([sys.executable, "-c", relay, code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no pypdf/Pillow chatter, hence no file content or names
    result, maxrss_kib = json.loads(proc.stdout)
    assert result is valid
    assert maxrss_kib < 200 * 1024


def test_count_lies_and_empty_tree(tmp_path):
    leaf = b"<< /Type /Page /Parent 2 0 R >>"
    lying = mf.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 1 >>",
            leaf,
            leaf,
            leaf,
        ]
    )
    (tmp_path / "lying.pdf").write_bytes(lying)
    assert check_file(tmp_path / "lying.pdf", 2).reason == "Trop de pages : plus de 2 pages (2 pages maximum)."
    assert check_file(tmp_path / "lying.pdf", 3).pages == 3
    boast = mf.raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 9999 >>", leaf])
    (tmp_path / "boast.pdf").write_bytes(boast)
    assert check_file(tmp_path / "boast.pdf", 2).pages == 1
    empty = mf.raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    (tmp_path / "empty_tree.pdf").write_bytes(empty)
    assert check_file(tmp_path / "empty_tree.pdf", 2).reason == VerdictCode.PDF_NO_PAGE.text()


def test_junk_before_header_is_still_a_pdf(tmp_path, fx):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"\x00" * 500 + fx["pdf_2"].read_bytes())
    assert (check_file(path, 2).detected_type, check_file(path, 2).pages) == ("pdf", 2)


def test_sniff_names_other_types():
    assert sniff(b"GIF89a....") == "gif"
    assert sniff(b"PK\x03\x04rest") == "zip"
    assert sniff(b"\x00\x00\x00\x18ftypheic") == "heic"
    assert sniff(b"II*\x00") == "tiff"
    assert sniff("Ligne accentuée é".encode()) == "texte"
    assert sniff(bytes(range(256))) == "inconnu"


def test_too_large_is_refused_without_reading(fx, monkeypatch):
    def no_open(*args, **kwargs):
        raise AssertionError("content read")

    monkeypatch.setattr(documents.check, "open", no_open, raising=False)
    v = check_file(fx["big"], 2)
    assert not v.valid and v.reason.startswith("Fichier trop volumineux") and v.detected_type is None
    size = fx["pdf_1"].stat().st_size
    assert 500 < size < 1024
    assert (
        check_file(fx["pdf_1"], 2, max_bytes=500).reason
        == f"Fichier trop volumineux ({size} octets ; 500 octets maximum)."
    )
    assert documents.size_text(10 * 1024 * 1024 + 1) == "10,1 Mo"
    assert documents.size_text(int(10.5 * 1024 * 1024), limit=True) == "10,5 Mo"
    assert documents.size_text(5000) == "5 Ko"


def test_file_disappears_between_choosing_and_checking(tmp_path, fx):
    chosen = tmp_path / "choisi.pdf"
    chosen.write_bytes(fx["pdf_1"].read_bytes())
    chosen.unlink()
    assert check_file(chosen, 2).reason == VerdictCode.FILE_MISSING.text()


def test_file_disappears_after_stat(fx, monkeypatch):
    def vanished(*args, **kwargs):
        raise FileNotFoundError(2, "gone")

    monkeypatch.setattr(documents.check, "open", vanished, raising=False)
    assert check_file(fx["pdf_1"], 2).reason == VerdictCode.FILE_MISSING.text()


def test_permission_denied_by_open(fx, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(13, "denied")

    monkeypatch.setattr(documents.check, "open", denied, raising=False)
    v = check_file(fx["pdf_1"], 2)
    assert (v.valid, v.reason) == (False, VerdictCode.FILE_DENIED.text())


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads chmod 000 files")
def test_permission_denied_chmod_000(tmp_path, fx):
    path = tmp_path / "secret.pdf"
    path.write_bytes(fx["pdf_1"].read_bytes())
    path.chmod(0)
    try:
        assert check_file(path, 2).reason == VerdictCode.FILE_DENIED.text()
    finally:
        path.chmod(0o600)


def test_stuck_parser_gives_too_complex_within_budget(fx, monkeypatch):
    from permis_tui.documents import pdf as documents_pdf

    release = threading.Event()

    def stuck(*args, **kwargs):
        release.wait(5)  # ignores the cancel flag, like a C loop inside pypdf would
        return 1

    monkeypatch.setattr(documents_pdf, "count_pages", stuck)
    start = time.monotonic()
    v = check_file(fx["pdf_1"], 2, timeout=0.3)
    elapsed = time.monotonic() - start
    release.set()
    assert v.reason == "Fichier trop complexe : vérification abandonnée après 0.3 secondes."
    assert elapsed < 1.0


def test_tree_walk_honours_the_deadline(fx):
    from pypdf import PdfReader

    from permis_tui.documents import pdf as documents_pdf

    with open(fx["pages_5000"], "rb") as fh:
        reader = PdfReader(fh)
        with pytest.raises(documents_pdf.CheckTimeout):
            documents_pdf.count_pages(reader, 10_000, threading.Event(), time.monotonic() - 1)
        cancel = threading.Event()
        cancel.set()
        with pytest.raises(documents_pdf.CheckTimeout):
            documents_pdf.count_pages(reader, 10_000, cancel, time.monotonic() + 60)
        assert documents_pdf.count_pages(reader, 10_000, threading.Event(), time.monotonic() + 60) == 5000


def test_pypdf_logs_nothing_below_error(fx, caplog):
    caplog.set_level("DEBUG")
    for key in ("no_xref", "truncated", "cyclic", "bomb", "weird_name"):
        check_file(fx[key], 7)
    assert [r for r in caplog.records if r.name.startswith("pypdf") and r.levelno < 40] == []
    assert all("pièce" not in r.getMessage() for r in caplog.records)


def test_category_totals(fx):
    ident = check_category([fx["pdf_2"], fx["jpeg"]], PieceKind.IDENTITE)
    assert (ident.total_pages, ident.max_pages, ident.valid) == (3, 2, False)
    assert ident.reason == "Trop de pages au total : 3 pages (2 pages maximum pour une pièce d'identité)."
    assert [v.valid for _, v in ident.files] == [True, True]
    dom = check_category([fx["pdf_2"], fx["jpeg"]], PieceKind.DOMICILE)
    assert (dom.total_pages, dom.valid, dom.reason) == (3, True, None)
    broken = check_category([fx["pdf_1"], fx["text_as_pdf"]], PieceKind.DOMICILE)
    assert (broken.valid, broken.reason, broken.total_pages) == (False, "1 fichier non valide.", 1)
    over = check_category([fx["pdf_7"]], PieceKind.MEDICAL)
    assert (over.total_pages, over.total_exact, over.valid) == (7, False, False)
    none = check_category([], PieceKind.MEDICAL)
    assert (none.valid, none.reason) == (False, "Aucun fichier joint.")


def test_sha256_streaming(fx):
    data = fx["jpeg"].read_bytes()
    assert sha256_file(fx["jpeg"], chunk=4096) == hashlib.sha256(data).hexdigest()


def test_import_is_lazy():
    code = "import sys, permis_tui.documents, permis_tui.cli; print(sorted(m for m in ('pypdf', 'PIL', 'textual') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_verdict_is_frozen():
    v = Verdict.accepted("pdf", 1, 10)
    with pytest.raises(AttributeError):
        v.valid = False  # type: ignore[misc]


def _png_header_only(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("width", "height"), [(8000, 8000), (30000, 30000)])
def test_pixel_bombs_are_refused_before_decoding(tmp_path, width, height):
    path = tmp_path / "bombe.png"
    path.write_bytes(_png_header_only(width, height))
    v = check_file(path, 2)
    assert not v.valid and v.reason.startswith("Image aux dimensions excessives")
