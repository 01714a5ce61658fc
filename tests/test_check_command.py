"""`permis-tui check`: output, JSON and exit codes, in-process and as a real process."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from permis_tui.cli import main

_spec = importlib.util.spec_from_file_location("make_fixtures", Path(__file__).parent / "fixtures" / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("check")
    made = {
        "pdf_2": ("deux_pages.pdf", mf.fpdf_pdf(2)),
        "pdf_7": ("sept_pages.pdf", mf.fpdf_pdf(7)),
        "jpeg": ("scan.jpg", mf.image_bytes(1200, 1600, "JPEG")),
        "tiny": ("petit.jpg", mf.image_bytes(300, 400, "JPEG")),
        "text": ("texte.pdf", b"pas un PDF\n"),
        "weird": (mf.WEIRD_NAME, mf.fpdf_pdf(1)),
    }
    out = {}
    for key, (name, data) in made.items():
        (d / name).write_bytes(data)
        out[key] = d / name
    return out


def test_category_over_its_limit(files, capsys):
    rc = main(["check", "--piece", "identite", str(files["pdf_2"]), str(files["jpeg"])])
    lines = capsys.readouterr().out.splitlines()
    assert rc == 1
    assert lines[0] == "Pièce d'identité (2 pages maximum)"
    assert lines[1] == f"{files['pdf_2']} : Document valide — 2 pages"
    assert lines[2] == f"{files['jpeg']} : Document valide — 1 page"
    assert lines[-1] == "Total : 3 pages / 2 pages maximum — catégorie non valide"


def test_the_files_are_parsed_in_one_checker_process(files, capsys, checker_starts):
    rc = main(["check", "--piece", "domicile", str(files["pdf_2"]), str(files["jpeg"]), str(files["tiny"])])
    assert rc == 0
    assert capsys.readouterr().out.count("Document valide") == 3
    assert len(checker_starts) == 1


def test_valid_category_with_warning(files, capsys):
    rc = main(["check", "--piece", "domicile", str(files["pdf_2"]), str(files["tiny"])])
    out = capsys.readouterr().out
    assert rc == 0
    assert "    Attention : Image de petite taille (300 × 400 px)" in out
    assert out.splitlines()[-1] == "Total : 3 pages / 5 pages maximum — catégorie valide"


def test_invalid_file_and_too_many_pages(files, capsys):
    rc = main(["check", "--piece", "identite-hebergeant", str(files["text"]), str(files["pdf_7"])])
    lines = capsys.readouterr().out.splitlines()
    assert rc == 1
    assert lines[0] == "Pièce d'identité de l'hébergeant (2 pages maximum)"
    assert lines[1].endswith(
        " : Format non accepté : fichier texte renommé en .pdf (formats acceptés : PDF, JPEG, PNG)."
    )
    assert lines[2].endswith(
        " : Trop de pages : plus de 2 pages (2 pages maximum pour la pièce d'identité de l'hébergeant)."
    )
    assert lines[-1] == "Total : au moins 3 pages / 2 pages maximum — catégorie non valide"


def test_bad_file_within_page_limit(files, capsys):
    rc = main(["check", "--piece", "medical", str(files["pdf_2"]), str(files["text"])])
    assert rc == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Total : 2 pages / 6 pages maximum — catégorie non valide (1 fichier non valide)"
    )


def test_json(files, capsys):
    rc = main(["check", "--piece", "medical", "--json", str(files["pdf_2"]), str(files["text"])])
    data = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert data["piece"] == "medical"
    assert (data["total_pages"], data["max_pages"], data["valid"]) == (2, 6, False)
    first, second = data["files"]
    assert first == {
        "path": str(files["pdf_2"]),
        "detected_type": "pdf",
        "pages": 2,
        "valid": True,
        "code": None,
        "reason": None,
        "warning": None,
        "size": files["pdf_2"].stat().st_size,
    }
    assert (second["detected_type"], second["valid"], second["pages"]) == ("texte", False, None)
    assert second["code"] == "format_refuse"  # the typed code, stable for scripts


def test_max_size_option(files, capsys):
    rc = main(["check", "--piece", "domicile", "--max-size-mb", "0,01", str(files["jpeg"])])
    assert rc == 1
    assert "Fichier trop volumineux" in capsys.readouterr().out


def test_missing_file(tmp_path, capsys):
    rc = main(["check", "--piece", "domicile", str(tmp_path / "absent.pdf")])
    assert rc == 1
    assert "Fichier introuvable : il a été déplacé ou supprimé." in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "x.pdf"],  # --piece missing
        ["check", "--piece", "passeport", "x.pdf"],
        ["check", "--piece", "identite"],  # no file
        ["check", "--piece", "identite", "--max-size-mb", "-1", "x.pdf"],
        ["check", "--piece", "identite", "--max-size-mb", "dix", "x.pdf"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "utilisation :" in capsys.readouterr().err


def test_real_process_with_awkward_name(files):
    proc = subprocess.run(
        [sys.executable, "-m", "permis_tui", "check", "--piece", "identite", "--json", str(files["weird"])],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert data["files"][0]["path"] == str(files["weird"])
    assert (data["files"][0]["pages"], data["total_pages"], data["valid"]) == (1, 1, True)
    text = subprocess.run(
        [sys.executable, "-m", "permis_tui", "check", "--piece", "identite", str(files["weird"]), str(files["pdf_7"])],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert text.returncode == 1
    assert f"{files['weird']} : Document valide — 1 page" in text.stdout
