"""The formulaire de dépôt: content, geometry read back from the PDF, metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import cache

import pytest
from fpdf import FPDF
from pypdf import PdfReader
from pypdf.generic import ContentStream

from permis_tui.forms import fonts
from permis_tui.forms.formulaire_depot import (
    ADDRESSEE,
    PHOTO_BOX,
    RECAP_BOTTOM,
    RECAP_TOP,
    SIGNATURE_BOX,
    VALUE_W,
    VALUE_X,
    WINDOW_ZONE,
    DepotData,
    render_formulaire_depot,
)

PT = 72 / 25.4  # points per mm
A4_PT = (595.28, 841.89)
ELLIPSIS = "…"

SAMPLE = DepotData(
    numero="DPC-2025-000123",
    nom_naissance="Œuvray-Łukaszewski",
    nom_usage="Ÿvonne D’Ørsted",
    prenoms=["Marie-Şule", "Anne"],
    sexe="F",
    date_naissance="00/00/1975",
    adresse_lignes=["12 bis rue de l'Œuvre", "Bâtiment B, escalier 3", "74000 Annecy"],
)


@dataclass(frozen=True)
class Chunk:
    text: str
    x: float  # left, mm from the page's left edge
    baseline: float  # mm from the top
    size: float  # pt
    bold: bool

    @property
    def right(self) -> float:
        return self.x + _string_width(self.text, self.size, self.bold)

    @property
    def top(self) -> float:  # cap height of Open Sans is ~0.72 em
        return self.baseline - 0.72 * self.size / PT


@cache
def _measuring_pdf() -> FPDF:
    pdf = FPDF(unit="mm")
    fonts.add_open_sans(pdf)
    return pdf


def _string_width(text: str, size: float, bold: bool) -> float:
    pdf = _measuring_pdf()
    pdf.set_font(fonts.FAMILY, "B" if bold else "", size)
    return pdf.get_string_width(text)


def _chunks(pdf_bytes: bytes) -> list[Chunk]:
    page = PdfReader(io.BytesIO(pdf_bytes)).pages[0]
    height = float(page.mediabox.height)
    found: list[Chunk] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x_pt = tm[4] * cm[0] + cm[4]
        y_pt = tm[5] * cm[3] + cm[5]
        bold = "Bold" in str((font_dict or {}).get("/BaseFont", ""))
        found.append(Chunk(text.strip(), x_pt / PT, (height - y_pt) / PT, float(font_size), bold))

    page.extract_text(visitor_text=visit)
    return found


def _rects(pdf_bytes: bytes) -> list[tuple[float, float, float, float]]:
    """Rectangles drawn with `re`, as (x, top, w, h) in mm from the top-left corner."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    page = reader.pages[0]
    height = float(page.mediabox.height)
    rects = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            top = height - max(y, y + h)
            rects.append((x / PT, top / PT, abs(w) / PT, abs(h) / PT))
    return rects


def _value_chunks(chunks: list[Chunk]) -> list[Chunk]:
    return [c for c in chunks if abs(c.x - VALUE_X) < 0.2 and RECAP_TOP - 1 <= c.baseline <= RECAP_BOTTOM]


def _rows(pdf_bytes: bytes) -> dict[str, list[str]]:
    """Recap value lines grouped under the label printed beside their first line."""
    chunks = _chunks(pdf_bytes)
    labels = [c for c in chunks if c.text.endswith(" :") and abs(c.x - 15.0) < 0.2]
    rows: dict[str, list[str]] = {label.text: [] for label in labels}
    for value in _value_chunks(chunks):
        owner = max((lb for lb in labels if lb.baseline <= value.baseline + 1.0), key=lambda lb: lb.baseline)
        rows[owner.text].append(value.text)
    return rows


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_formulaire_depot(SAMPLE)


