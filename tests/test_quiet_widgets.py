"""Widgets of the steps skip the stylesheet passes Textual runs on them before they are
mounted (widgets/quiet.py), and look exactly like Textual's own once mounted."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Button, Input, RadioButton, Select

from permis_tui.widgets.choice_set import WrappingRadioButton
from permis_tui.widgets.quiet import FieldInput, QuietButton, QuietSelect
from permis_tui.widgets.text_input import TextInput

OPTIONS = [("Rue", "rue"), ("Avenue", "avenue")]


def pairs() -> list[tuple[Widget, Widget]]:
    """(Textual's widget, the quiet one), built with the same arguments. A field's Input is
    a TextInput (no layout at each keystroke), itself styled as Textual's Input."""
    return [
        (
            Button("Étape suivante >>", compact=True, variant="primary"),
            QuietButton("Étape suivante >>", compact=True, variant="primary"),
        ),
        (Button("Enregistrer", compact=True, disabled=True), QuietButton("Enregistrer", compact=True, disabled=True)),
        (Input("Dupont", placeholder="Nom", compact=True), TextInput("Dupont", placeholder="Nom", compact=True)),
        (TextInput("Dupont", placeholder="Nom", compact=True), FieldInput("Dupont", placeholder="Nom", compact=True)),
        (TextInput(placeholder="Nom", compact=True), FieldInput(placeholder="Nom", compact=True)),
        (Select(OPTIONS, value="rue", compact=True), QuietSelect(OPTIONS, value="rue", compact=True)),
    ]


def look(widget: Widget) -> tuple:
    """The styles the stylesheet gave the widget, its parts' included (an Input's cursor…)."""
    components = {name: widget.get_component_rich_style(name) for name in sorted(widget._get_component_classes())}
    rules = widget.styles.base.get_rules()
    layout = rules.pop("layout", None)  # a new Layout object per widget: compared by name
    return rules, layout and layout.name, components


class Pairs(App):
    AUTO_FOCUS = None  # a focused Input has its own cursor style: none is focused

    def __init__(self, build=list) -> None:
        super().__init__()
        self.build = build  # called in compose: Textual's widgets need the running app
        self.built: list = []

    def compose(self) -> ComposeResult:
        self.built = self.build()
        for widget in self.built:
            yield from widget if isinstance(widget, tuple) else [widget]


async def test_quiet_widgets_are_styled_like_textuals_own_once_mounted() -> None:
    app = Pairs(pairs)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        for textual_widget, quiet in app.built:
            assert look(quiet) == look(textual_widget), type(quiet).__name__
            # Matched by the same CSS type selectors (Textual follows the first DOMNode base only).
            assert quiet._css_type_names == textual_widget._css_type_names | {type(quiet).__name__}
            # Classes too, but "-valid": Textual gives it to an Input as soon as a value is set.
            assert quiet.classes - {"-valid"} == textual_widget.classes - {"-valid"}
            assert quiet.region.size == textual_widget.region.size


def count_passes(app: App, monkeypatch) -> list[Widget]:
    passes: list = []
    apply = app.stylesheet.apply

    def counted(node, *args, **kwargs):
        passes.append(node)
        return apply(node, *args, **kwargs)

    monkeypatch.setattr(app.stylesheet, "apply", counted)
    return passes


async def test_no_stylesheet_pass_before_mounting(monkeypatch) -> None:
    app = Pairs()
    async with app.run_test(size=(80, 30)):
        passes = count_passes(app, monkeypatch)
        QuietButton("Étape suivante >>", compact=True, variant="primary")
        FieldInput("Dupont", compact=True)
        QuietSelect(OPTIONS, value="rue", compact=True)
        WrappingRadioButton("Oui", value=True)
        assert passes == []
        # What they spare: Textual's own restyle themselves as they are built.
        Button("Étape suivante >>", compact=True, variant="primary")
        RadioButton("Oui", value=True)
        assert passes


async def test_a_value_loaded_into_a_mounted_field_input_restyles_nothing(monkeypatch) -> None:
    app = Pairs(lambda: [FieldInput(compact=True), Input(compact=True)])
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        field, plain = app.built
        passes = count_passes(app, monkeypatch)
        field.value = "Dupont"
        assert passes == []
        plain.value = "Dupont"  # Textual's own Input gains "-valid": a restyle
        assert plain in passes
        await pilot.pause()
        assert look(field) == look(plain)
