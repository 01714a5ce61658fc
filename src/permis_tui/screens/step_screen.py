"""Shared frame of the seven steps: stepper, error summary, fields, navigation.

Text fields are parsed when the person leaves a step (or a field): a value that
parses goes into the model; one that does not stays as typed in
`demande.saisies`, so nothing is ever lost, and its message shows at the field.
Choice controls (radio sets, lists) write straight into the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, OptionList, RadioSet, Select, Static
from textual.widgets.option_list import Option

from permis_tui.model import catalogue
from permis_tui.model.completeness import STEP_TITLES, FieldIssue, step_issues
from permis_tui.model.fields import InvalidValue
from permis_tui.safe_text import escape
from permis_tui.widgets.check_grid import CheckGrid
from permis_tui.widgets.choice_set import ChoiceSet
from permis_tui.widgets.demo_banner import DemoBanner
from permis_tui.widgets.field_row import FieldRow, field_dom_id
from permis_tui.widgets.key_bar import KeyBar
from permis_tui.widgets.quiet import FieldInput, QuietButton
from permis_tui.widgets.search_select import SearchSelect
from permis_tui.widgets.step_body import StepBody
from permis_tui.widgets.stepper import Stepper

if TYPE_CHECKING:
    from permis_tui.app import PermisApp


@dataclass
class TextField:
    field_id: str
    parse: Callable[[str], Any]  # raises InvalidValue; "" → None
    get: Callable[[], str]  # model value, formatted for display
    set: Callable[[Any], None]  # store a parsed value


class PiecesReverified(Message):
    """Stored copies checked again: (old, new) for each piece whose verdict changed."""

    def __init__(self, numero: str, changes: list) -> None:
        super().__init__()
        self.numero = numero
        self.changes = changes


SAVE_NOTICE = "La demande sera enregistrée dès votre première réponse."


class ErrorSummary(OptionList):
    """GOV.UK-style summary: each problem is a line; Entrée jumps to its field."""

    def show_problems(self, header: str, problems: list[tuple[str, str]]) -> None:
        """`problems`: (field id, text) lines under the header; hidden when there are none.

        A problem line is always highlighted, so that Entrée works as soon as the list has
        the focus (an OptionList starts with none, and Entrée then does nothing)."""
        previous = self.highlighted_option.id if self.highlighted_option is not None else None
        self.clear_options()
        self.display = bool(problems)
        if not problems:
            return
        self.add_option(Option(header, disabled=True))
        self.add_options(Option(text, id=field_id) for field_id, text in problems)
        ids = [field_id for field_id, _ in problems]
        self.highlighted = 1 + (ids.index(previous) if previous in ids else 0)


def step_keys(app_bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """The keys of a step, for F1: the widgets' own, the step's bindings, then the app's."""
    from permis_tui.screens.help_screen import FIELD_KEYS, key_rows

    return list(FIELD_KEYS) + key_rows(StepScreen.BINDINGS) + key_rows(app_bindings)


