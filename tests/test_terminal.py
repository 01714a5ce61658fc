"""Terminal behaviour: too-small windows, pastes, the demo banner, the theme, the checklist."""

from __future__ import annotations

import json

from textual import events
from textual.widgets import Input

from permis_tui.cli import main
from permis_tui.screens.etat_civil_screen import EtatCivilScreen
from permis_tui.screens.home_screen import HomeScreen
from permis_tui.screens.too_small_screen import TooSmallScreen
from permis_tui.settings import load_settings
from permis_tui.store import DraftStore
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import make_app


async def test_too_small_then_recovers(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "60 × 20" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(70, 24)
        await pilot.pause()
        assert "70 × 24" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_paste_of_control_sequence_and_huge_line_is_harmless(tmp_path):
    store = DraftStore(tmp_path / "data")
    store.ensure()
    d = store.create()
    d.etape = 2
    store.save(d)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        field = app.screen.query_one("#" + field_dom_id("etat_civil.nom_naissance"), Input)
        field.focus()
        field.post_message(events.Paste("\x1b[2J\x1b]0;pwned\x07Dupont"))
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        assert app.screen.row_for("etat_civil.nom_naissance").error
        field.value = ""
        field.post_message(events.Paste("x" * 100_000))
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "100 caractères au maximum" in app.screen.row_for("etat_civil.nom_naissance").error
        await pilot.press("ctrl+q")
    saved = DraftStore(tmp_path / "data").load(d.numero)
    assert len(saved.saisies["etat_civil.nom_naissance"]) <= 2000


async def test_demo_banner_and_example_key(tmp_path):
    from permis_tui.app import PermisApp

    app = PermisApp(DraftStore(tmp_path / "demo"), demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        banner = app.screen.query_one("DemoBanner")
        assert "DÉMONSTRATION — aucune donnée n'est conservée" in str(banner.render())
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("DemoBanner")


async def test_example_key_absent_outside_demo(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert DraftStore(tmp_path / "data").list() == []


def test_config_theme_and_size(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('theme = "contraste"\nmax_file_mb = 2\n')
    settings, error = load_settings(cfg)
    assert (settings.theme, settings.max_file_bytes, error) == ("contraste", 2 * 1024 * 1024, None)
    cfg.write_text('theme = "rose"\nmax_file_mb = 2\n')
    settings, error = load_settings(cfg)
    assert error is not None and 'theme\u00a0: indiquez "defaut" ou "contraste"' in error
    assert (settings.theme, settings.max_file_bytes) == ("defaut", 2 * 1024 * 1024)  # the good key still applies
    cfg.write_text("theme = \n")
    assert "illisible" in (load_settings(cfg).error or "")


async def test_high_contrast_theme_applies(tmp_path, monkeypatch):
    cfg_dir = tmp_path / "xdg-config" / "permis-tui"
    cfg_dir.mkdir(parents=True)
    (cfg_dir / "config.toml").write_text('theme = "contraste"\n')
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)):
        assert app.theme == "permis-contraste"


def test_checklist_command(capsys):
    assert main(["checklist", "--retour", "invalidation", "--hebergement", "--photo", "courrier"]) == 0
    out = capsys.readouterr().out
    assert "lettre 48SI" in out and "Réf 44" in out
    assert "Avis médical (6 pages maximum)" in out
    assert "Attestation d'hébergement" in out
    assert "35 × 45 mm" in out
    assert main(["checklist", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    titles = [s["titre"] for s in data]
    assert not any("retour" in t for t in titles)
    assert not any("Avis médical" in e for s in data for e in s["elements"])


def test_checklist_retour_steps_and_deadline_f1704(capsys):
    """The checklist gives the order (psychotechnique, avis médical) and, from the
    hand-back date, the last day to register for the code only (F1704: 9 months)."""
    assert main(["checklist", "--retour", "invalidation", "--depuis", "01/01/2024"]) == 0
    out = capsys.readouterr().out
    assert out.index("examen psychotechnique") < out.index("puis l'avis médical")
    assert "environ 100 €" in out and "environ 36 €" in out and "environ 50 €" in out
    assert (
        "Inscrivez-vous sur le site de l'ANTS avant le 01/10/2024 (dernier jour : 30/09/2024) "
        "pour ne repasser que le code"
    ) in out
    assert "pendant l'interdiction" in out
    assert main(["checklist", "--retour", "annulation"]) == 0
    out = capsys.readouterr().out
    assert "Réf 7" in out and "aucune demande n'est possible avant" in out and "permis-tui conseil" in out
