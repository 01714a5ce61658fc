"""run_in_child: one protocol for the checks, the previews and the PDF rendering, with the
limits set by the child itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from fixtures.make_fixtures import make_all
from permis_tui.child_runner import PARSER_ADDRESS_SPACE, ChildFailure, run_in_child

SRC = Path(__file__).resolve().parent.parent / "src" / "permis_tui"


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("fx-runner"))


def test_preview_in_a_child(fx):
    result = run_in_child(
        "permis_tui.preview", {"path": str(fx["pdf_2"]), "kind": "pdf", "width": 40}, 30, PARSER_ADDRESS_SPACE
    )
    assert result.ok and result.value["kind"] == "text"
    assert any("Pièce justificative - page 1" in line for line in result.value["lines"])


def test_memory_cap_is_set_by_the_child(fx):
    """With 24 MiB of address space the child cannot load pypdf: it fails, and the parent
    gets a failure, not an exception; its own limit is untouched."""
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    result = run_in_child(
        "permis_tui.preview", {"path": str(fx["pdf_2"]), "kind": "pdf", "width": 40}, 30, 24 * 1024 * 1024
    )
    assert result.failure is ChildFailure.CRASHED and result.value is None
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_child_killed_at_its_deadline(fx):
    result = run_in_child(
        "permis_tui.preview", {"path": str(fx["jpeg"]), "kind": "jpeg", "width": 40}, 0.001, PARSER_ADDRESS_SPACE
    )
    assert result.failure is ChildFailure.TIMEOUT


def test_rendering_child_is_capped_too():
    from permis_tui.forms import render_child

    assert render_child.RENDER_ADDRESS_SPACE is not None
    job = render_child.recap_job("2501-ABCD-EFGH", "Demande", [], "01/05/2025 à 10:00")
    pdfs = render_child.render_in_child([job])
    assert pdfs is not None and pdfs[0].startswith(b"%PDF-")


def test_no_preexec_fn_anywhere():
    """Python documents preexec_fn as unsafe with threads, and every child is started from a worker."""
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {kw.arg for node in ast.walk(tree) if isinstance(node, ast.Call) for kw in node.keywords}
        assert "preexec_fn" not in names, path


def test_new_core_modules_load_neither_textual_nor_parsers():
    import subprocess
    import sys

    code = (
        "import sys, permis_tui.child_runner, permis_tui.os_errors, permis_tui.demande_pdfs, "
        "permis_tui.documents.checker, permis_tui.documents.child, permis_tui.preview; "
        "print(sorted(m for m in ('textual', 'rich', 'pypdf', 'PIL', 'fpdf') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr
