"""The `list`, `schema` and `import` commands, through `permis_tui.cli.main`."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from permis_tui import __version__
from permis_tui.cli import main
from permis_tui.model.demande import Demande, Etat, new_numero
from permis_tui.store import DraftStore


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "donnees"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def seeded(data: Path) -> tuple[DraftStore, Demande, Demande]:
    store = DraftStore(data)
    store.ensure()
    older = store.create()
    older.etat_civil.nom_naissance = "Lefèvre"
    older.etat_civil.prenoms = ["Zoé", "Anne"]
    older.modifie_le = older.modifie_le.replace(year=2024)
    store.save(older, touch=False)
    newer = store.create()
    newer.etat = Etat.VALIDEE
    store.save(newer)
    return store, older, newer


# -- process-level -----------------------------------------------------------


def _subprocess(*argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "permis_tui", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )


def test_version_via_subprocess():
    proc = _subprocess("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"permis-tui {__version__}"


def test_help_via_subprocess_lists_commands():
    proc = _subprocess("--help")
    assert proc.returncode == 0
    for name in ("list", "schema", "import", "--data-dir", "--demo"):
        assert name in proc.stdout
    assert "permis de conduire" in proc.stdout


@pytest.mark.parametrize("command", ["list", "schema", "import"])
def test_subcommand_help(capsys, command):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "utilisation :" in capsys.readouterr().out


def test_registering_commands_imports_nothing_heavy():
    """`--help` stays fast: list, schema and import load the model only inside run()."""
    code = (
        "import argparse, importlib, sys\n"
        "sub = argparse.ArgumentParser().add_subparsers()\n"
        "for name in ('list', 'schema', 'import_'):\n"
        "    importlib.import_module('permis_tui.commands.' + name).register(sub)\n"
        "heavy = ('pydantic', 'textual', 'permis_tui.store', 'permis_tui.model.demande', 'email_validator')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


# -- list ------------------------------------------------------------------


def test_list_empty_does_not_create_folder(capsys, data):
    code, out, _ = run(capsys, "--data-dir", str(data), "list")
    assert code == 0
    assert "Aucune demande" in out
    assert not data.exists()


def test_list_table(capsys, data):
    _, older, newer = seeded(data)
    code, out, _ = run(capsys, "--data-dir", str(data), "list")
    assert code == 0
    lines = out.splitlines()
    for title in ("Numéro", "Prénom", "Nom", "Création", "Mise à jour", "État"):
        assert title in lines[0]
    assert newer.numero in lines[2] and "Validée" in lines[2]  # newest first
    assert older.numero in lines[3] and "Zoé" in lines[3] and "Lefèvre" in lines[3] and "Brouillon" in lines[3]
    assert older.modifie_le.astimezone().strftime("%d/%m/%Y") in lines[3]


def test_list_uses_env_variable_when_no_option(capsys, data, monkeypatch):
    _, older, _ = seeded(data)
    monkeypatch.setenv("PERMIS_TUI_DATA_DIR", str(data))
    _, out, _ = run(capsys, "list")
    assert older.numero in out


def test_list_reports_damaged_files(capsys, data):
    store, older, _ = seeded(data)
    bad_numero = new_numero()
    (store.demandes_dir / bad_numero).mkdir()
    (store.demandes_dir / bad_numero / "demande.json").write_bytes(b"{oops")
    bad = f"{bad_numero}/demande.json"
    code, out, _ = run(capsys, "--data-dir", str(data), "list")
    assert code == 0
    assert older.numero in out
    (line,) = [line for line in out.splitlines() if bad in line]
    assert "illisible" in line and "damaged" in line
    # Reported again on the next run, from damaged/.
    _, out2, _ = run(capsys, "--data-dir", str(data), "list", "--json")
    (problem,) = json.loads(out2)["problems"]
    assert problem["fichier"] == bad
    assert Path(problem["deplace_vers"]).parent == data / "damaged"


def test_list_escapes_terminal_sequences(capsys, data):
    store = DraftStore(data)
    store.ensure()
    weird = store.demandes_dir / f"{new_numero()}\x1b[31m"
    weird.mkdir()
    (weird / "demande.json").write_bytes(b"x")
    _, out, _ = run(capsys, "--data-dir", str(data), "list")
    assert "\x1b" not in out


def test_list_json_shape(capsys, data):
    store, older, newer = seeded(data)
    future = new_numero()
    (store.demandes_dir / future).mkdir()
    (store.demandes_dir / future / "demande.json").write_text(json.dumps({"schema_version": 99, "numero": future}))
    code, out, _ = run(capsys, "--data-dir", str(data), "list", "--json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"demandes", "problems"}
    first, second = payload["demandes"]
    assert set(first) == {"numero", "prenom", "nom", "cree_le", "modifie_le", "etat"}
    assert first["numero"] == newer.numero and first["etat"] == "validee"
    assert second == {
        "numero": older.numero,
        "prenom": "Zoé",
        "nom": "Lefèvre",
        "cree_le": older.cree_le.isoformat(),
        "modifie_le": older.modifie_le.isoformat(),
        "etat": "brouillon",
    }
    (problem,) = payload["problems"]
    assert problem["fichier"] == f"{future}/demande.json"
    assert problem["deplace_vers"] is None
    assert "plus récente" in problem["raison"]


def test_list_json_empty(capsys, data):
    _, out, _ = run(capsys, "--data-dir", str(data), "list", "--json")
    assert json.loads(out) == {"demandes": [], "problems": []}


def test_demo_and_data_dir_conflict(capsys, data):
    with pytest.raises(SystemExit) as info:
        main(["--demo", "--data-dir", str(data), "list"])
    assert info.value.code == 2
    assert "--demo" in capsys.readouterr().err


# -- schema ----------------------------------------------------------------


def test_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema == Demande.model_json_schema()
    assert {"numero", "motif", "etat_civil", "adresse", "photo", "pieces"} <= set(schema["properties"])
    assert out.startswith("{\n  ")  # indented


# -- import ----------------------------------------------------------------


def _valid_file(tmp_path: Path, **overrides) -> tuple[Path, Demande]:
    d = Demande.model_validate(
        {
            "etat_civil": {"nom_naissance": "Łukasiewicz", "prenoms": ["Jan"]},
            "adresse": {"email": "jan@exemple.fr"},
            **overrides,
        }
    )
    path = tmp_path / "demande.json"
    path.write_text(d.model_dump_json(indent=2), encoding="utf-8")
    return path, d


def imported_as(loaded, original) -> bool:
    """The file's demande, as written: the store counts its first write (revision 1)."""
    return loaded.revision == 1 and loaded.model_copy(update={"revision": original.revision}) == original


