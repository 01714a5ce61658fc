"""The recap PDF: content, wrapping, page breaks and page numbers, metadata."""

from __future__ import annotations

import io

from pypdf import PdfReader

from permis_tui.forms.recap_pdf import PAGE_W, VALUE_X, RecapSection, render_recap_pdf

PT = 72 / 25.4
NUMERO = "DPC-2025-000123"
LONG_VALUE = "12 bis rue de l'Œuvre, " + "résidence des Œillets bâtiment Ÿ " * 8 + "74000 Annecy"


def _sections(extra: int = 0) -> list[RecapSection]:
    base = [
        RecapSection("Motif de la demande", [("Motif", "Retour au permis après invalidation")]),
        RecapSection(
            "État civil",
            [
                ("Nom de naissance", "Łukaszewski-Øster"),
                ("Prénom(s)", "Şule, Ÿvonne"),
                ("Date de naissance", "00/00/1975"),
            ],
        ),
        RecapSection("Adresse et contact", [("Adresse", LONG_VALUE), ("Courriel", "")]),
    ]
    return base + [
        RecapSection(f"Pièce justificative {i}", [("Fichier", f"piece-{i}.pdf"), ("Statut", "Vérifiée")])
        for i in range(1, extra + 1)
    ]


def _render(extra: int = 0) -> PdfReader:
    data = render_recap_pdf(NUMERO, "Demande de permis de conduire", _sections(extra), "12/05/2025 à 14:03")
    return PdfReader(io.BytesIO(data))


def _flat(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_titles_rows_and_unicode_values_present() -> None:
    reader = _render()
    assert len(reader.pages) == 1
    text = _flat(reader)
    for expected in (
        f"Récapitulatif de la demande préparée (référence {NUMERO})",
        "Généré le 12/05/2025 à 14:03",
        "Motif de la demande",
        "État civil",
        "Adresse et contact",
        "Nom de naissance",
        "Łukaszewski-Øster",
        "Şule, Ÿvonne",
        "00/00/1975",
        "Page 1/1",
    ):
        assert expected in text, expected


def test_long_value_wraps_in_value_column() -> None:
    page = _render().pages[0]
    lines: list[tuple[str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            lines.append((text.strip(), tm[4] / PT))

    page.extract_text(visitor_text=visit)
    address_lines = [t for t, x in lines if abs(x - VALUE_X) < 0.2 and t in LONG_VALUE]
    assert len(address_lines) >= 3
    assert " ".join(address_lines) == LONG_VALUE
    assert all(x < PAGE_W for _, x in lines)


def test_many_sections_break_pages_with_numbered_footers() -> None:
    reader = _render(extra=20)
    assert len(reader.pages) >= 2
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, 1):
        assert f"Page {n}/{total}" in page.extract_text()
    text = _flat(reader)
    for i in range(1, 21):
        assert f"piece-{i}.pdf" in text
    # A section title is never left alone at the bottom of a page.
    for page in reader.pages:
        body = [line for line in page.extract_text().splitlines() if line.strip() and not line.startswith("Page ")]
        assert not body[-1].startswith("Pièce justificative"), body[-1]


def test_metadata_has_no_personal_data() -> None:
    meta = _render().metadata or {}
    blob = " ".join(str(v) for v in meta.values())
    assert "permis de conduire" in meta.get("/Title", "")
    for personal in (NUMERO, "Łukaszewski", "1975", "Annecy"):
        assert personal not in blob
