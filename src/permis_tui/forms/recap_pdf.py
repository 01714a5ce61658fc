"""Printable recap of a demande: "Récapitulatif de la demande n° …".

Sections of (label, value) rows on A4; long labels and values wrap in their
column, rows move to the next page whole when they fit on one page, and the
footer numbers pages "Page 1/2".
"""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF

from permis_tui.forms.fonts import FAMILY, add_open_sans, line_height, wrap
from permis_tui.forms.recap_section import RecapSection as RecapSection  # also imported from here

MARGIN = 18.0
PAGE_W, PAGE_H = 210.0, 297.0
FOOTER_H = 12.0  # reserved at the bottom for "Page n/N"
CONTENT_BOTTOM = PAGE_H - MARGIN - FOOTER_H
LABEL_W = 62.0
GUTTER = 4.0
VALUE_X = MARGIN + LABEL_W + GUTTER
VALUE_W = PAGE_W - MARGIN - VALUE_X
SIZE = 10.0
SECTION_SIZE = 12.0
ROW_GAP = 1.8
DOC_TITLE = "Récapitulatif de demande de permis de conduire"
CREATION_DATE = datetime(2000, 1, 1, tzinfo=UTC)  # deterministic bytes


class _RecapPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-(MARGIN + 4.0))
        self.set_font(FAMILY, "", 8.5)
        self.set_text_color(90)
        self.cell(0, line_height(8.5), f"Page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def render_recap_pdf(numero: str, titre: str, sections: list[RecapSection], genere_le: str) -> bytes:
    """A4 PDF of the recap; ``genere_le`` is printed as given ("12/05/2025 à 14:03")."""
    pdf = _RecapPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)  # page breaks are decided per row below
    pdf.set_title(DOC_TITLE)  # generic: no numéro or name in the metadata
    pdf.set_creator("permis-tui")
    pdf.set_lang("fr-FR")
    pdf.set_creation_date(CREATION_DATE)
    add_open_sans(pdf)
    pdf.c_margin = 0  # columns start exactly at MARGIN / VALUE_X
    pdf.add_page()

    y = _block(pdf, MARGIN, titre, 11.0, "")
    y = _block(pdf, y + 1.0, f"Récapitulatif de la demande préparée (référence {numero})", 16.0, "B")
    y = _block(pdf, y + 1.0, f"Généré le {genere_le}", 9.0, "")
    pdf.set_line_width(0.4)
    pdf.line(MARGIN, y + 2.0, PAGE_W - MARGIN, y + 2.0)
    y += 6.0

    for section in sections:
        y = _section(pdf, y, section)
    return bytes(pdf.output())


def _block(pdf: FPDF, y: float, text: str, size: float, style: str) -> float:
    """Full-width wrapped text at ``y``; returns the y below it."""
    pdf.set_font(FAMILY, style, size)
    for line in wrap(pdf, text, PAGE_W - 2 * MARGIN):
        pdf.set_xy(MARGIN, y)
        pdf.cell(PAGE_W - 2 * MARGIN, line_height(size), line)
        y += line_height(size)
    return y


def _ensure_room(pdf: FPDF, y: float, needed: float) -> float:
    # Near the top of a page a new page would not help: let the content flow.
    if y + needed > CONTENT_BOTTOM and y > MARGIN + 5.0:
        pdf.add_page()
        return MARGIN
    return y


def _section(pdf: FPDF, y: float, section: RecapSection) -> float:
    lh = line_height(SIZE)
    # Keep the title with at least its first row.
    first = _row_lines(pdf, *section.lignes[0]) if section.lignes else ([], [])
    title_h = line_height(SECTION_SIZE) + 2.5
    first_h = min(max(len(first[0]), len(first[1]), 1) * lh, CONTENT_BOTTOM - MARGIN - title_h)
    y = _ensure_room(pdf, y + 3.0, title_h + first_h)
    y = _block(pdf, y, section.titre, SECTION_SIZE, "B")
    pdf.set_line_width(0.2)
    pdf.set_draw_color(150)
    pdf.line(MARGIN, y + 0.5, PAGE_W - MARGIN, y + 0.5)
    pdf.set_draw_color(0)
    y += 2.5
    for label, value in section.lignes:
        y = _row(pdf, y, label, value)
    return y


def _row_lines(pdf: FPDF, label: str, value: str) -> tuple[list[str], list[str]]:
    pdf.set_font(FAMILY, "", SIZE)
    labels = wrap(pdf, label, LABEL_W)
    pdf.set_font(FAMILY, "B", SIZE)
    values = wrap(pdf, value or "—", VALUE_W)
    return labels, values


def _row(pdf: FPDF, y: float, label: str, value: str) -> float:
    lh = line_height(SIZE)
    labels, values = _row_lines(pdf, label, value)
    rows = max(len(labels), len(values))
    room_per_page = int((CONTENT_BOTTOM - MARGIN) // lh)
    # A row that fits a page is never split; a longer one flows over pages.
    y = _ensure_room(pdf, y, min(rows, room_per_page) * lh)
    for i in range(rows):
        if y + lh > CONTENT_BOTTOM:
            y = _ensure_room(pdf, y, lh)
        if i < len(labels):
            pdf.set_font(FAMILY, "", SIZE)
            pdf.set_text_color(70)
            pdf.set_xy(MARGIN, y)
            pdf.cell(LABEL_W, lh, labels[i])
            pdf.set_text_color(0)
        if i < len(values):
            pdf.set_font(FAMILY, "B", SIZE)
            pdf.set_xy(VALUE_X, y)
            pdf.cell(VALUE_W, lh, values[i])
        y += lh
    return y + ROW_GAP
