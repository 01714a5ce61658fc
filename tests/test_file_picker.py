"""The file picker's typed path: pasted shell quoting is understood, a bad path gets a message."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from permis_tui.widgets.file_picker import FilePicker
from pilot_helpers import make_app


async def _submit(pilot, picker: FilePicker, text: str) -> None:
    await pilot.press("ctrl+l")
    field = picker.query_one("#picker-path", Input)
    assert pilot.app.focused is field
    field.value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_unknown_user_path_shows_a_message_and_keeps_the_picker(tmp_path):
    app = make_app(tmp_path / "data")
    chosen: list[Path | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        picker = FilePicker("Pièce d'identité", start=tmp_path)
        app.push_screen(picker, chosen.append)
        await pilot.pause()
        await _submit(pilot, picker, "~jdupontinconnu/scan.pdf")
        assert app.screen is picker
        error = str(picker.query_one("#picker-error").render())
        assert "Utilisateur « jdupontinconnu » inconnu" in error
        assert picker.query_one("#picker-path", Input).value == "~jdupontinconnu/scan.pdf"
        assert chosen == []


async def test_shell_quoted_drop_is_picked(tmp_path):
    piece = tmp_path / "Pièce d'identité.pdf"
    piece.write_bytes(b"%PDF-1.4\n")
    app = make_app(tmp_path / "data")
    chosen: list[Path | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        picker = FilePicker("Pièce d'identité", start=tmp_path)
        app.push_screen(picker, chosen.append)
        await pilot.pause()
        await _submit(pilot, picker, "'" + str(piece).replace("'", "'\\''") + "' ")
        assert chosen == [piece]
    FilePicker.last_folder = None
