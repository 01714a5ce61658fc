"""A demo session walked to validation never imports fpdf2, fontTools, Pillow, pypdf, icalendar
or dateutil.

The walk (tests/demo_walk.py) runs in a process of its own: what other tests imported
into pytest's process does not count. Documents are checked and PDFs rendered in child
processes (the deadline's .ics too); the session only builds what they print.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_full_demo_walk_to_validation_imports_no_pdf_or_image_library(tmp_path) -> None:
    walk = Path(__file__).with_name("demo_walk.py")
    proc = subprocess.run(
        [sys.executable, str(walk), str(tmp_path / "demo")], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    outcome = json.loads(proc.stdout.strip().splitlines()[-1])
    assert outcome["validee"] is True  # the walk really reached a validated demande (step 7)
    assert set(outcome["peak_kib"]) == {"accueil", "exemple", "etapes", "validation"}
    assert outcome["heavy"] == []
    # The PDFs the child rendered are there, as the validation wrote them.
    pdfs = list((tmp_path / "demo" / "demandes").glob("*/formulaires/recapitulatif-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF-")
    # The example is a retour still in its deadline: its .ics, written by the same child.
    ics = list((tmp_path / "demo" / "demandes").glob("*/formulaires/delai-inscription-*.ics"))
    assert len(ics) == 1 and b"BEGIN:VEVENT" in ics[0].read_bytes() and b"TRIGGER:-P14D" in ics[0].read_bytes()


def test_recap_and_depot_data_are_built_without_fpdf2(tmp_path) -> None:
    code = (
        "import sys\n"
        "from permis_tui import recap, validation\n"
        "from permis_tui.forms import RecapSection, DepotData\n"
        "assert RecapSection('t', [('a', 'b')]).lignes == [('a', 'b')]\n"
        "print(sorted(m for m in ('fpdf', 'fontTools', 'PIL', 'pypdf') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
