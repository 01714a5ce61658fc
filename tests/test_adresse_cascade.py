"""Step 3's cascade: code postal → commune (codes-postaux base) → préfecture pre-selected."""

from __future__ import annotations

from textual.widgets import OptionList, Select

from permis_tui.referentiel import prefecture_par_defaut
from permis_tui.screens.adresse_screen import AdresseScreen
from permis_tui.store import DraftStore
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import draft_app, type_into


def _select(app, field_id: str) -> Select:
    return app.screen.query_one("#" + field_dom_id(field_id), Select)


def _options(select: Select) -> list[str]:
    """The labels the Select's drop-down (an OptionList) lists, after its blank first line."""
    return [str(option.prompt) for option in select.query_one(OptionList).options][1:]


async def _open_step3(pilot, app, demande) -> None:
    app.open_demande(demande, 3)
    await pilot.pause()
    assert isinstance(app.screen, AdresseScreen)


async def test_74940_gives_annecy_and_preselects_its_prefecture(tmp_path):
    store, demande, app = draft_app(tmp_path / "data", 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_step3(pilot, app, demande)
        await type_into(pilot, "adresse.code_postal", "74940")
        communes = _select(app, "adresse.commune")
        assert _options(communes) == ["Annecy (74)"]
        assert communes.value == "74010"
        prefecture = _select(app, "adresse.prefecture")
        assert prefecture.value == "74010"
        assert "Préfecture d'Annecy" in _options(prefecture)
        assert "Sous-préfecture de Bonneville" in _options(prefecture)
        # Still changeable, and the change is what is saved.
        prefecture.focus()
        await pilot.pause()
        prefecture.value = "74042"
        await pilot.pause()
        assert app.demande.adresse.prefecture == "74042"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = DraftStore(tmp_path / "data").load(demande.numero)
    assert (saved.adresse.code_postal, saved.adresse.commune_code, saved.adresse.commune) == (
        "74940",
        "74010",
        "Annecy",
    )
    assert saved.adresse.prefecture == "74042"
    assert saved.adresse.lignes()[-1] == "74940 ANNECY"


async def test_choosing_among_several_communes_preselects_their_prefecture(tmp_path):
    store, demande, app = draft_app(tmp_path / "data", 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_step3(pilot, app, demande)
        await type_into(pilot, "adresse.code_postal", "75015")
        communes = _select(app, "adresse.commune")
        assert _options(communes) == ["Paris 15e Arrondissement (75)", "Issy-les-Moulineaux (92)"]
        assert communes.value is Select.NULL and app.demande.adresse.prefecture is None
        communes.value = "92040"
        await pilot.pause()
        assert _select(app, "adresse.prefecture").value == "92050"  # Nanterre, préfecture of 92
        communes.value = "75115"
        await pilot.pause()
        assert app.demande.adresse.prefecture == "75056"
        assert _options(_select(app, "adresse.prefecture")) == ["Préfecture de police"]


def test_default_prefecture_is_the_communes_own_seat_or_the_departements() -> None:
    assert prefecture_par_defaut("76351", "76").nom == "Sous-préfecture du Havre"
    assert prefecture_par_defaut("76540", "76").nom == "Préfecture de Rouen"
    assert prefecture_par_defaut("74010", "74").nom == "Préfecture d'Annecy"
    assert prefecture_par_defaut("00000", "00") is None


async def test_leaving_with_the_same_code_postal_keeps_the_lists_and_the_choices(tmp_path, monkeypatch):
    """Each text field is parsed again when the step is left: an unchanged code postal sets
    the same lists again only when they differ, and the chosen commune and préfecture stay."""
    store, demande, app = draft_app(tmp_path / "data", 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_step3(pilot, app, demande)
        await type_into(pilot, "adresse.code_postal", "75015")
        communes, prefecture = _select(app, "adresse.commune"), _select(app, "adresse.prefecture")
        communes.value = "92040"
        await pilot.pause()
        prefecture.value = "92012"  # a sous-préfecture, not the one pre-selected
        await pilot.pause()
        rebuilt: list[str] = []
        for select in (communes, prefecture):
            set_options = select.set_options
            monkeypatch.setattr(select, "set_options", lambda o, s=select, f=set_options: (rebuilt.append(s.id), f(o)))
        assert app.screen.collect() == {}
        await pilot.pause()
        assert rebuilt == []
        assert (communes.value, prefecture.value) == ("92040", "92012")
        assert (app.demande.adresse.commune_code, app.demande.adresse.prefecture) == ("92040", "92012")
        assert _options(communes) == ["Paris 15e Arrondissement (75)", "Issy-les-Moulineaux (92)"]
        # A new code postal: new lists, nothing chosen among several communes.
        await type_into(pilot, "adresse.code_postal", "74940")
        app.screen.collect()
        await pilot.pause()
        assert "f-adresse-commune" in rebuilt
        assert _options(communes) == ["Annecy (74)"] and communes.value == "74010"
        assert prefecture.value == "74010"
