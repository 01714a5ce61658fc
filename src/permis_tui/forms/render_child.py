"""Render PDFs (and the deadline's .ics) in a child process: `python -m permis_tui.forms.render_child`.

fpdf2 and fontTools weigh about 20 MiB once loaded, icalendar and dateutil about 8; rendering
in a short-lived child keeps them out of long-lived sessions (a shared demo server runs many).
Protocol (`child_runner`): a JSON list of jobs in, a JSON list of base64 files out.
"""

from __future__ import annotations

import base64
import sys
from dataclasses import asdict
from typing import Any

from permis_tui.child_runner import PARSER_ADDRESS_SPACE, run_in_child, serve

CHILD_TIMEOUT = 30.0
# Our own data, not a hostile file; the parsers' cap leaves fpdf2 and its fonts ample room.
RENDER_ADDRESS_SPACE = PARSER_ADDRESS_SPACE


def recap_job(numero: str, titre: str, sections: list, genere_le: str) -> dict[str, Any]:
    return {
        "kind": "recap",
        "numero": numero,
        "titre": titre,
        "genere_le": genere_le,
        "sections": [[s.titre, [list(line) for line in s.lignes]] for s in sections],
    }


def depot_job(data) -> dict[str, Any]:
    return {"kind": "depot", "data": asdict(data)}


def ics_job(event: dict[str, str]) -> dict[str, Any]:
    """`calendrier.delai_event`'s data, written as an iCalendar file."""
    return {"kind": "ics", "event": event}


def render(job: dict[str, Any]) -> bytes:
    if job["kind"] == "ics":
        from permis_tui.calendrier import ics_of

        return ics_of(job["event"])
    if job["kind"] == "depot":
        from permis_tui.forms.formulaire_depot import DepotData, render_formulaire_depot

        return render_formulaire_depot(DepotData(**job["data"]))
    from permis_tui.forms.recap_pdf import RecapSection, render_recap_pdf

    sections = [RecapSection(titre, [tuple(line) for line in lignes]) for titre, lignes in job["sections"]]
    return render_recap_pdf(job["numero"], job["titre"], sections, job["genere_le"])


def render_in_child(jobs: list[dict[str, Any]]) -> list[bytes] | None:
    """The PDFs rendered by a child process, or None if it could not run (render here then)."""
    result = run_in_child(__name__, jobs, CHILD_TIMEOUT, RENDER_ADDRESS_SPACE)
    if not result.ok or not isinstance(result.value, list):
        return None
    try:
        return [base64.b64decode(item) for item in result.value]
    except (TypeError, ValueError):
        return None


def _handle(jobs: list[dict[str, Any]]) -> list[str]:
    return [base64.b64encode(render(job)).decode("ascii") for job in jobs]


if __name__ == "__main__":
    sys.exit(serve(_handle))