def test_one_a4_page(sample_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(sample_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4_PT[0], abs=0.01)
    assert float(box.height) == pytest.approx(A4_PT[1], abs=0.01)


def test_fixed_texts_and_every_value_present(sample_pdf: bytes) -> None:
    text = PdfReader(io.BytesIO(sample_pdf)).pages[0].extract_text()
    flat = " ".join(text.split())
    for expected in (
        "Demande de permis de conduire",
        "Formulaire de dépôt de photo et de signature pour numérisation",
        "Récapitulatif de votre saisie",
        "Numéro de demande",
        "Nom de naissance",
        "Nom d'usage",
        "Prénom(s)",
        "Sexe",
        "Date de nais.",
        "Adresse",
        "Photo couleur",
        "à coller",
        "sans agrafe",
        "J'atteste sur l'honneur que les informations fournies sont exactes",
        "Signature à l'encre noire",
        "Si vous raturez ce formulaire, la modification ne sera pas prise en compte "
        "et risque d'entraîner l'échec de votre demande.",
        "Ne joindre aucune pièce justificative à ce courrier.",
        "Mettre ce document dans une enveloppe affranchie",
        *ADDRESSEE,
        SAMPLE.numero,
        SAMPLE.nom_naissance,
        SAMPLE.nom_usage,
        "Marie-Şule, Anne",
        SAMPLE.date_naissance,
        *SAMPLE.adresse_lignes,
    ):
        assert expected in flat, expected
    values = [c.text for c in _value_chunks(_chunks(sample_pdf))]
    assert "F" in values  # sexe


def test_non_latin1_names_extract_identically() -> None:
    names = ["Œdipe Ÿsaÿe", "Łukasz Øster", "Şahin D’Arc"]
    data = replace(SAMPLE, nom_naissance=names[0], nom_usage=names[1], prenoms=[names[2]])
    values = [c.text for c in _value_chunks(_chunks(render_formulaire_depot(data)))]
    for name in names:
        assert name in values


def test_addressee_lies_in_the_envelope_window(sample_pdf: bytes) -> None:
    x0, y0, x1, y1 = WINDOW_ZONE
    assert (x0, y0, x1, y1) == (100.0, 45.0, 190.0, 80.0)
    by_text = {c.text: c for c in _chunks(sample_pdf)}
    for line in ADDRESSEE:
        chunk = by_text[line]
        assert x0 <= chunk.x and chunk.right <= x1, (line, chunk.x, chunk.right)
        assert y0 <= chunk.top and chunk.baseline + 1.0 <= y1, (line, chunk.top, chunk.baseline)
    # Nothing else shows through the window.
    others = [c for c in _chunks(sample_pdf) if c.text not in ADDRESSEE]
    for c in others:
        overlaps_x = c.x < x1 and c.right > x0
        overlaps_y = c.top < y1 and c.baseline > y0
        assert not (overlaps_x and overlaps_y), c


def test_photo_box_is_35_by_45_mm(sample_pdf: bytes) -> None:
    assert PHOTO_BOX[2:] == (35.0, 45.0)
    rects = _rects(sample_pdf)
    matching = [r for r in rects if r[2] == pytest.approx(35, abs=0.05) and r[3] == pytest.approx(45, abs=0.05)]
    assert len(matching) == 1, rects
    x, top, _, _ = matching[0]
    assert (x, top) == (pytest.approx(PHOTO_BOX[0], abs=0.05), pytest.approx(PHOTO_BOX[1], abs=0.05))
    sig = [
        r
        for r in rects
        if r[2:] == (pytest.approx(SIGNATURE_BOX[2], abs=0.05), pytest.approx(SIGNATURE_BOX[3], abs=0.05))
    ]
    assert sig, "signature box missing"


LONG_SPACED = "De La Tour d'Auvergne-Lauraguais Saint-Exupéry Montmorency Œuvray Łukaszewski Bérengère Fin"
LONG_SOLID = "Ø" * 100
LONG_COMPLEMENT = ("Résidence des Œillets, bâtiment Ÿ, escalier 4, porte gauche, " * 4)[:200].strip()


@pytest.mark.parametrize(
    ("nom", "complement"),
    [(LONG_SPACED.ljust(100, "x"), LONG_COMPLEMENT), (LONG_SOLID, LONG_COMPLEMENT)],
    ids=["spaced", "no-space"],
)
def test_long_values_wrap_inside_their_column(nom: str, complement: str) -> None:
    assert len(nom) == 100 and len(complement) == 200
    data = replace(SAMPLE, nom_naissance=nom, adresse_lignes=["3 rue Haute", complement, "74000 Annecy"])
    pdf_bytes = render_formulaire_depot(data)
    assert len(PdfReader(io.BytesIO(pdf_bytes)).pages) == 1
    values = _value_chunks(_chunks(pdf_bytes))
    for c in values:
        assert c.x >= VALUE_X - 0.1 and c.right <= VALUE_X + VALUE_W + 0.1, (c.text, c.right)
        assert c.right <= PHOTO_BOX[0], c  # never runs under the photo
        assert c.top >= RECAP_TOP and c.baseline <= RECAP_BOTTOM, c
    joined = " ".join(c.text for c in values)
    assert ELLIPSIS not in joined  # these fit: wrapped, not cut
    rows = _rows(pdf_bytes)
    name_lines = rows["Nom de naissance :"]
    assert len(name_lines) >= 2  # it did wrap
    assert ("" if " " not in nom else " ").join(name_lines) == nom
    address = rows["Adresse :"]
    assert address[0] == "3 rue Haute" and address[-1] == "74000 Annecy"
    assert len(address) >= 4 and " ".join(address[1:-1]) == complement
    # Rows do not overlap: baselines strictly increase down the value column.
    baselines = [c.baseline for c in values]
    assert baselines == sorted(baselines) and len(set(baselines)) == len(baselines)


def test_absurd_values_shrink_and_stay_on_the_page() -> None:
    data = DepotData(
        numero="DPC-2025-999999",
        nom_naissance="Ł" * 300,
        nom_usage="Ÿ" * 300,
        prenoms=["Ø" * 150, "Ş" * 150],
        sexe="M",
        date_naissance="31/12/1999",
        adresse_lignes=["X" * 400, "Y" * 400, "Z" * 400, "74000 ANNECY"],
    )
    pdf_bytes = render_formulaire_depot(data)
    assert len(PdfReader(io.BytesIO(pdf_bytes)).pages) == 1
    chunks = _chunks(pdf_bytes)
    for c in chunks:
        assert c.x >= 0 and c.right <= 210 and c.top >= 0 and c.baseline <= 297, c
    values = _value_chunks(chunks)
    assert all(c.right <= VALUE_X + VALUE_W + 0.1 for c in values)
    assert any(ELLIPSIS in c.text for c in values)  # last resort reached
    # The attestation below the recap is still where it belongs.
    attestation = next(c for c in chunks if c.text.startswith("J'atteste"))
    assert attestation.top > max(c.baseline for c in values)


def test_metadata_is_generic(sample_pdf: bytes) -> None:
    meta = PdfReader(io.BytesIO(sample_pdf)).metadata or {}
    assert "Demande de permis de conduire" in meta.get("/Title", "")
    blob = " ".join(str(v) for v in meta.values())
    for personal in (SAMPLE.numero, "Œuvray", "Łukaszewski", "Ørsted", "Şule", "1975", "Annecy"):
        assert personal not in blob
    for key in ("/Author", "/Subject", "/Keywords"):
        assert key not in meta


def test_output_is_deterministic_and_small(sample_pdf: bytes) -> None:
    assert render_formulaire_depot(SAMPLE) == sample_pdf
    assert len(sample_pdf) <= 40_000
