"""A formulaire de dépôt printed from a brouillon says "BROUILLON — ne pas envoyer" across the page."""

from __future__ import annotations

import io
import math
from dataclasses import replace

from pypdf import PdfReader

from demande_factory import complete_demande
from permis_tui.cli import main
from permis_tui.forms.formulaire_depot import (
    BROUILLON_ANGLE,
    BROUILLON_LINE,
    BROUILLON_MARK,
    BROUILLON_SIZE,
    DepotData,
    render_formulaire_depot,
)
from permis_tui.model.demande import Etat
from permis_tui.recap import depot_data
from permis_tui.store import DraftStore

SAMPLE = DepotData(
    numero="2611-AAAA-BBBB",
    nom_naissance="Lœuilliet",
    nom_usage=None,
    prenoms=["Marie-Ève"],
    sexe="F",
    date_naissance="04/07/1990",
    adresse_lignes=["12 rue des Marquisats", "74000 ANNECY"],
)


def pdf_text(data: bytes, tmp_path) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def mark_runs(data: bytes) -> list[tuple[float, float]]:
    """(angle in degrees, font size) of each text run that is the mark alone."""
    runs = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip() == BROUILLON_MARK:
            runs.append((math.degrees(math.atan2(cm[1], cm[0])), size))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return runs


def test_depot_data_marks_a_brouillon_only() -> None:
    d = complete_demande()
    assert d.etat is Etat.BROUILLON and depot_data(d).brouillon
    assert not depot_data(d.model_copy(update={"etat": Etat.VALIDEE})).brouillon


def test_brouillon_mark_is_printed_on_the_page(tmp_path) -> None:
    marked = pdf_text(render_formulaire_depot(replace(SAMPLE, brouillon=True)), tmp_path)
    assert BROUILLON_MARK == "BROUILLON — ne pas envoyer"
    assert marked.count(BROUILLON_MARK) == 2  # the diagonal mark, and the margin line that holds it
    assert BROUILLON_LINE in marked  # the line in the top margin
    # Across the page: one large run on its own, drawn at the diagonal's angle.
    [(angle, size)] = mark_runs(render_formulaire_depot(replace(SAMPLE, brouillon=True)))
    assert abs(angle - BROUILLON_ANGLE) < 0.5 and size == BROUILLON_SIZE
    assert "Lœuilliet" in marked  # the form itself is still there
    assert "BROUILLON" not in pdf_text(render_formulaire_depot(SAMPLE), tmp_path)


def test_form_command_on_a_brouillon_prints_the_mark(tmp_path, capsys) -> None:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    d = complete_demande(store)
    out = tmp_path / "formulaire.pdf"
    assert main(["--data-dir", str(store.root), "form", d.numero, "-o", str(out)]) == 0
    assert BROUILLON_MARK in pdf_text(out.read_bytes(), tmp_path)
    assert "Demande non validée" in capsys.readouterr().out
    validee = store.load(d.numero)
    validee.etat = Etat.VALIDEE
    store.save(validee)
    assert main(["--data-dir", str(store.root), "form", d.numero, "-o", str(out)]) == 0
    assert "BROUILLON" not in pdf_text(out.read_bytes(), tmp_path)
    assert "Demande non validée" not in capsys.readouterr().out