def test_import_valid(capsys, tmp_path, data):
    path, d = _valid_file(tmp_path)
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 0, err
    assert d.numero in out and "importée" in out
    loaded = DraftStore(data).load(d.numero)
    assert loaded.revision == 1  # its first write in this store
    assert loaded.model_copy(update={"revision": d.revision}) == d


def test_import_several_files_at_once(capsys, tmp_path, data):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    path_a, a = _valid_file(tmp_path / "a", numero=new_numero())
    path_b, b = _valid_file(tmp_path / "b", numero=new_numero())
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(path_a), str(path_b))
    assert code == 0, err
    assert f"Demande n° {a.numero} importée." in out and f"Demande n° {b.numero} importée." in out
    assert "2 demande(s) importée(s), 0 refusée(s)." in out
    store = DraftStore(data)
    assert imported_as(store.load(a.numero), a) and imported_as(store.load(b.numero), b)


def test_import_several_files_one_refused_others_kept(capsys, tmp_path, data):
    path, d = _valid_file(tmp_path)
    bad = tmp_path / "abime.json"
    bad.write_text("{", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(bad), str(path), str(tmp_path / "absent.json"))
    assert code == 1
    assert f"Demande n° {d.numero} importée." in out
    assert "abime.json refusé" in err and "JSON illisible" in err
    assert "Impossible de lire" in err and "absent.json : fichier introuvable." in err
    assert "1 demande(s) importée(s), 2 refusée(s)." in err
    assert imported_as(DraftStore(data).load(d.numero), d)


def test_import_standard_input_only_once(capsys, data):
    code, out, err = run(capsys, "--data-dir", str(data), "import", "-", "-")
    assert code == 1 and out == ""
    assert "ne peut être lue qu'une fois" in err


