"""Help-desk features: field numbers, the spelling aid, the palette jumps, F1 help."""

from __future__ import annotations

from textual.widgets import Input

from permis_tui.screens.adresse_screen import AdresseScreen
from permis_tui.screens.etat_civil_screen import EtatCivilScreen
from permis_tui.screens.help_screen import HelpScreen
from permis_tui.screens.spelling_dialog import SpellingDialog
from permis_tui.spelling import number_words, spell
from permis_tui.store import DraftStore
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import draft_app, make_app, palette_pick, type_into, wait_until


def test_spelling_accents_and_ligatures():
    lines = spell("Lœuilliet-Élo", "text")
    assert "œ — O et E collés (e dans l'o)" in lines
    assert "É — E comme Eugène accent aigu" in lines
    assert "- — tiret" in lines
    assert "L — L comme Louis" in lines
    assert "Ł — L barré" in spell("Łucja")


def test_spelling_email_words():
    lines = spell("jean_pierre.d-x@exemple.fr", "email")
    assert "@ — arobase" in lines
    assert "_ — tiret bas" in lines
    assert ". — point" in lines
    assert "- — tiret" in lines


def test_spelling_phone_by_pairs():
    assert spell("+33 7 71 80 91 99", "phone") == [
        "07 71 80 91 99",
        "07 — zéro sept",
        "71 — soixante et onze",
        "80 — quatre-vingts",
        "91 — quatre-vingt-onze",
        "99 — quatre-vingt-dix-neuf",
    ]
    assert [number_words(n) for n in (21, 70, 77, 81)] == [
        "vingt et un",
        "soixante-dix",
        "soixante-dix-sept",
        "quatre-vingt-un",
    ]


def test_spelling_ephoto_groups_of_4():
    lines = spell("1234-5678 9012 3456 7890 A2", "code")
    assert lines[0] == "1234 5678 9012 3456 7890 A2"
    assert lines[-1] == "Groupe 6 : A2 — A comme Anatole, deux"


async def open_at(tmp_path, step):
    return draft_app(tmp_path / "data", step)[2]


async def test_field_numbers_same_at_every_size(tmp_path):
    for size in ((80, 24), (120, 40)):
        app = await open_at(tmp_path, 2)
        async with app.run_test(size=size) as pilot:
            await pilot.press("r")
            await pilot.pause()
            titles = [row.title for row in app.screen.rows.values()]
            assert "2.5 Date de naissance" in titles
            assert "2.1 Nom de naissance" in titles


async def test_f2_spells_focused_field(tmp_path):
    app = await open_at(tmp_path, 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, AdresseScreen)
        field = app.screen.query_one("#" + field_dom_id("adresse.email"), Input)
        field.focus()
        await pilot.press(*"a_b@x.fr")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SpellingDialog)
        text = str(app.screen.query_one("#spelling-lines").render())
        assert "@ — arobase" in text and "_ — tiret bas" in text
        title = str(app.screen.query_one("#spelling-title").render())
        assert "3.9 Adresse mél." in title
        await pilot.press("escape")
        await pilot.pause()
        field = app.screen.query_one("#" + field_dom_id("adresse.telephone"), Input)
        field.focus()
        await pilot.press(*"0612345678", "f2")
        await pilot.pause()
        text = str(app.screen.query_one("#spelling-lines").render())
        assert "12 — douze" in text


async def test_palette_goes_to_field_and_step(tmp_path):
    app = await open_at(tmp_path, 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await palette_pick(pilot, "2.5", "Aller au champ 2.5")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, EtatCivilScreen)
                and app.focused is not None
                and app.focused.id == field_dom_id("etat_civil.date_naissance")
            ),
            "field 2.5 focused",
        )
        await palette_pick(pilot, "étape 3", "Aller à l'étape 3")
        await wait_until(pilot, lambda: isinstance(app.screen, AdresseScreen), "step 3")


async def test_palette_opens_request_by_name(tmp_path):
    store = DraftStore(tmp_path / "data")
    store.ensure()
    a = store.create()
    a.etat_civil.nom_naissance = "Lœuilliet"
    a.etape = 2
    store.save(a)
    store.create()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await palette_pick(pilot, "loeuil", f"Ouvrir la demande n° {a.numero}")
        await wait_until(pilot, lambda: isinstance(app.screen, EtatCivilScreen), "step 2 of the demande")
        assert app.demande.numero == a.numero


async def test_f1_help_on_step(tmp_path):
    app = await open_at(tmp_path, 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "pièce d'identité" in app.screen.body
        source = app.screen.query_one("Markdown").source
        assert "À avoir sous la main" in source and "| Ctrl+N | Étape suivante >> (vérifie l'étape) |" in source
        # The step's fields from the catalogue, the keys from the bindings (F2 included).
        assert "- **2.1** Nom de naissance *" in source and "- **2.9** Ville de naissance (à l'étranger) *" in source
        assert "| F2 | Épeler" in source and "| Ctrl+P | palette de commandes" in source
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)


async def test_f2_spells_the_label_a_select_shows(tmp_path):
    """A list field is spelled as the person reads it (« Annecy (74) »), never as its stored code."""
    from textual.widgets import Select

    from permis_tui.spelling import kind_of_field

    app = await open_at(tmp_path, 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await type_into(pilot, "adresse.code_postal", "74940")
        commune = app.screen.query_one("#" + field_dom_id("adresse.commune"), Select)
        assert commune.value == "74010"  # the INSEE code is the value; the person reads the name
        commune.focus()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SpellingDialog)
        text = str(app.screen.query_one("#spelling-lines").render())
        assert text.splitlines() == spell("Annecy (74)", kind_of_field("adresse.commune"))
