"""Which PDFs a demande gets, decided once: validation, `export` and `form` all read it.

- the récapitulatif, always;
- the formulaire de dépôt, when the photo and the signature go by post (step 4: COURRIER).
  With the code photo signature numérique (EPHOTO) nothing is posted, so there is no form.

Domain core: no Textual, and fpdf2 only loads when a PDF is actually rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from permis_tui.model.demande import Demande
from permis_tui.model.photo import PhotoChoice


class PdfKind(StrEnum):
    RECAP = "recap"
    DEPOT = "depot"


def recap_filename(numero: str) -> str:
    return f"recapitulatif-{numero}.pdf"


def depot_filename(numero: str) -> str:
    return f"formulaire-depot-{numero}.pdf"


@dataclass(frozen=True)
class DemandePdf:
    kind: PdfKind
    filename: str

    def job(self, demande: Demande, now: datetime, today: date | None = None) -> dict[str, Any]:
        """What `forms.render_child.render` turns into this PDF. Raises ValueError when the
        état civil the formulaire de dépôt prints is incomplete."""
        from permis_tui.forms.render_child import depot_job, recap_job
        from permis_tui.recap import RECAP_PDF_TITRE, depot_data, recap_sections

        if self.kind is PdfKind.DEPOT:
            return depot_job(depot_data(demande))
        return recap_job(
            demande.numero, RECAP_PDF_TITRE, recap_sections(demande, today), f"{now:%d/%m/%Y} à {now:%H:%M}"
        )


def pdfs_of(demande: Demande) -> list[DemandePdf]:
    """The PDFs of `demande`, récapitulatif first."""
    pdfs = [DemandePdf(PdfKind.RECAP, recap_filename(demande.numero))]
    if depot_absent_reason(demande) is None:
        pdfs.append(DemandePdf(PdfKind.DEPOT, depot_filename(demande.numero)))
    return pdfs


def depot_absent_reason(demande: Demande) -> str | None:
    """Why `demande` has no formulaire de dépôt, in French; None when it has one."""
    if demande.photo.choix is PhotoChoice.COURRIER:
        return None
    if demande.photo.choix is PhotoChoice.EPHOTO:
        return "la photo et la signature sont transmises par code photo signature numérique"
    return "aucun envoi de photo par courrier n'a été choisi (étape 4)"
