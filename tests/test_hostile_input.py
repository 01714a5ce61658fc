"""Hostile input: no control character reaches the terminal, the checker's holes.

Every hostile file is built here (tests/fixtures/make_fixtures.py); screens are captured
with `export_screenshot`, which keeps any ESC byte a widget would send to the terminal.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from permis_tui.documents import VerdictCode, check_category, check_file
from permis_tui.model.demande import Demande, load_demande
from permis_tui.model.piece_kind import PieceKind
from permis_tui.safe_text import BIDI_CONTROLS, escape, first_unsafe
from permis_tui.spelling import spell

_spec = importlib.util.spec_from_file_location("make_fixtures", Path(__file__).parent / "fixtures" / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)
make_all, make_hostile, raw_pdf = mf.make_all, mf.make_hostile, mf.raw_pdf

OSC_TITLE = "\x1b]2;pwned\x07"
HOSTILE = [OSC_TITLE, "\x1b[2J\x1b[H", "\x9b31m", "\u202eexe.pdf", "\u2066x\u2069", "\x00", "\u2028", "\ud800"]


def _no_control(text: str) -> bool:
    return first_unsafe(text) is None


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _full_draft() -> dict:
    """A draft with every text field of the model filled with a plausible value."""
    d = Demande()
    data = d.model_dump(mode="json")
    data["etat_civil"].update(
        nom_naissance="DUPONT",
        nom_usage="MARTIN",
        prenoms=["Marie"],
        date_naissance="04/07/1990",
        pays_naissance="FR",
        departement_naissance="74",
        commune_naissance_code="74010",
        commune_naissance="Annecy",
        sexe="F",
    )
    data["adresse"].update(
        numero_voie="12",
        extension="bis",
        type_voie="rue",
        nom_voie="des Lilas",
        complement="Bât. B",
        code_postal="74000",
        commune_code="74010",
        commune="Annecy",
        prefecture="74010",
        email="marie@example.fr",
        telephone="+33612345678",
    )
    data["photo"].update(choix="ephoto", code_ephoto="A" * 22, date_photo="01/01/2025")
    data["motif"]["categories_lourdes"] = ["C"]
    data["motif"]["retour"]["categories_detenues"] = ["B"]
    data["pieces"]["domicile_date"] = "01/01/2025"
    data["pieces"]["fichiers"] = [
        {
            "kind": "identite",
            "nom_original": "scan.pdf",
            "sha256": "0" * 64,
            "fichier": "0" * 64 + ".pdf",
            "taille": 10,
            "type_detecte": "pdf",
            "pages": 1,
            "valide": False,
            "raison": "Fichier vide.",
            "avertissement": "Attention.",
            "ajoute_le": datetime(2025, 1, 1, tzinfo=UTC).isoformat(),
        }
    ]
    data["saisies"] = {"adresse.nom_voie": "rue"}
    return data


TEXT_PATHS = [
    ("etat_civil", "nom_naissance"),
    ("etat_civil", "nom_usage"),
    ("etat_civil", "prenoms", 0),
    ("etat_civil", "pays_naissance"),
    ("etat_civil", "departement_naissance"),
    ("etat_civil", "commune_naissance_code"),
    ("etat_civil", "commune_naissance"),
    ("etat_civil", "date_naissance"),
    ("adresse", "numero_voie"),
    ("adresse", "extension"),
    ("adresse", "type_voie"),
    ("adresse", "nom_voie"),
    ("adresse", "complement"),
    ("adresse", "code_postal"),
    ("adresse", "commune_code"),
    ("adresse", "commune"),
    ("adresse", "prefecture"),
    ("adresse", "email"),
    ("adresse", "telephone"),
    ("photo", "code_ephoto"),
    ("photo", "date_photo"),
    ("motif", "categories_lourdes", 0),
    ("motif", "retour", "categories_detenues", 0),
    ("pieces", "domicile_date"),
    ("pieces", "identite_expiration"),
    ("pieces", "fichiers", 0, "nom_original"),
    ("pieces", "fichiers", 0, "type_detecte"),
    ("pieces", "fichiers", 0, "raison"),
    ("pieces", "fichiers", 0, "avertissement"),
    ("saisies", "adresse.nom_voie"),
]


def _set(data: dict, path: tuple, value: str) -> None:
    for key in path[:-1]:
        data = data[key]
    last = path[-1]
    data[last] = (data[last] + value) if isinstance(data[last], str) and value != "" else value


# -- 1. the model ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", TEXT_PATHS, ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize("hostile", HOSTILE, ids=[repr(h) for h in HOSTILE])
def test_no_control_character_survives_the_model(path, hostile):
    data = _full_draft()
    _set(data, path, hostile)
    try:
        demande = load_demande(data)
    except ValidationError as exc:
        messages = [e["msg"] for e in exc.errors()]
        assert all(_no_control(m) for m in messages), messages
        # The message is encodable: a lone surrogate never reaches the terminal raw.
        "\n".join(messages).encode("utf-8")
        return
    dumped = demande.model_dump(mode="json")
    # Pending text is kept as typed (nothing lost) and escaped by the screen that shows it
    # again (test_pasted_controls…); it must still be storable as UTF-8.
    pending = dumped.pop("saisies")
    assert all(_no_control(k) for k in pending)
    "".join(pending.values()).encode("utf-8")
    strings = list(_strings(dumped))
    assert all(_no_control(s) for s in strings), [s for s in strings if not _no_control(s)]


@pytest.mark.parametrize("path", TEXT_PATHS, ids=lambda p: ".".join(map(str, p)))
def test_every_model_string_is_bounded(path):
    data = _full_draft()
    _set(data, path, "A" * 4_000_000)  # a 4 MB préfecture, and the same on every field
    try:
        demande = load_demande(data)
    except ValidationError:
        return
    assert max(len(s) for s in _strings(demande.model_dump(mode="json"))) <= 2_000


def test_pending_text_is_bounded_in_entries_too():
    data = _full_draft()
    data["saisies"] = {f"champ{i}": "x" * 10 for i in range(100_000)}
    assert len(load_demande(data).saisies) == 200


def test_codes_refused_in_french():
    data = _full_draft()
    data["adresse"]["prefecture"] = "74010\x1b]2;x\x07"
    data["etat_civil"]["pays_naissance"] = "France"
    with pytest.raises(ValidationError) as info:
        load_demande(data)
    messages = {e["loc"][-1]: e["msg"] for e in info.value.errors()}
    assert messages["prefecture"] == "Value error, Préfecture : code non valide (exemple : 74010)."
    assert messages["pays_naissance"] == "Value error, Pays de naissance : code non valide (exemple : FR)."


def test_old_draft_with_escapes_loads_sanitised():
    data = _full_draft()
    data["pieces"]["fichiers"][0]["nom_original"] = f"scan{OSC_TITLE}.pdf"
    data["pieces"]["fichiers"][0]["raison"] = "Refusé\x1b[31m."
    demande = load_demande(data)
    piece = demande.pieces.fichiers[0]
    assert piece.nom_original == "scan\\x1b]2;pwned\\x07.pdf"
    assert piece.raison == "Refusé\\x1b[31m."


def test_category_with_a_lone_surrogate_is_refused_not_crashing():
    data = _full_draft()
    data["motif"]["categories_lourdes"] = ["\ud800"]
    with pytest.raises(ValidationError) as info:
        load_demande(data)
    message = info.value.errors()[0]["msg"]
    assert message == "Value error, Catégorie inconnue : \\ud800"
    str(info.value).encode("utf-8")  # printable as it is


# -- 1. what is displayed -------------------------------------------------------------------


def test_escape_makes_every_control_visible():
    assert escape(f"a{OSC_TITLE}b") == "a\\x1b]2;pwned\\x07b"
    assert escape("\x9b\u202e\ud800\u2028") == "\\u009b\\u202e\\ud800\\u2028"
    assert escape("ligne 1\nligne\t2", keep_newlines=True) == "ligne 1\nligne\t2"
    assert escape("Élodie O'Brien — 12 rue d'Ys") == "Élodie O'Brien — 12 rue d'Ys"
    assert all(escape(c) != c for c in BIDI_CONTROLS)


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_escaped_text_is_safe_and_utf8(text):
    shown = escape(text)
    assert _no_control(shown)
    shown.encode("utf-8")


async def test_screens_never_send_escapes(tmp_path):
    """Step 5 (while a hostile file is checked, then after) and step 6 of an imported draft
    carrying OSC sequences, captured as drawn."""
    import threading

    from permis_tui.app import PermisApp
    from permis_tui.store import DraftStore
    from pilot_helpers import start_checks_done, wait_until

    class HeldChecker:
        """Holds each check until the test has looked at the screen, then lets check_file
        check in this process (it returns None)."""

        def __init__(self) -> None:
            self.release = threading.Event()

        def check_content(self, request):
            self.release.wait(30)

    hostile_file = tmp_path / f"carte{OSC_TITLE}.pdf"
    hostile_file.write_bytes(make_all(tmp_path / "fx")["pdf_1"].read_bytes())

    data = _full_draft()
    data["pieces"]["fichiers"][0]["nom_original"] = f"scan{OSC_TITLE}.pdf"
    data["pieces"]["fichiers"][0]["raison"] = "Refusé\x1b[2J."
    data["motif"].update(motif="inscription", personne="majeure", type_inscription="premiere", categorie_lourde=False)
    demande = load_demande(data)
    held = HeldChecker()
    app = PermisApp(DraftStore(tmp_path / "data"), checker=held)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)  # start-up recovery never races the write below
        app.store.save(demande)
        for step in (5, 6):
            app.open_demande(demande, step)
            await pilot.pause()
            await pilot.pause()
            if step == 5:  # the name shown while its check runs ("Vérification en cours… …")
                app.screen.start_check(PieceKind.IDENTITE, hostile_file)
                # The line appears once the check has run for a moment.
                await wait_until(pilot, lambda: PieceKind.IDENTITE in app.screen.busy_shown, "the busy line")
                await pilot.pause()
                busy = app.export_screenshot()
                held.release.set()
                assert "Vérification" in busy and "carte\\x1b]2;pwned\\x07.pdf" in busy.replace("&#160;", " ")
                assert "\x1b" not in busy
                for worker in list(app.workers):
                    if worker.group.startswith("pieces-"):
                        await worker.wait()
                await pilot.pause()
            svg = app.export_screenshot()
            assert "\x1b" not in svg and "\x07" not in svg
            if step == 5:
                assert "scan\\x1b]2;pwned\\x07.pdf" in svg.replace("&#160;", " ")
            assert app.focused is not None and app.focused.is_attached


async def test_pasted_controls_arrive_visible_and_drafts_keep_what_was_typed(tmp_path):
    from textual import events
    from textual.widgets import Input

    from permis_tui.widgets.field_row import field_dom_id
    from pilot_helpers import make_app, start_checks_done

    data = _full_draft()
    data["motif"].update(motif="inscription", personne="majeure", type_inscription="premiere", categorie_lourde=False)
    data["saisies"] = {"adresse.complement": f"Bât{OSC_TITLE}"}
    demande = load_demande(data)
    assert demande.saisies["adresse.complement"] == f"Bât{OSC_TITLE}"  # nothing lost in the draft
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        app.store.save(demande)
        app.open_demande(demande, 3)
        await pilot.pause()
        complement = app.screen.query_one("#" + field_dom_id("adresse.complement"), Input)
        assert complement.value == "Bât\\x1b]2;pwned\\x07"  # shown again, escaped
        voie = app.screen.query_one("#" + field_dom_id("adresse.nom_voie"), Input)
        voie.focus()
        voie.value = ""
        await pilot.pause()
        app.post_message(events.Paste(f"rue{OSC_TITLE}\x9b"))  # as the terminal's driver posts it
        await pilot.pause()
        assert voie.value == "rue\\x1b]2;pwned\\x07\\u009b"
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x9b" not in svg
        assert app.focused is voie


async def test_file_picker_lists_hostile_names_escaped(tmp_path):
    from permis_tui.widgets.file_picker import DocumentTree, FilePicker
    from pilot_helpers import make_app, wait_until

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / f"scan{OSC_TITLE}.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "facture\u202efdp.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(FilePicker("Pièce d'identité", folder))
        await wait_until(
            pilot,
            lambda: any(len(tree.root.children) > 0 for tree in app.screen.query(DocumentTree)),
            "the folder listed",
        )
        tree = app.screen.query_one(DocumentTree)
        labels = sorted(str(node.label) for node in tree.root.children)
        assert labels == ["facture\\u202efdp.pdf", "scan\\x1b]2;pwned\\x07.pdf"]
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg
        assert app.focused is tree


# -- 1. the command line --------------------------------------------------------------------


def _cli(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "permis_tui", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_check_output_never_carries_a_control(tmp_path):
    name = f"scan{OSC_TITLE}.pdf"
    (tmp_path / name).write_bytes(make_all(tmp_path / "fx")["pdf_1"].read_bytes())
    proc = _cli("check", "--piece", "identite", name, cwd=tmp_path)
    assert b"\x1b" not in proc.stdout + proc.stderr
    assert "scan\\x1b]2;pwned\\x07.pdf : Document valide — 1 page" in proc.stdout.decode("utf-8")


def test_every_command_output_is_escaped(monkeypatch, capfd):
    """Whatever a command prints (a draft's field, a server's reply), on stdout or stderr."""
    from permis_tui import cli
    from permis_tui.commands import schema

    def noisy(args) -> int:
        print(f"nom : scan{OSC_TITLE}.pdf \u202egpj.exe")
        print(f"erreur : \x9b31m{OSC_TITLE}", file=sys.stderr)
        return 1

    monkeypatch.setattr(schema, "run", noisy)
    assert cli.main(["schema"]) == 1
    out, err = capfd.readouterr()
    assert out == "nom : scan\\x1b]2;pwned\\x07.pdf \\u202egpj.exe\n"
    assert err == "erreur : \\u009b31m\\x1b]2;pwned\\x07\n"
    assert sys.stdout is not None and not hasattr(sys.stdout, "_stream")  # streams restored


def test_json_output_is_always_utf8(tmp_path):
    fx = make_all(tmp_path / "fx")
    raw_name = b"facture-\xff\xfe.pdf"  # not UTF-8: decoded with surrogateescape by Python
    (tmp_path / os.fsdecode(raw_name)).write_bytes(fx["pdf_1"].read_bytes())
    (tmp_path / "vide.pdf").write_bytes(b"")
    proc = _cli("check", "--piece", "identite", "--json", raw_name, "vide.pdf", cwd=tmp_path)
    payload = json.loads(proc.stdout.decode("utf-8"))  # strict UTF-8, strict JSON
    first, empty = payload["files"]
    assert first["path"] == "facture-\\udcff\\udcfe.pdf" and first["valid"] and first["pages"] == 1
    assert (empty["reason"], empty["pages"]) == (VerdictCode.FILE_EMPTY.text(), None)  # like every other refusal


# -- 7. F2 speller --------------------------------------------------------------------------


@given(st.text(max_size=60), st.sampled_from(["text", "phone", "code", "email"]))
@settings(max_examples=400, deadline=None)
def test_speller_spells_any_text(value, kind):
    lines = spell(value, kind)
    assert lines and all(isinstance(line, str) and _no_control(line) for line in lines)
    "\n".join(lines).encode("utf-8")


def test_speller_on_a_phone_with_superscript_two():
    lines = spell("06 ²2 34", "phone")
    assert "² — caractère « ² » (superscript two)" in lines
    assert spell("06 12 34 56 78", "phone")[:2] == ["06 12 34 56 78", "06 — zéro six"]


# -- 8. the checker -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return make_hostile(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("isolated", [False, True], ids=["in-process", "child"])
def test_damaged_kids_is_never_one_page(hostile, isolated):
    v = check_file(hostile["damaged_kids"], 2, kind=PieceKind.IDENTITE, isolated=isolated)
    assert (v.valid, v.pages, v.reason) == (False, None, VerdictCode.PDF_BROKEN_TREE.text())
    # Fourteen pages allowed: still not counted from a tree that lost its /Kids.
    assert check_file(hostile["damaged_kids"], 20).reason == VerdictCode.PDF_BROKEN_TREE.text()


def test_pages_node_without_kids_is_not_a_page(tmp_path):
    path = tmp_path / "pages_sans_kids.pdf"
    path.write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 3 >>"]))
    assert check_file(path, 6).reason == VerdictCode.PDF_BROKEN_TREE.text()


def test_object_stream_of_65543_objects_is_counted(hostile):
    v = check_file(hostile["object_stream_65543"], 2, isolated=True)
    assert (v.valid, v.pages) == (True, 1)


def test_huge_images_are_checked_without_decoding_them_whole(hostile):
    """Peak memory of a process that checks each image: the decoded image alone is 196 MB.

    Linux carries a process's peak RSS across fork and exec, so the measured process is
    started by a small intermediate one, not by pytest itself.
    """
    inner = (
        "import json, sys; from permis_tui.documents import check_file; "
        "v = check_file(sys.argv[1], 2); print(json.dumps([v.valid, v.pages, v.width]))"
    )
    outer = (
        "import json, os, subprocess, sys; "
        "p = subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[2]], stdout=subprocess.PIPE); "
        "out = p.stdout.read(); _, status, usage = os.wait4(p.pid, 0); "
        "print(json.dumps([json.loads(out), usage.ru_maxrss // 1024]))"
    )
    for key in ("png_rgba_7000", "png_16bit_7000"):
        proc = subprocess.run(
            [sys.executable, "-c", outer, inner, str(hostile[key])], capture_output=True, text=True, check=True
        )
        verdict, peak_mib = json.loads(proc.stdout)
        assert verdict == [True, 1, 7000]
        assert peak_mib < 100, f"{key}: {peak_mib} MiB"


def test_damaged_big_png_is_still_refused(tmp_path, hostile):
    data = hostile["png_rgba_7000"].read_bytes()
    idat = data.index(b"IDAT")
    length = int.from_bytes(data[idat - 4 : idat], "big")
    import zlib

    cut = data[idat + 4 : idat + 4 + length // 2]  # half the pixel data, with a valid CRC
    chunk = len(cut).to_bytes(4, "big") + b"IDAT" + cut + zlib.crc32(b"IDAT" + cut).to_bytes(4, "big")
    path = tmp_path / "moitie.png"
    path.write_bytes(data[: idat - 4] + chunk + data[idat + 4 + length + 4 :])
    assert check_file(path, 2).reason == "Image endommagée ou incomplète."


@pytest.mark.parametrize(
    ("key", "pages"), [("junk_before_header", 1), ("attachment_encryption", 1), ("trailer_without_xref", 2)]
)
def test_files_readers_open_are_accepted(hostile, key, pages):
    v = check_file(hostile[key], 2, isolated=True)
    assert (v.valid, v.pages, v.reason) == (True, pages, None)


def test_true_reasons_for_refusals(hostile, tmp_path):
    assert check_file(hostile["huge_number"], 2).reason == VerdictCode.PDF_HUGE_TOKEN.text()
    assert check_file(make_all(tmp_path)["bomb"], 2).reason == VerdictCode.PDF_BOMB.text()  # a real bomb stays one
    assert check_file(make_all(tmp_path)["rc4"], 2).reason == VerdictCode.PDF_PROTECTED.text()  # and a real password


def test_check_command_parses_in_a_child(tmp_path, hostile):
    """`permis-tui check` never loads pypdf itself: each file meets the child's deadline and cap."""
    script = (
        "import sys; from permis_tui.cli import main; "
        "code = main(['check', '--piece', 'identite', *sys.argv[1:]]); "
        "import threading; print('pypdf' in sys.modules, 'PIL.Image' in sys.modules, "
        "[t.name for t in threading.enumerate() if t.name == 'permis-tui-check'], code)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(hostile["object_stream_65543"]), str(hostile["png_rgba_7000"])],
        capture_output=True,
        text=True,
    )
    assert proc.stdout.strip().splitlines()[-1] == "False False [] 0"


