"""French typography: the helper's rules, every string literal of the sources, and
the rendered outputs (email, PDFs, command output)."""

from __future__ import annotations

import ast
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from permis_tui.typographie import NBSP, NNBSP, typographie

SRC = Path(__file__).resolve().parent.parent / "src" / "permis_tui"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Motif : oui ; non ! quoi ?", f"Motif{NBSP}: oui{NNBSP}; non{NNBSP}! quoi{NNBSP}?"),
        ("« Réf 44 »", f"«{NBSP}Réf 44{NBSP}»"),
        ("35 × 45 mm", f"35{NNBSP}×{NNBSP}45{NBSP}mm"),
        ("10 Mo maximum, 100 € environ, 50 %", f"10{NBSP}Mo maximum, 100{NBSP}€ environ, 50{NBSP}%"),
        ("le 2\u00e8me prénom, la 1\u00e8re fois", "le 2e prénom, la 1re fois"),
        ("rue, avenue, etc...", "rue, avenue, etc."),
        ("(bis, ter, etc)", "(bis, ter, etc.)"),
        ("../../etc/passwd /etc", "../../etc/passwd /etc"),
        ("Code Postal", "Code postal"),
        # Left alone: times, URLs, CSS pseudo-classes, words after a number.
        ("10:30 https://x.fr Input:focus 6 mois 12 bis", "10:30 https://x.fr Input:focus 6 mois 12 bis"),
    ],
)
def test_rules(raw, expected):
    assert typographie(raw) == expected
    assert typographie(expected) == expected  # idempotent


def _string_constants(path: Path):
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_every_string_literal_in_the_sources_follows_french_typography():
    """Every literal (f-string parts included) of src/, docstrings aside, reads as
    typographie() would write it; scripts/typographie_sources.py fixes a failure."""
    offenders = []
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 50
    for path in files:
        if path.name == "typographie.py":
            continue
        for lineno, value in _string_constants(path):
            if typographie(value) != value:
                offenders.append(f"{path.relative_to(SRC)}:{lineno}: {value[:60]!r}")
    assert offenders == []


def _bad(text: str) -> list[str]:
    return [m for m in (" :", " ;", " ?", " !", "« ", " »", "\u00e8me", "etc..") if m in text]


def _pdf_lines_ok(data: bytes, sections_text: str) -> None:
    """fpdf2 prints a no-break space as a space glyph but never breaks a line there: the text
    given to the PDF holds them, and no printed line starts with a sign or ends with «."""
    assert _bad(sections_text) == []
    for page in PdfReader(io.BytesIO(data)).pages:
        for line in page.extract_text().splitlines():
            assert not line.strip().startswith((":", ";", "?", "!", "»")), line
            assert not line.strip().endswith("«"), line


def test_rendered_outputs_follow_french_typography(tmp_path, capsys):
    from demande_factory import complete_demande
    from permis_tui.cli import main
    from permis_tui.forms.formulaire_depot import render_formulaire_depot
    from permis_tui.forms.recap_pdf import render_recap_pdf
    from permis_tui.mail.confirmation_email import build_confirmation_email
    from permis_tui.recap import depot_data, recap_sections
    from permis_tui.validation import prochaines_etapes

    today = date(2026, 12, 1)
    d = complete_demande(today=today, save=False, files={})
    etapes = prochaines_etapes(d, today)
    msg = build_confirmation_email(
        to="a@example.org",
        numero=d.numero,
        prenom="Zoé",
        nom="Lefèvre",
        prochaines_etapes=etapes,
        attachments=[],
        now=datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
    )
    body = msg.get_body(("plain",)).get_content()
    assert _bad(body) == [] and _bad(str(msg["Subject"])) == []
    assert f"avant le{NBSP}" not in body and f"dernier jour{NBSP}:" in body
    sections = recap_sections(d, today)
    recap = render_recap_pdf(d.numero, "Demande de permis de conduire", sections, "01/12/2026 à 10:00")
    _pdf_lines_ok(
        recap,
        " ".join(
            f"{t} {label} {value}" for t, rows in ((s.titre, s.lignes) for s in sections) for label, value in rows
        ),
    )
    from permis_tui.forms import formulaire_depot

    fixed = " ".join(
        [
            formulaire_depot.TITLE,
            formulaire_depot.SUBTITLE,
            formulaire_depot.ATTESTATION,
            formulaire_depot.FOLD_HINT,
            formulaire_depot.NUMERO_VIDE_MENTION,
            *formulaire_depot.WARNINGS,
        ]
    )
    _pdf_lines_ok(render_formulaire_depot(depot_data(d)), fixed)
    assert (
        main(
            [
                "conseil",
                "--mesure",
                "invalidation",
                "--premier-permis",
                "01/06/2010",
                "--date-mesure",
                "20/12/2023",
                "--restitution",
                "01/01/2024",
                "--duree-mois",
                "6",
                "--aujourdhui",
                "01/02/2024",
            ]
        )
        == 0
    )
    assert main(["checklist", "--retour", "annulation", "--mineur", "--photo", "courrier"]) == 0
    out = capsys.readouterr().out
    assert _bad(out) == [] and f"100{NBSP}€" in out