class StepScreen(Screen):
    if TYPE_CHECKING:  # what `self.app` is for the type checker; at run time, Textual's own property
        app = getters.app(PermisApp)
    # No automatic focus: `initial_focus` chooses, once the step is laid out.
    AUTO_FOCUS = ""
    STEP: ClassVar[int] = 0
    HELP: ClassVar[str] = ""
    # Controls still usable on a read-only (validée) demande, as a selector.
    EDITABLE_WHEN_READ_ONLY: ClassVar[str] = ""

    BINDINGS = [
        # The tooltip is the line of the F1 keys table (and of the README's, checked by a test).
        Binding("ctrl+n", "next", "Suivante", id="step.next", tooltip="Étape suivante >> (vérifie l'étape)"),
        Binding(
            "ctrl+b", "previous", "Précédente", id="step.previous", tooltip="<< Étape précédente (rien n'est perdu)"
        ),
        Binding("ctrl+s", "save", "Enregistrer", id="step.save", tooltip="Enregistrer"),
        Binding(
            "f1",
            "help",
            "Aide",
            id="step.help",
            tooltip="aide de l'écran : ce qu'il demande, ses champs, les documents à avoir sous la main",
        ),
        Binding(
            "f2",
            "spell",
            "Épeler",
            id="step.spell",
            tooltip="Épeler : la valeur du champ, lettre par lettre (A comme Anatole…), les accents nommés",
        ),
        # F3 beside F1 and F2: Ctrl+H is Backspace in many terminals, Échap closes lists.
        Binding(
            "f3",
            "home",
            "Accueil",
            id="step.home",
            tooltip="Accueil : enregistre la demande et revient à « Mes demandes en cours » (aussi dans la palette)",
        ),
    ]

    def __init__(self, *, return_to_recap: bool = False) -> None:
        super().__init__(classes="step-screen")
        self.return_to_recap = return_to_recap
        self._text_fields: dict[str, TextField] = {}
        self._choice_fields: list[str] = []  # set again from the model when the step is shown again
        self.rows: dict[str, FieldRow] = {}
        # Once the person has tried to go on, the summary follows every field's message.
        self._summary_shown = False
        # See update_node_styles: Textual styles each widget as it is mounted.
        self._styles_current = True
        self.discarded = False  # the app no longer shows it again: removed once left

    @property
    def demande(self):
        return self.app.demande

    @property
    def read_only(self) -> bool:
        # Validée, or open for changes in another session (the app could not take its lock).
        # No demande: the step is being left (the app closed it first), while the key bar
        # still asks it which actions are enabled; nothing can be changed there any more.
        if self.demande is None:
            return True
        return self.demande.est_validee or self.app.saves.read_only_reason is not None

    # -- layout ----------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self.app.demo:
            yield DemoBanner()
        yield Stepper(self.STEP, done=set(range(1, self.demande.etape)))
        yield Static(self._banner(), id="step-banner", markup=False)
        yield Static(SAVE_NOTICE, id="save-notice", markup=False)
        yield ErrorSummary(id="error-summary")
        with StepBody(id="step-body"):
            yield from self.compose_body()
        with Horizontal(id="step-nav"):
            yield QuietButton("<< Étape précédente", id="nav-previous", compact=True)
            yield QuietButton("Enregistrer", id="nav-save", compact=True, disabled=self.read_only)
            yield QuietButton("Étape suivante >>", id="nav-next", compact=True, variant="primary")
        yield KeyBar()

    def _banner(self) -> str:
        d = self.demande
        who = " ".join(p for p in (d.prenom, d.nom) if p)
        text = f"Demande n° {d.numero}" + (f" — {who}" if who else "")
        if d.est_validee:
            text += " — VALIDÉE (lecture seule)"
        elif self.read_only:
            text += " — LECTURE SEULE (autre session)"
        return text

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    # -- rows built from the field catalogue --------------------------------
    def text_field(self, field_id: str, *, set: Callable[[Any], None] | None = None) -> FieldRow:
        """A typed field: parsed, shown and stored as the catalogue says (`set`: a setter with
        side effects on the screen, such as the postal code filling the communes)."""
        f = catalogue.field(field_id)
        parse = f.parse
        assert parse is not None, f"{field_id} is not a typed field"
        self._text_fields[field_id] = TextField(
            field_id,
            parse=lambda raw: parse(raw, self.demande),
            get=lambda: f.shown(self.demande),
            set=set or (lambda value: f.store(self.demande, value)),
        )
        control = FieldInput(placeholder=f.placeholder, id=field_dom_id(field_id), select_on_focus=False, compact=True)
        return self.field_row(field_id, control)

    def choice_field(self, field_id: str) -> FieldRow:
        """Radio buttons with the catalogue's options, set from the model."""
        f = catalogue.field(field_id)
        self._choice_fields.append(field_id)
        return self.field_row(field_id, ChoiceSet(f.options, value=f.value(self.demande), id=field_dom_id(field_id)))

    def field_row(self, field_id: str, control: Widget) -> FieldRow:
        f = catalogue.field(field_id)
        row = FieldRow(field_id, f.number, f.label, control, hint=f.hint, required=f.required)
        self.rows[field_id] = row
        return row

    def store_choice(self, event: RadioSet.Changed) -> str | None:
        """A catalogue field's radio set changed: its value goes into the model and its message
        goes. Returns the field id (None when nothing may change)."""
        if not isinstance(event.radio_set, ChoiceSet) or self.read_only:
            return None
        field_id = self._row_field_id_of(event.radio_set)
        if field_id is None:
            return None
        catalogue.field(field_id).store(self.demande, event.radio_set.value)
        self.rows[field_id].set_error(None)
        return field_id

    # -- model <-> widgets -------------------------------------------------
    def on_mount(self) -> None:
        self.query_one("#error-summary").display = False
        self.load()
        if self.read_only:
            keep = set(self.query(self.EDITABLE_WHEN_READ_ONLY)) if self.EDITABLE_WHEN_READ_ONLY else set()
            for widget in self.query_one("#step-body").query("Input, RadioSet, Select, Checkbox, SearchSelect, Button"):
                widget.disabled = widget not in keep
        # Focus now, not after the first refresh: keys typed as soon as the step appears
        # (a help-desk agent dictating, a paste) must reach the first field, not be lost.
        self._ensure_focus()
        # After this step's first frame: collections resume, the next steps' data is read.
        self.call_after_refresh(self.app.step_shown)

    def load(self) -> None:
        """Show the demande's values, messages for text kept invalid, conditional fields."""
        self.query_one("#save-notice").display = self.app.rien_a_enregistrer
        self.load_text_fields()
        self.load_controls()
        self.load_search_selects()
        self.refresh_dynamic()
        self.show_pending_errors()

    def show_again(self, *, return_to_recap: bool, resumed: bool = True) -> None:
        """The app shows this step again for the same demande (it keeps built steps): it must
        look as a newly built one would, with the values the demande holds now (another step,
        the palette or the récapitulatif may have changed them). `resumed`: the app makes it
        the current screen next."""
        self.return_to_recap = return_to_recap
        self.query_one(Stepper).show(self.STEP, done=set(range(1, self.demande.etape)))
        banner = self.query_one("#step-banner", Static)
        if banner.content != (text := self._banner()):
            banner.update(text)
        # Values set from the model are not answers: no handler may store them back.
        with self.prevent(RadioSet.Changed, Select.Changed, Checkbox.Changed, CheckGrid.Changed):
            for field_id, control in self._choice_sets():
                control.show_value(catalogue.field(field_id).value(self.demande))
            self.load_composed()
            self._summary_shown = False
            for row in self.rows.values():
                row.set_error(None)
            self.refresh_summary()  # hidden, as when built (the récapitulatif fills it in load)
            self.load()
        self.query_one("#step-body").scroll_home(animate=False, immediate=True)
        self.set_focus(self.initial_focus())
        self._styles_current = resumed

    def on_resize(self, event: events.Resize) -> None:
        # A new screen's first layout sends the screen a Resize to the size it was just laid
        # out at, and Textual's handler lays the whole step out again (30 ms and more): not
        # needed. A terminal resized finds the screen at its old size and goes through.
        if event.size == self.outer_size:
            event.prevent_default()

    def on_screen_suspend(self) -> None:
        self.app.release_step(self)

    def update_node_styles(self, animate: bool = True) -> None:
        # Textual restyles a whole screen each time it becomes current (ScreenResume), for
        # a theme or stylesheet changed while it was hidden: 40 ms and more for a step's
        # 100-odd widgets, the largest part of a step change. A new step's widgets were
        # styled as they were mounted; a built step's styles are kept up to date while it
        # is hidden (each class change restyles its widgets at once), and the app drops
        # built steps when the theme changes: that one restyle is skipped. Only the first
        # call after show_again (or the first ever) is skipped: if another screen-wide
        # restyle came first, the resume's own still runs.
        if self._styles_current:
            self._styles_current = False
            return
        super().update_node_styles(animate=animate)

    def can_show_again(self) -> bool:
        """False when a control cannot show the demande's value: the app builds the step anew."""
        return all(
            control.can_show(catalogue.field(field_id).value(self.demande)) for field_id, control in self._choice_sets()
        )

    def _choice_sets(self) -> Iterable[tuple[str, ChoiceSet]]:
        for field_id in self._choice_fields:
            control = self.rows[field_id].control
            if isinstance(control, ChoiceSet):
                yield field_id, control

    def load_composed(self) -> None:
        """Set again from the model the controls that compose built with a value (override)."""

    def load_text_fields(self) -> None:
        for tf in self._text_fields.values():
            pending = self.demande.saisies.get(tf.field_id)
            value = escape(pending) if pending is not None else tf.get()  # raw text from a draft: shown escaped
            self.query_one("#" + field_dom_id(tf.field_id), Input).value = value or ""

    def load_controls(self) -> None:
        """Set choice controls from the model (override)."""

    def load_search_selects(self) -> None:
        from permis_tui.widgets.search_select import SearchSelect

        for field_id, row in self.rows.items():
            pending = self.demande.saisies.get(field_id)
            if isinstance(row.control, SearchSelect) and pending:
                row.control.set_choice(None, escape(pending))

    def refresh_dynamic(self) -> None:
        """Show or hide conditional fields, update derived facts (override)."""

    def show_pending_errors(self) -> None:
        """A field resumed with invalid text gets its message straight away."""
        for field_id, tf in self._text_fields.items():
            if field_id in self.demande.saisies:
                try:
                    tf.parse(self.demande.saisies[field_id])
                except InvalidValue as exc:
                    self.row_for(field_id).set_error(str(exc))

    def is_shown(self, widget: Widget) -> bool:
        node: DOMNode | None = widget
        while node is not None and node is not self:
            if not node.display:
                return False
            node = node.parent
        return True

    def collect(self) -> dict[str, str]:
        """Parse every visible text field into the model; returns field → message."""
        if self.read_only:
            return {}
        errors: dict[str, str] = {}
        for tf in self._text_fields.values():
            control = self.query_one("#" + field_dom_id(tf.field_id), Input)
            if not self.is_shown(control):
                continue
            error = self._parse_one(tf, control.value)
            if error:
                errors[tf.field_id] = error
        errors.update(self.collect_search_selects())
        errors.update(self.collect_extra())
        return errors

    def collect_search_selects(self) -> dict[str, str]:
        """Text typed in a list field but not chosen is kept, and flagged."""
        from permis_tui.widgets.search_select import SearchSelect

        errors = {}
        for field_id, row in self.rows.items():
            if isinstance(row.control, SearchSelect) and self.is_shown(row.control):
                text = row.control.text.strip()
                if row.control.value is None and text:
                    self.demande.saisies[field_id] = text
                    errors[field_id] = (
                        f"« {text[:40]} » n'est pas dans la liste : tapez le début du nom puis choisissez avec ↓ et Entrée."
                    )
                else:
                    self.demande.saisies.pop(field_id, None)
        return errors

    def collect_extra(self) -> dict[str, str]:
        """Hook for fields that are not simple text (override)."""
        return {}

    def _parse_one(self, tf: TextField, raw: str) -> str | None:
        try:
            value = tf.parse(raw)
        except InvalidValue as exc:
            self.demande.saisies[tf.field_id] = raw
            return str(exc)
        self.demande.saisies.pop(tf.field_id, None)
        tf.set(value)
        return None

    def recheck(self, field_id: str) -> None:
        """Check a typed field again when an answer its rule depends on changes (a date whose
        limit depends on a kind chosen after it): its message appears or goes at once."""
        tf = self._text_fields[field_id]
        control = self.query_one("#" + field_dom_id(field_id), Input)
        if self.read_only or not self.is_shown(control) or not control.value.strip():
            return
        self.row_for(field_id).set_error(self._parse_one(tf, control.value))

    @on(Input.Changed)
    def _changed(self) -> None:
        # Saved a moment after typing stops (valid or not), by the app's autosave.
        if not self.read_only:
            self.app.saves.typed()

    @on(Input.Blurred)
    def _field_left(self, event: Input.Blurred) -> None:
        """Check a field as soon as the person leaves it: errors show early."""
        field_id = self._field_id_of(event.input)
        tf = self._text_fields.get(field_id or "")
        if tf is None or self.read_only:
            return
        error = self._parse_one(tf, event.value)
        self.row_for(tf.field_id).set_error(error)
        self.refresh_dynamic()
        self._answered()
        # The focus has already moved on (Tab): a message that just appeared under the field
        # left, or a field shown by refresh_dynamic, pushes the newly focused one down.
        self.keep_focus_in_view()

    # Runs after the step's own handlers (they come first in the class order) have put the
    # answer into the model.
    @on(RadioSet.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(CheckGrid.Changed)
    @on(SearchSelect.Selected)
    def _answered(self) -> None:
        """The first answer of a new demande writes its file (nothing before it)."""
        if self.read_only:
            return
        self.app.saves.typed()  # a choice is saved a moment later, like typed text
        if not self.app.demande_nouvelle:
            return
        self.app.save_first_answer()
        self.query_one("#save-notice").display = self.app.rien_a_enregistrer

    def _row_field_id_of(self, control: Widget) -> str | None:
        return next((field_id for field_id, row in self.rows.items() if row.control is control), None)

    def _field_id_of(self, widget: Widget | None) -> str | None:
        if widget is None:
            return None
        for field_id in self._text_fields:
            if widget.id == field_dom_id(field_id):
                return field_id
        return None

    def row_for(self, field_id: str) -> FieldRow:
        key = field_id
        while key:
            if key in self.rows:
                return self.rows[key]
            key = key.rpartition(".")[0]
        raise KeyError(field_id)

    # -- focus: always on a live widget, always in view --------------------
    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        """Every way of focusing (Tab, a summary line, the palette, a dialog closing, a
        rebuild) comes through here: a widget already removed is replaced by a live one,
        and the focused field is brought into view once the layout is up to date."""
        if widget is not None and not self.is_live(widget):
            widget = self.fallback_focus()
        super().set_focus(widget, scroll_visible=False, from_app_focus=from_app_focus)
        if widget is not None and scroll_visible:
            # After the refresh: a message that appeared under the field just left has
            # moved everything below it.
            self.call_after_refresh(self.bring_into_view, widget)

    def is_live(self, widget: Widget) -> bool:
        """Attached to this screen and displayed (a removed widget receives no key)."""
        node: DOMNode | None = widget
        while node is not None and node is not self:
            if not node.display:  # also False while the widget is being removed
                return False
            node = node.parent
        return node is self and widget.is_attached

    def fallback_focus(self) -> Widget | None:
        """The first control of the step; the body itself (to scroll) when it has none,
        as on a validated request or the confirmation.

        The first in the form's order, not in Textual's focus chain: that one is sorted by
        where widgets were last laid out, which a step shown again (a field shown since)
        has not been yet."""
        body = self.query_one("#step-body")
        first = next((w for w in body.query("*") if self._focus_stop(w, body)), None)
        if first is not None:
            return first
        chain = self.focus_chain
        return body if body in chain else (chain[0] if chain else None)

    def _focus_stop(self, widget: Widget, body: Widget) -> bool:
        """A widget Tab stops on (as in Textual's focus chain), shown, inside `body`."""
        if not (widget.focusable and self.is_live(widget)):
            return False
        node = widget.parent
        while node is not None and node is not body:
            if isinstance(node, Widget) and not node.can_focus_children:  # a radio set's buttons
                return False
            node = node.parent
        return True

    def initial_focus(self) -> Widget | None:
        """Where a step opens: its first control (not the error summary)."""
        return self.fallback_focus()

    def _ensure_focus(self) -> None:
        if self.focused is None:  # a palette jump may have chosen a field already
            self.set_focus(self.initial_focus())

    def keep_focus_in_view(self) -> None:
        """After a change of layout that did not come with a focus change."""
        if self.focused is not None:
            self.call_after_refresh(self.bring_into_view, self.focused)

    def bring_into_view(self, widget: Widget) -> None:
        """Scroll just enough to show the field's number and label, then the widget itself."""
        if self.focused is not widget or not self.is_live(widget):
            return
        row = next((n for n in widget.ancestors if isinstance(n, FieldRow)), None)
        if row is not None:
            row.scroll_visible(animate=False, immediate=True)
        widget.scroll_visible(animate=False, immediate=True)

    # -- errors ----------------------------------------------------------
    def issues(self) -> list[FieldIssue]:
        errors = self.collect()
        issues = [FieldIssue(f, m) for f, m in errors.items()]
        issues += [i for i in step_issues(self.demande, self.STEP) if i.field not in errors]
        return issues

    def show_issues(self, issues: list[FieldIssue]) -> None:
        seen: dict[str, str] = {}
        for issue in issues:
            seen.setdefault(self.row_for(issue.field).field_id, issue.message)
        for field_id, row in self.rows.items():
            row.set_error(seen.get(field_id))
        self._summary_shown = bool(seen)
        problems = self.refresh_summary()
        if problems:
            self.focus_field(problems[0])

    def refresh_summary(self) -> list[str]:
        """The summary lists the messages the fields show now, in the order of the form."""
        summary = self.query_one("#error-summary", ErrorSummary)
        rows = [row for row in self.rows.values() if row.error and self.is_shown(row)] if self._summary_shown else []
        noun = "problème" if len(rows) == 1 else "problèmes"
        had_focus = summary.has_focus
        summary.show_problems(
            f"Il y a {len(rows)} {noun} à corriger (Entrée pour aller au champ) :",
            [(row.field_id, f"• {row.title} : {row.error}") for row in rows],
        )
        if had_focus and not rows:
            self.set_focus(self.fallback_focus())
        return [row.field_id for row in rows]

    @on(FieldRow.ErrorChanged)
    def _error_changed(self, event: FieldRow.ErrorChanged) -> None:
        event.stop()
        self.refresh_summary()
        self.keep_focus_in_view()  # the summary above the body may have grown

    @on(FieldRow.HeightChanged)
    def _row_height_changed(self, event: FieldRow.HeightChanged) -> None:
        """A message that appears or goes moves every field below it, the one Tab just
        focused included (its message shows when a field is left): keep that one in view."""
        event.stop()
        if self.focused is not None:
            self.bring_into_view(self.focused)

    @on(OptionList.OptionSelected, "#error-summary")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.focus_field(event.option.id)

    def focus_number(self, number: str) -> bool:
        for row in self.rows.values():
            if row.number == number and self.is_shown(row):
                self.focus_field(row.field_id)
                return True
        return False

    def focus_field(self, field_id: str) -> None:
        row = self.row_for(field_id)
        for widget in row.query("*"):
            if widget.focusable and self.is_shown(widget):
                widget.focus()  # scrolled into view by set_focus
                return

    # -- navigation ------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"nav-previous": self.action_previous, "nav-save": self.action_save, "nav-next": self.action_next}
        if event.button.id in actions:
            event.stop()
            actions[event.button.id]()

    def action_save(self) -> None:
        errors = self.collect()
        for field_id, message in errors.items():
            self.row_for(field_id).set_error(message)
        if self.app.rien_a_enregistrer:
            self.notify("Rien à enregistrer pour l'instant : " + SAVE_NOTICE[0].lower() + SAVE_NOTICE[1:], timeout=4)
            return
        if self.app.save_demande():
            self.notify("Demande enregistrée." + (" Des champs restent à corriger." if errors else ""), timeout=3)

    def action_previous(self) -> None:
        # Leaving saves everything typed, valid or not (app.goto_step / go_home).
        self.app.goto_step(self.STEP - 1) if self.STEP > 1 else self.app.go_home()

    def action_next(self) -> None:
        target = 6 if self.return_to_recap else self.STEP + 1
        if self.read_only:
            self.app.goto_step(target)
            return
        issues = self.issues()
        if issues:
            self.app.save_demande()
            self.show_issues(issues)
            return
        self.demande.etape = max(self.demande.etape, self.STEP + 1)
        self.app.goto_step(target)

    def action_home(self) -> None:
        """Back to "Mes demandes en cours"; app.go_home saves what was typed first."""
        self.app.go_home()

    def action_help(self) -> None:
        from permis_tui.screens.help_screen import HelpScreen

        self.app.push_screen(
            HelpScreen(
                f"Étape {self.STEP} : {STEP_TITLES[self.STEP]}",
                self.HELP,
                keys=step_keys(type(self.app).BINDINGS),
                fields=catalogue.step_fields(self.STEP),
            )
        )

    def focused_field(self) -> tuple[FieldRow, str] | None:
        """The field row holding the focus, and the value it shows right now."""
        from textual.widgets import RadioSet, Select

        from permis_tui.widgets.search_select import SearchSelect

        node: DOMNode | None = self.focused
        while node is not None and not isinstance(node, FieldRow):
            node = node.parent
        if node is None:
            return None
        widget = node
        focused = self.focused
        if isinstance(focused, Input):
            return widget, focused.value
        control = widget.control
        if isinstance(control, SearchSelect):
            return widget, control.text
        if isinstance(control, Select):
            # What the Select shows for its value: the label line of its own DOM (Select keeps
            # its options private), exactly the words the person reads.
            shown = "" if control.value is Select.NULL else str(control.query_one("#label", Static).content)
            return widget, shown
        if isinstance(control, RadioSet) and control.pressed_button is not None:
            return widget, str(control.pressed_button.label)
        return widget, ""

    def action_spell(self) -> None:
        from permis_tui.screens.spelling_dialog import SpellingDialog

        found = self.focused_field()
        if found is None:
            self.notify("Placez-vous d'abord sur un champ (Tab), puis F2 pour l'épeler.", severity="warning")
            return
        row, value = found
        field_id = self._field_id_of(self.focused) or row.field_id
        self.app.push_screen(SpellingDialog(row.title, field_id, value))

    # -- verdicts of stored copies, checked again where they are shown (steps 5 and 6) --
    def reverify_pieces(self) -> None:
        d = self.demande
        if d.pieces.fichiers and not self.read_only:
            self._reverify(d.numero, list(d.pieces.fichiers), getattr(self.app, "max_file_bytes", None))

    @work(thread=True, exit_on_error=False, group="pieces-reverify")
    def _reverify(self, numero: str, fichiers: list, max_bytes: int | None) -> None:
        from permis_tui import attachments

        kwargs: dict[str, Any] = {"max_bytes": max_bytes} if max_bytes else {}
        try:
            changes = attachments.reverify(self.app.store, numero, fichiers, checker=self.app.checker, **kwargs)
        except Exception:  # noqa: BLE001 - the verdicts already shown stay; validation checks again
            changes = []
        self.post_message(PiecesReverified(numero, changes))

    @on(PiecesReverified)
    def _pieces_reverified(self, event: PiecesReverified) -> None:
        if not event.changes or self.read_only or event.numero != self.demande.numero:
            return
        fichiers = self.demande.pieces.fichiers
        for old, new in event.changes:
            for i, piece in enumerate(fichiers):
                if piece is old:
                    fichiers[i] = new
        self.app.save_demande()
        n = len(event.changes)
        self.notify(
            f"{n} fichier{'s' if n > 1 else ''} revérifié{'s' if n > 1 else ''} : "
            "la copie enregistrée a changé ou a disparu.",
            severity="warning",
            timeout=6,
        )
        self.refresh_dynamic()

    def can_leave(self) -> bool:
        """False while something must finish first (step 5 overrides it)."""
        return True

    def save_before_exit(self) -> None:
        """Called on quit and on hang-up: keep whatever was typed."""
        self.collect()
