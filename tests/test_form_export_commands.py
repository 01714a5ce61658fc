"""`permis-tui form` and `permis-tui export`."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader

from demande_factory import complete_demande
from permis_tui.cli import main
from permis_tui.store import DraftStore


def _store(tmp_path) -> DraftStore:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    return store


def test_form_writes_the_deposit_form(tmp_path, capsys) -> None:
    store = _store(tmp_path)
    d = complete_demande(store)
    out = tmp_path / "sortie" / "formulaire.pdf"
    assert main(["--data-dir", str(store.root), "form", d.numero, "-o", str(out)]) == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert d.numero in text and "Lœuilliet" in text
    # The box is for the ANTS numéro; without it, small print says so.
    assert "Référence de préparation permis-tui" in text
    assert "laissée vide" in text
    assert out.stat().st_mode & 0o777 == 0o600
    assert d.numero in capsys.readouterr().out


def test_form_numero_ants_fills_the_box(tmp_path, capsys) -> None:
    store = _store(tmp_path)
    d = complete_demande(store)
    out = tmp_path / "f.pdf"
    assert main(["--data-dir", str(store.root), "form", d.numero, "-o", str(out), "--numero-ants", "24ab 12345"]) == 0
    text = PdfReader(out).pages[0].extract_text()
    assert "24AB 12345" in text and "laissée vide" not in text
    assert store.load(d.numero).numero_ants is None  # the command prints, it does not edit the demande
    assert main(["--data-dir", str(store.root), "form", d.numero, "-o", str(out), "--numero-ants", "24/12"]) == 2
    assert "--numero-ants" in capsys.readouterr().err


def test_form_leaves_an_existing_folder_mode_alone(tmp_path) -> None:
    store = _store(tmp_path)
    d = complete_demande(store)
    folder = tmp_path / "Documents"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert main(["--data-dir", str(store.root), "form", d.numero, "-o", str(folder / "f.pdf")]) == 0
    assert folder.stat().st_mode & 0o777 == 0o755


def test_form_unknown_numero(tmp_path, capsys) -> None:
    store = _store(tmp_path)
    assert main(["--data-dir", str(store.root), "form", "2611-AAAA-BBBB", "-o", str(tmp_path / "f.pdf")]) == 1
    assert "Aucune demande n° 2611-AAAA-BBBB" in capsys.readouterr().err
    assert not (tmp_path / "f.pdf").exists()


def test_form_malformed_numero(tmp_path, capsys) -> None:
    store = _store(tmp_path)
    assert main(["--data-dir", str(store.root), "form", "../../etc", "-o", str(tmp_path / "f.pdf")]) == 1
    assert "Numéro de demande invalide" in capsys.readouterr().err


def test_form_refuses_an_ephoto_demande(tmp_path, capsys) -> None:
    store = _store(tmp_path)
    d = complete_demande(store, photo="ephoto")
    assert main(["--data-dir", str(store.root), "form", d.numero, "-o", str(tmp_path / "f.pdf")]) == 1
    err = capsys.readouterr().err
    assert "pas de formulaire de dépôt" in err and "code photo signature numérique" in err
    assert not (tmp_path / "f.pdf").exists()


def test_form_refuses_an_incomplete_etat_civil(tmp_path, capsys) -> None:
    store = _store(tmp_path)
    d = complete_demande(store)
    d.etat_civil.prenoms = []
    store.save(d)
    assert main(["--data-dir", str(store.root), "form", d.numero, "-o", str(tmp_path / "f.pdf")]) == 1
    assert "prénom" in capsys.readouterr().err


def test_export_writes_json_pdfs_and_attachments(tmp_path, capsys) -> None:
    store = _store(tmp_path)
    d = complete_demande(store)
    out = tmp_path / "export"
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["demande.json", "formulaires", "manifest.json", "pieces"]
    assert sorted(p.name for p in (out / "formulaires").iterdir()) == sorted(
        [f"recapitulatif-{d.numero}.pdf", f"formulaire-depot-{d.numero}.pdf", f"delai-inscription-{d.numero}.ics"]
    )
    ics = (out / "formulaires" / f"delai-inscription-{d.numero}.ics").read_text("utf-8")
    assert "BEGIN:VEVENT" in ics and "DTSTART;VALUE=DATE:" in ics
    data = json.loads((out / "demande.json").read_text("utf-8"))
    assert data["numero"] == d.numero
    pieces = sorted(p.name for p in (out / "pieces").iterdir())
    assert pieces == sorted(f.nom_original for f in d.pieces.fichiers)  # under their original names
    for f in d.pieces.fichiers:
        assert (out / "pieces" / f.nom_original).read_bytes() == store.attachment_path(d.numero, f.fichier).read_bytes()
    reader = PdfReader(out / "formulaires" / f"recapitulatif-{d.numero}.pdf")
    assert "Document valide" in " ".join(p.extract_text() for p in reader.pages)


def test_export_ephoto_has_no_deposit_form_and_reimports(tmp_path) -> None:
    store = _store(tmp_path)
    d = complete_demande(store, photo="ephoto")
    out = tmp_path / "export"
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 0
    assert not (out / "formulaires" / f"formulaire-depot-{d.numero}.pdf").exists()
    other = tmp_path / "autre"
    assert main(["--data-dir", str(other), "import", str(out / "demande.json")]) == 0
    assert DraftStore(other).load(d.numero).etat_civil == d.etat_civil


def test_export_missing_attachment_is_reported(tmp_path, capsys) -> None:
    store = _store(tmp_path)
    d = complete_demande(store)
    store.attachment_path(d.numero, d.pieces.fichiers[0].fichier).unlink()
    out = tmp_path / "export"
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "pièce illisible" in err and "introuvable" in err and "rien n'est exporté" in err
    assert not out.exists()


def test_export_unknown_numero(tmp_path, capsys) -> None:
    store = _store(tmp_path)
    assert main(["--data-dir", str(store.root), "export", "2611-AAAA-BBBB", "-o", str(tmp_path / "x")]) == 1
    assert "Aucune demande" in capsys.readouterr().err