def test_import_then_list(capsys, tmp_path, data):
    path, d = _valid_file(tmp_path)
    run(capsys, "--data-dir", str(data), "import", str(path))
    _, out, _ = run(capsys, "--data-dir", str(data), "list", "--json")
    assert [x["nom"] for x in json.loads(out)["demandes"]] == ["Łukasiewicz"]


def test_import_never_overwrites_without_replace(capsys, tmp_path, data):
    store, older, _ = seeded(data)
    path, _ = _valid_file(tmp_path, numero=older.numero)
    before = store.path_of(older.numero).read_bytes()
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1
    assert "existe déjà" in err and "--replace" in err
    assert out == ""
    assert store.path_of(older.numero).read_bytes() == before

    code, out, _ = run(capsys, "--data-dir", str(data), "import", str(path), "--replace")
    assert code == 0 and "remplacée" in out
    assert store.load(older.numero).nom == "Łukasiewicz"


def test_import_bad_json(capsys, tmp_path, data):
    path = tmp_path / "x.json"
    path.write_text('{"numero": "2501-ABCD-EFGH",\n  oops}', encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1 and out == ""
    assert "ligne 2" in err and "JSON illisible" in err
    assert not data.exists()


def test_import_not_utf8(capsys, tmp_path, data):
    path = tmp_path / "x.json"
    path.write_bytes(b'{"nom": "\xe9"}')
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1 and "UTF-8" in err


def test_import_invalid_content_lists_every_error_in_french(capsys, tmp_path, data):
    path = tmp_path / "x.json"
    path.write_text(
        json.dumps(
            {
                "numero": "n'importe quoi",
                "etape": 12,
                "inconnu": True,
                "etat_civil": {"nom_naissance": "R2D2", "sexe": "X", "date_naissance": "31/02/1990"},
                "adresse": {"email": "sans-domaine@", "telephone": "0123456789"},
            }
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert "8 erreur(s)" in lines[0]
    body = "\n".join(lines[1:])
    expected = {
        "numero": "AAMM-XXXX-XXXX",
        "etape": "inférieur ou égal à 7",
        "inconnu": "champ inconnu",
        "etat_civil.nom_naissance": "chiffres",
        "etat_civil.sexe": "'F' ou 'M'",
        "etat_civil.date_naissance": "n'existe pas",
        "adresse.email": "domaine",
        "adresse.telephone": "portable",
    }
    for loc, fragment in expected.items():
        matching = [line for line in lines[1:] if line.strip().startswith(f"{loc} : ")]
        assert matching, f"no error line for {loc}:\n{body}"
        assert fragment in matching[0]
    assert "Value error" not in err and " or " not in err
    assert not data.exists()


def test_import_future_schema(capsys, tmp_path, data):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"schema_version": 7}), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1 and "plus récente" in err


def test_import_not_an_object(capsys, tmp_path, data):
    path = tmp_path / "x.json"
    path.write_text("[1, 2]", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1 and "objet JSON" in err


def test_import_missing_file(capsys, tmp_path, data):
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "absent.json"))
    assert code == 1 and "Impossible de lire" in err


def test_import_huge_file_refused(capsys, tmp_path, data, monkeypatch):
    import permis_tui.store as store_mod

    monkeypatch.setattr(store_mod, "MAX_DRAFT_BYTES", 1024 * 1024)
    path = tmp_path / "x.json"
    path.write_bytes(b" " * (1024 * 1024 + 10) + b"{}")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1 and "volumineux" in err


def test_import_deeply_nested(capsys, tmp_path, data):
    path = tmp_path / "x.json"
    path.write_text('{"saisies": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1 and "refusé" in err


def test_import_many_errors_are_capped(capsys, tmp_path, data):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({f"extra{i}": i for i in range(200)}), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1
    assert "et 150 autre(s) erreur(s)" in err
    assert len(err.splitlines()) < 60


def test_import_from_stdin(capsys, tmp_path, data, monkeypatch):
    import io

    path, d = _valid_file(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes()), encoding="utf-8"))
    code, out, _ = run(capsys, "--data-dir", str(data), "import", "-")
    assert code == 0 and d.numero in out


def test_import_read_only_folder(capsys, tmp_path, data, monkeypatch):
    path, _ = _valid_file(tmp_path)

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(path))
    assert code == 1 and out == ""
    assert "lecture seule" in err
