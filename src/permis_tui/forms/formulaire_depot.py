"""The "formulaire de dépôt de photo et de signature pour numérisation".

One A4 page that the applicant prints, signs, sticks the photo on and posts
to the CTN in a window envelope (DL 110 × 220 mm or C5/6 114 × 229 mm, window
on the right). Layout, in mm from the top-left corner of the page:

- the addressee block starts at ``ADDRESS_X`` = 110, ``ADDRESS_Y`` = 50 and is
  at most ``ADDRESS_W`` = 75 wide, so that it lies inside the window zone
  ``WINDOW_ZONE`` x ∈ [100, 190], y ∈ [45, 80] once the sheet is folded in
  three (folds at ``FOLDS`` = 99 and 198 mm, marked in the margins);
- the recap and the ``PHOTO_BOX`` (35 × 45 mm) sit in the middle third, the
  attestation and ``SIGNATURE_BOX`` in the bottom third, so that no fold
  crosses the photo or the signature the CTN scans.

Values wrap inside their column; when the whole recap would not fit, the font
shrinks down to 8 pt, and only then are values cut with an ellipsis.

A form printed from a request not yet validated (``DepotData.brouillon``)
carries ``BROUILLON_MARK`` diagonally across the page, over everything, so it
cannot be posted by mistake, and once more on a line in the top margin, which
text extractors (pdftotext splits diagonal text into letters) and screen
readers read as written.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF

from permis_tui.forms.depot_data import DepotData as DepotData  # also imported from here
from permis_tui.forms.fonts import (
    FAMILY,
    add_open_sans,
    clean,
    fit_with_ellipsis,
    line_height,
    wrap,
)

# --- Page geometry (mm) ---
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 15.0
FOLDS = (99.0, 198.0)

# Window of a DL/C5-6 envelope as seen on the folded sheet: x0, y0, x1, y1.
WINDOW_ZONE = (100.0, 45.0, 190.0, 80.0)
ADDRESS_X, ADDRESS_Y, ADDRESS_W = 110.0, 50.0, 75.0
ADDRESSEE = ("CTN", "CS 80168", "53102 MAYENNE CEDEX")
ADDRESS_SIZE = 11.0

# Warnings go top-left, beside the window, where the envelope hides them.
WARNINGS_BOX = (MARGIN, 45.0, 80.0)  # x, y, width

RECAP_TITLE_Y = 103.0
RECAP_TOP = 111.0
RECAP_BOTTOM = 194.0  # just above the second fold
LABEL_X, LABEL_W = MARGIN, 36.0
VALUE_X = LABEL_X + LABEL_W + 1.0
PHOTO_BOX = (160.0, RECAP_TOP, 35.0, 45.0)  # x, y, w, h
VALUE_W = PHOTO_BOX[0] - 5.0 - VALUE_X  # values stop 5 mm left of the photo

ATTESTATION_Y = 204.0
SIGNATURE_BOX = (MARGIN, 212.0, 100.0, 40.0)  # x, y, w, h
HINT_Y = 262.0

TITLE = "Demande de permis de conduire"
SUBTITLE = "Formulaire de dépôt de photo et de signature pour numérisation"
WARNINGS = (
    "Si vous raturez ce formulaire, la modification ne sera pas prise en compte "
    "et risque d'entraîner l'échec de votre demande.",
    "Ne joindre aucune pièce justificative à ce courrier.",
)
ATTESTATION = "J'atteste sur l'honneur que les informations fournies sont exactes"
FOLD_HINT = (
    "Mettre ce document dans une enveloppe affranchie adressée à l'adresse figurant "
    "ci-dessus (celle-ci est placée afin de pouvoir insérer ce document dans une "
    "enveloppe à fenêtre)."
)
BROUILLON_MARK = "BROUILLON — ne pas envoyer"
BROUILLON_SIZE = 44.0  # pt: corner to corner of the A4 page at 55°
BROUILLON_ANGLE = 55.0
BROUILLON_GREY = 150  # light enough to read the form through, dark enough on any printer
BROUILLON_LINE = f"{BROUILLON_MARK} : cette demande n'est pas validée."
BROUILLON_LINE_Y = 9.0  # mm, baseline in the top margin, above the title

# Fixed so the same data gives the same bytes; the real date is in no way personal,
# but a changing one would make every re-download a different file.
CREATION_DATE = datetime(2000, 1, 1, tzinfo=UTC)

# Fitting steps for the recap: (font size, max lines per value, max address lines).
# Shrink the font first; cut values (with an ellipsis) only when 8 pt is not enough.
_FIT_STEPS = (
    (10.0, 6, 12),
    (9.5, 6, 12),
    (9.0, 6, 12),
    (8.5, 6, 12),
    (8.0, 6, 12),
    (8.0, 4, 8),
    (8.0, 3, 6),
    (8.0, 2, 4),
    (8.0, 1, 3),
)
_LABEL_SIZE = 9.0
_ROW_GAP = 1.6


NUMERO_A_REMPLIR = "_" * 24
NUMERO_VIDE_MENTION = (
    "Case « Numéro de demande » laissée vide : recopiez-y le numéro donné par le site de "
    "l'ANTS (France Titres) lors du dépôt de la demande."
)


def render_formulaire_depot(data: DepotData) -> bytes:
    """One A4 page PDF, ready to print."""
    pdf = _new_pdf()
    _draw_header(pdf)
    _draw_warnings(pdf)
    _draw_recap(pdf, data)
    _draw_mention(pdf, data)
    _draw_photo_box(pdf)
    _draw_signature(pdf)
    _draw_fold_marks(pdf)
    if data.brouillon:
        _draw_brouillon_mark(pdf)
    return bytes(pdf.output())


def recap_rows(data: DepotData) -> list[tuple[str, list[str]]]:
    """(label, value paragraphs) in print order; the address keeps its lines."""
    rows: list[tuple[str, list[str]]] = [
        # Blank: a line to write the ANTS numéro on by hand.
        ("Numéro de demande :", [data.numero or NUMERO_A_REMPLIR]),
        ("Nom de naissance :", [data.nom_naissance]),
    ]
    if data.nom_usage and clean(data.nom_usage):
        rows.append(("Nom d'usage :", [data.nom_usage]))
    rows += [
        ("Prénom(s) :", [", ".join(clean(p) for p in data.prenoms if clean(p))]),
        ("Sexe :", [data.sexe]),
        ("Date de nais. :", [data.date_naissance]),
        ("Adresse :", [line for line in data.adresse_lignes if clean(line)] or [""]),
    ]
    return rows


def _new_pdf() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)  # one page, whatever the data
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    # Metadata is generic on purpose: no name or numéro leaks to indexers.
    pdf.set_title(f"{TITLE} : {SUBTITLE.lower()}")
    pdf.set_creator("permis-tui")
    pdf.set_lang("fr-FR")
    pdf.set_creation_date(CREATION_DATE)
    add_open_sans(pdf)
    pdf.c_margin = 0  # text starts exactly at the documented x positions
    pdf.add_page()
    pdf.set_text_color(0)
    pdf.set_draw_color(0)
    return pdf


def _text_line(
    pdf: FPDF, x: float, y: float, w: float, text: str, size: float, style: str = "", align: str = "L"
) -> float:
    pdf.set_font(FAMILY, style, size)
    h = line_height(size)
    pdf.set_xy(x, y)
    pdf.cell(w, h, text, align=align)
    return y + h


# Line breaks of the fixed paragraphs only depend on the font: compute them once.
_fixed_lines: dict[tuple[str, float, float, str], list[str]] = {}


def _paragraph(pdf: FPDF, x: float, y: float, w: float, text: str, size: float, style: str = "") -> float:
    """A fixed (non-personal) paragraph, wrapped to ``w``."""
    key = (text, w, size, style)
    if key not in _fixed_lines:
        pdf.set_font(FAMILY, style, size)
        _fixed_lines[key] = wrap(pdf, text, w)
    for line in _fixed_lines[key]:
        y = _text_line(pdf, x, y, w, line, size, style)
    return y


def _draw_header(pdf: FPDF) -> None:
    y = _text_line(pdf, MARGIN, 15.0, PAGE_W - 2 * MARGIN, TITLE, 15.0, "B")
    _text_line(pdf, MARGIN, y + 0.5, PAGE_W - 2 * MARGIN, SUBTITLE, 11.0)
    y = ADDRESS_Y
    for line in ADDRESSEE:
        y = _text_line(pdf, ADDRESS_X, y, ADDRESS_W, line, ADDRESS_SIZE)


def _draw_warnings(pdf: FPDF) -> None:
    x, y0, w = WARNINGS_BOX
    y = y0 + 2.0
    for i, warning in enumerate(WARNINGS):
        y = _paragraph(pdf, x + 2.5, y + (1.5 if i else 0.0), w - 5.0, warning, 9.0, "B")
    pdf.set_line_width(0.5)
    pdf.rect(x, y0, w, y - y0 + 2.0)


def _layout_recap(pdf: FPDF, data: DepotData) -> tuple[float, list[tuple[str, list[str]]]]:
    """Pick the largest font (then the least truncation) that fits the recap zone."""
    rows = recap_rows(data)
    for size, max_lines, max_address in _FIT_STEPS:
        pdf.set_font(FAMILY, "B", size)
        laid: list[tuple[str, list[str]]] = []
        for label, paragraphs in rows:
            lines: list[str] = []
            for paragraph in paragraphs:
                lines += wrap(pdf, paragraph, VALUE_W, max_lines)
            if len(lines) > max_address:  # only the address has several paragraphs
                lines = lines[:max_address]
                lines[-1] = fit_with_ellipsis(pdf, lines[-1], VALUE_W)
            laid.append((label, lines))
        height = sum(len(lines) * line_height(size) + _ROW_GAP for _, lines in laid)
        if RECAP_TOP + height <= RECAP_BOTTOM:
            break
    return size, laid


def _draw_recap(pdf: FPDF, data: DepotData) -> None:
    _text_line(pdf, MARGIN, RECAP_TITLE_Y, 120.0, "Récapitulatif de votre saisie", 12.0, "B")
    size, laid = _layout_recap(pdf, data)
    y = RECAP_TOP
    for label, lines in laid:
        # Baselines of label and value line up despite different sizes.
        label_y = y + (line_height(size) - line_height(_LABEL_SIZE)) / 2
        _text_line(pdf, LABEL_X, label_y, LABEL_W, label, _LABEL_SIZE)
        for line in lines:
            y = _text_line(pdf, VALUE_X, y, VALUE_W, line, size, "B")
        y += _ROW_GAP


def _draw_mention(pdf: FPDF, data: DepotData) -> None:
    """Small print under the recap: where the numéro comes from, and the local reference."""
    parts = [] if data.numero else [NUMERO_VIDE_MENTION]
    if data.reference:
        parts.append(f"Référence de préparation permis-tui : {data.reference}.")
    if parts:
        _paragraph(pdf, MARGIN, RECAP_BOTTOM + 1.0, PHOTO_BOX[0] - MARGIN - 5.0, " ".join(parts), 7.0)


def _draw_photo_box(pdf: FPDF) -> None:
    x, y, w, h = PHOTO_BOX
    pdf.set_line_width(0.3)
    pdf.rect(x, y, w, h)
    ty = y + h / 2 - 2 * line_height(9.0)
    for text in ("Photo couleur", "à coller,", "sans agrafe"):
        ty = _text_line(pdf, x, ty, w, text, 9.0, align="C")
    _text_line(pdf, x, y + h + 1.0, w, "35 × 45 mm", 7.5, align="C")


def _draw_signature(pdf: FPDF) -> None:
    _text_line(pdf, MARGIN, ATTESTATION_Y, PAGE_W - 2 * MARGIN, ATTESTATION, 10.0, "B")
    x, y, w, h = SIGNATURE_BOX
    pdf.set_line_width(0.3)
    pdf.rect(x, y, w, h)
    _text_line(pdf, x + 2.0, y + 1.5, w - 4.0, "Signature à l'encre noire", 8.5)
    y = HINT_Y
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, y - 2.0, PAGE_W - MARGIN, y - 2.0)
    _paragraph(pdf, MARGIN, y, PAGE_W - 2 * MARGIN, FOLD_HINT, 9.0)


def _draw_brouillon_mark(pdf: FPDF) -> None:
    """The draft mark, centred and rotated across the page, half-transparent so
    the form stays readable underneath."""
    pdf.set_font(FAMILY, "B", 9.0)
    pdf.text(MARGIN, BROUILLON_LINE_Y, BROUILLON_LINE)
    pdf.set_font(FAMILY, "B", BROUILLON_SIZE)
    width = pdf.get_string_width(BROUILLON_MARK)
    cx, cy = PAGE_W / 2, PAGE_H / 2
    with pdf.local_context(fill_opacity=0.35, text_color=BROUILLON_GREY), pdf.rotation(BROUILLON_ANGLE, x=cx, y=cy):
        pdf.text(cx - width / 2, cy + BROUILLON_SIZE * 0.3528 / 3, BROUILLON_MARK)


def _draw_fold_marks(pdf: FPDF) -> None:
    """Short ticks in both margins, so the sheet folds with the address in the window."""
    pdf.set_draw_color(128)
    pdf.set_line_width(0.2)
    for y in FOLDS:
        pdf.line(4.0, y, 10.0, y)
        pdf.line(PAGE_W - 10.0, y, PAGE_W - 4.0, y)
    pdf.set_draw_color(0)