def test_category_sums_child_verdicts(hostile):
    result = check_category([hostile["damaged_kids"], hostile["junk_before_header"]], PieceKind.MEDICAL, isolated=True)
    assert [v.reason for _, v in result.files] == [VerdictCode.PDF_BROKEN_TREE.text(), None]
    assert (result.total_pages, result.valid) == (1, False)


# -- 6. SMTP configuration ------------------------------------------------------------------


def test_smtp_mistake_is_reported_at_start(tmp_path):
    from permis_tui.settings import load_settings

    cfg = tmp_path / "config.toml"
    cfg.write_text('[smtp]\nhost = "smtp..exemple.fr"\nuser = "marie"\npassword_env = "PW"\n', encoding="utf-8")
    assert load_settings(cfg).error == (
        f"Fichier de configuration {cfg} : [smtp] host : « smtp..exemple.fr » n'est pas un nom de serveur valide."
    )
    cfg.write_text('[smtp]\nhost = "smtp.exemple.fr"\ntls = "aucun"\nuser = "marie"\n', encoding="utf-8")
    assert "le mot de passe de user serait envoyé en clair" in load_settings(cfg).error


@pytest.mark.parametrize("failure", ["host", "crash"])
def test_validated_demande_is_told_validated_whatever_smtp_does(store, monkeypatch, failure):
    from demande_factory import complete_demande
    from permis_tui.mail.mail_settings import MailSettings
    from permis_tui.mail.outbox import Outbox
    from permis_tui.model.demande import Etat
    from permis_tui.settings import Settings
    from permis_tui.validation import valider

    d = complete_demande(store)
    # Settings the start-up check refuses, built unchecked (the sender must not rely on that
    # check): sending must still fail after the demande is saved validée, and say so truthfully.
    bad = MailSettings.model_construct(host="smtp..exemple.fr", port=587, tls="starttls", timeout=1.0)
    if failure == "crash":

        def crash(self, path, settings):
            raise RuntimeError("unexpected")

        monkeypatch.setattr(Outbox, "send_stored", crash)  # the email is queued, then sent
    result = valider(d, store, settings=Settings(smtp=bad))
    assert result.validee and not result.courriel_envoye
    expected = (
        "Le nom du serveur de messagerie smtp..exemple.fr:587 n'est pas valide ([smtp] host)."
        if failure == "host"
        else "Le courriel de confirmation n'a pas pu être envoyé (RuntimeError)."
    )
    assert result.courriel_message.startswith(expected)
    assert store.load(d.numero).etat is Etat.VALIDEE
