"""Typing into a field redraws the field alone: TextInput keeps the text's scrolling, not
the layout of the whole screen at each keystroke."""

from __future__ import annotations

import ast
from pathlib import Path

from textual import events

from permis_tui.widgets.field_row import field_dom_id
from permis_tui.widgets.text_input import TextInput
from pilot_helpers import draft_app

SRC = Path(__file__).resolve().parents[1] / "src" / "permis_tui"


async def test_a_name_longer_than_its_field_scrolls_to_the_cursor_without_a_layout(tmp_path, monkeypatch):
    _store, _demande, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        field = app.screen.query_one("#" + field_dom_id("etat_civil.nom_naissance"), TextInput)
        field.focus()
        await pilot.pause()
        width = field.size.width
        layouts: list[bool] = []
        refresh = field.refresh

        def spy(*regions, repaint=True, layout=False, recompose=False):
            layouts.append(layout)
            return refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

        monkeypatch.setattr(field, "refresh", spy)
        typed = "Abcdefghij" * 9
        field.value = ""
        field.post_message(events.Paste(typed[:-3]))
        await pilot.pause()
        await pilot.press(*typed[-3:])
        assert field.value == typed and field.size.width == width < len(typed)
        assert layouts and not any(layouts)  # redrawn at each change, never laid out
        # The end of the name is on screen, next to the cursor, as the field scrolled.
        assert field.scroll_x > 0 and typed[-20:] in field.render_line(0).text
        await pilot.press("home")
        assert field.scroll_x == 0 and typed[:20] in field.render_line(0).text


def test_every_input_the_interface_builds_is_a_text_input():
    built = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Input":
                built.append(f"{path.relative_to(SRC)}:{node.lineno}")
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", None) == "Input" for b in node.bases):
                built.append(f"{path.relative_to(SRC)}: class {node.name}")
    assert built == ["widgets/text_input.py: class TextInput"]
