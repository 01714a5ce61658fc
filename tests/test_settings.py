"""The configuration file, read and checked once at start: its mistakes told in French on the home
screen or a command's error output, its good values carried unchanged to the validation."""

from __future__ import annotations

import json
import re

import pytest

from demande_factory import complete_demande
from permis_tui.cli import main
from permis_tui.mail.mail_settings import MailSettings
from permis_tui.paths import config_file
from permis_tui.settings import Settings, load_settings
from permis_tui.store import DraftStore
from permis_tui.validation import valider
from pilot_helpers import make_app, screen_text
from test_steps_recap_confirmation import _open_at_recap, _validate
from test_validation import smtp_server  # noqa: F401 - the fixture

NB = "\u00a0"  # French typography: a no-break space before « : »


def _write_config(text: str):
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message", "applied"),
    [
        pytest.param(
            'theme = "contraste"\n[smtp]\nhost = "smtp.exemple.fr"\nport = 70000\n',
            f"[smtp] port{NB}: indiquez un numéro de port (1 à 65535) (et non 70000).",
            {"theme": "contraste", "smtp": None},
            id="smtp-port",
        ),
        pytest.param(
            'theme = "contraste"\ncouleurs = "rose"\n',
            f"clé(s) inconnue(s){NB}: couleurs (clés possibles{NB}: max_file_mb, smtp, theme).",
            {"theme": "contraste"},
            id="unknown-key",
        ),
        pytest.param(
            '[smtp]\nhost = "smtp.exemple.fr"\nmot_de_passe = "x"\n',
            f"[smtp] clé(s) inconnue(s){NB}: mot_de_passe (clés possibles{NB}: host, password_env, port, "
            "starttls, timeout, tls, user).",
            {"smtp": None},
            id="unknown-smtp-key",
        ),
        pytest.param(
            'max_file_mb = "10"\ntheme = "contraste"\n',
            f"max_file_mb{NB}: indiquez un nombre de mégaoctets entre 0 et 100 (et non '10').",
            {"max_file_mb": 10.0, "theme": "contraste"},
            id="wrong-type",
        ),
        pytest.param(
            '[smtp]\nhost = "smtp.exemple.fr"\nport = true\n',
            f"[smtp] port{NB}: indiquez un numéro de port (1 à 65535) (et non True).",
            {"smtp": None},
            id="bool-for-a-number",
        ),
    ],
)
def test_a_mistake_is_told_in_french_and_the_rest_applies(text, message, applied) -> None:
    path = _write_config(text)
    settings, error = load_settings()
    assert error == f"Fichier de configuration {path}{NB}: {message}"
    assert {key: getattr(settings, key) for key in applied} == applied


def test_several_mistakes_are_all_told() -> None:
    _write_config('theme = "rose"\nmax_file_mb = 0\n[smtp]\nport = 25\n')
    _, error = load_settings()
    assert error is not None
    for part in ("theme", "max_file_mb", f"[smtp] host{NB}: indiquez le nom du serveur de messagerie"):
        assert part in error
    assert error.count(f"{NB};") == 2


def test_a_good_file_gives_its_values() -> None:
    _write_config(
        'max_file_mb = 2.5\ntheme = "contraste"\n[smtp]\nhost = "smtp.exemple.fr"\ntls = "implicite"\n'
        'user = "marie@exemple.fr"\npassword_env = "PERMIS_TUI_SMTP_PASSWORD"\n'
    )
    settings, error = load_settings()
    assert error is None
    assert settings == Settings(
        max_file_mb=2.5,
        theme="contraste",
        smtp=MailSettings(
            host="smtp.exemple.fr",
            port=465,
            tls="implicite",
            user="marie@exemple.fr",
            password_env="PERMIS_TUI_SMTP_PASSWORD",
        ),
    )
    assert settings.max_file_bytes == int(2.5 * 1024 * 1024)


async def test_the_app_shows_a_mistake_on_its_home_screen(tmp_path) -> None:
    path = _write_config('[smtp]\nhost = "smtp.exemple.fr"\nport = "587"\n')
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = re.sub(r"[ \n]+", " ", screen_text(app))  # not str.split(): it eats the no-break spaces
        assert f"⚠ Fichier de configuration {path}{NB}: [smtp] port{NB}: indiquez un numéro de port" in text
        assert app.settings.smtp is None
        assert app.focused is not None and app.focused.is_attached and app.focused.display
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_the_settings_read_at_start_reach_the_validation(tmp_path, smtp_server) -> None:  # noqa: F811
    """The app validates with the file as it was at start: editing it later changes nothing."""
    handler, port = smtp_server()
    path = _write_config(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntls = "aucun"\ntimeout = 5\n')
    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = complete_demande(store)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        path.write_text("[smtp]\nhost = \n", encoding="utf-8")  # broken after start: not read again
        await _open_at_recap(pilot, demande)
        await _validate(pilot)
        assert app.demande is not None and app.demande.est_validee
        assert "Confirmation envoyée par courriel à marie.loeuilliet@example.fr." in screen_text(app)
    [envelope] = handler.received
    assert envelope.rcpt_tos == ["marie.loeuilliet@example.fr"]


def test_the_outbox_command_says_the_mistake_and_fails(store, capsys) -> None:
    d = complete_demande(store)
    assert valider(d, store).validee  # no server: the confirmation waits in the outbox
    path = _write_config('[smtp]\nhost = "smtp.exemple.fr"\nport = 0\n')
    assert main(["--data-dir", str(store.root), "outbox"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"permis-tui outbox{NB}: Fichier de configuration {path}{NB}: [smtp] port{NB}: indiquez un "
        "numéro de port (1 à 65535) (et non 0).\n"
    )


def test_the_import_command_says_the_mistake_and_goes_on(store, tmp_path, capsys) -> None:
    d = complete_demande(store)
    exported = tmp_path / "export"
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(exported)]) == 0
    other = tmp_path / "other"
    path = _write_config("max_file_mb = 1000\n")
    capsys.readouterr()
    assert main(["--data-dir", str(other), "import", str(exported)]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        f"permis-tui import{NB}: Fichier de configuration {path}{NB}: max_file_mb{NB}: indiquez "
        "un nombre de mégaoctets entre 0 et 100 (et non 1000).\n"
    )
    assert f"Demande n° {d.numero} importée." in captured.out
    assert DraftStore(other).load(d.numero).numero == d.numero


def test_the_check_command_applies_the_configured_size_limit(tmp_path, capsys) -> None:
    from demande_factory import small_pdf

    pdf = tmp_path / "avis.pdf"
    pdf.write_bytes(small_pdf("Avis médical"))
    assert pdf.stat().st_size > 600
    _write_config("max_file_mb = 0.0005\n")  # 524 bytes, as step 5 would apply it
    assert main(["check", "--piece", "medical", "--json", str(pdf)]) == 1
    [verdict] = json.loads(capsys.readouterr().out)["files"]
    assert not verdict["valid"] and "volumineux" in verdict["reason"]
    assert main(["check", "--piece", "medical", "--max-size-mb", "10", str(pdf)]) == 0  # the option wins
    capsys.readouterr()
    _write_config('max_file_mb = "beaucoup"\n')  # told on stderr; the default limit applies
    assert main(["check", "--piece", "medical", str(pdf)]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"permis-tui check{NB}: Fichier de configuration ") and "max_file_mb" in err
