"""Render PDFs in a child process: `python -m permis_tui.forms.render_child`.

fpdf2 and fontTools weigh about 20 MiB once loaded; rendering in a short-lived
child keeps them out of long-lived sessions (a shared demo server runs many).
Protocol: a JSON list of jobs on stdin, a JSON list of base64 PDFs on stdout.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from dataclasses import asdict
from typing import Any

CHILD_TIMEOUT = 30.0


def recap_job(numero: str, titre: str, sections: list, genere_le: str) -> dict[str, Any]:
    return {"kind": "recap", "numero": numero, "titre": titre, "genere_le": genere_le,
            "sections": [[s.titre, [list(line) for line in s.lignes]] for s in sections]}


def depot_job(data) -> dict[str, Any]:
    return {"kind": "depot", "data": asdict(data)}


def render(job: dict[str, Any]) -> bytes:
    if job["kind"] == "depot":
        from permis_tui.forms.formulaire_depot import DepotData, render_formulaire_depot

        return render_formulaire_depot(DepotData(**job["data"]))
    from permis_tui.forms.recap_pdf import RecapSection, render_recap_pdf

    sections = [RecapSection(titre, [tuple(line) for line in lignes]) for titre, lignes in job["sections"]]
    return render_recap_pdf(job["numero"], job["titre"], sections, job["genere_le"])


def render_in_child(jobs: list[dict[str, Any]]) -> list[bytes] | None:
    """The PDFs rendered by a child process, or None if it could not run (render here then)."""
    try:
        from permis_tui.documents_child import child_env

        proc = subprocess.run([sys.executable, "-m", "permis_tui.forms.render_child"], input=json.dumps(jobs),
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT, env=child_env())
        if proc.returncode != 0:
            return None
        return [base64.b64decode(item) for item in json.loads(proc.stdout)]
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None


def main() -> int:
    jobs = json.loads(sys.stdin.read())
    sys.stdout.write(json.dumps([base64.b64encode(render(job)).decode("ascii") for job in jobs]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
