"""Étape 6 : récapitulatif. Every answer, a "Modifier" per group, then validation."""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalGroup
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from permis_tui import recap
from permis_tui.model.completeness import FIELD_STEPS, STEP_TITLES, FieldIssue, validation_issues
from permis_tui.screens.step_screen import ErrorSummary, StepScreen
from permis_tui.validation import ValidationResult, valider
from permis_tui.widgets.quiet import QuietButton

INTRO = (
    "Relisez vos réponses avant la validation définitive. « Modifier » (touches 1 à 5) "
    "ouvre l'étape ; « Étape suivante » vous ramène ici."
)
CONFIRM_QUESTION = "Valider définitivement la demande n° {numero} ?"
CONFIRM_DETAIL = (
    "Une fois validée, la demande ne pourra plus être modifiée (vous pourrez la dupliquer "
    "depuis l'accueil). Les documents PDF seront créés et la confirmation envoyée à {email}."
)


def lignes_text(lignes: list[recap.RecapLigne]) -> Text:
    text = Text()
    for i, ligne in enumerate(lignes):
        if i:
            text.append("\n")
        if ligne.label:
            text.append(f"{ligne.label} : ")
            text.append(ligne.valeur, style="bold")
        else:
            text.append(ligne.valeur)
    return text


class RecapitulatifScreen(StepScreen):
    STEP = 6
    HELP = """\
**Ce que montre cette étape** : toutes vos réponses, étape par étape, et ce que l'assistant en
déduit (avis médical, épreuves à repasser, validité des pièces).

**Modifier** : le bouton « Modifier » de chaque partie, ou les touches **1** à **5**, ouvrent l'étape
correspondante ; « Étape suivante » vous ramène directement ici.

**Valider** : touche **v** ou « Valider ma demande ». La validation est refusée tant qu'un élément
manque : la liste en haut de l'écran les nomme ; Entrée sur une ligne ouvre le champ à corriger.
Une demande validée ne se modifie plus ; dupliquez-la depuis l'accueil pour en faire une nouvelle.
"""
    BINDINGS = [
        Binding("v", "valider", "Valider ma demande", id="recap.valider"),
        *[
            Binding(str(n), f"modifier({n})", f"Modifier l'étape {n}", show=False, id=f"recap.modifier{n}")
            for n in range(1, 6)
        ],
    ]

    def __init__(self, *, return_to_recap: bool = False) -> None:
        super().__init__(return_to_recap=False)  # already on the récapitulatif
        self.add_class("recap-screen", update=False)  # not mounted yet: styled when it is
        self.missing: list[FieldIssue] = []
        self.busy = False

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # A validée demande is a record: no "Modifier", "Valider" nor "Enregistrer" keys offered.
        if action in ("modifier", "valider", "save") and self.read_only:
            return False
        return super().check_action(action, parameters)

    def compose_body(self) -> ComposeResult:
        if self.read_only:
            yield Static(recap.mention_validation(self.demande), id="recap-intro", classes="-validee", markup=False)
        else:
            yield Static(INTRO, id="recap-intro", markup=False)
        yield Static("", id="recap-erreur", markup=False)
        for groupe in recap.recap_groupes(self.demande):
            with VerticalGroup(classes="recap-group", id=f"recap-group-{groupe.step}"):
                with Horizontal(classes="recap-head"):
                    yield Static(f"▼ {groupe.titre}", classes="recap-title", markup=False)
                    if not self.read_only:
                        yield QuietButton(
                            f"Modifier ({groupe.step})", id=f"modifier-{groupe.step}", classes="modifier", compact=True
                        )
                yield Static(lignes_text(groupe.lignes), classes="recap-lines", id=f"recap-lines-{groupe.step}")

    def _banner(self) -> str:
        # Shorter than the shared banner: it must fit on one line at 80 columns.
        d = self.demande
        who = " ".join(p for p in (d.prenom, d.nom) if p)
        return (
            f"Demande n° {d.numero}"
            + (f" — {who}" if who else "")
            + (" — validée, lecture seule" if self.read_only else "")
        )

    # -- state ------------------------------------------------------------
    def load_composed(self) -> None:
        for groupe in recap.recap_groupes(self.demande):
            lines = self.query_one(f"#recap-lines-{groupe.step}", Static)
            text = lignes_text(groupe.lignes)
            if lines.content != text:
                lines.update(text)

    def load_controls(self) -> None:
        # The verdicts shown here must match the stored copies (a draft reopened here directly).
        self.reverify_pieces()

    def refresh_dynamic(self) -> None:
        """Called by StepScreen.on_mount once the frame is built."""
        self.query_one("#nav-next", Button).label = "Confirmation >>" if self.read_only else "Valider ma demande (v)"
        if self.read_only:
            self.query_one("#nav-save", Button).display = False  # nothing to save in a record
            # No field to focus in a record: the text itself, so that ↑ ↓ and PgUp PgDn scroll it.
            self.call_after_refresh(self.query_one("#step-body").focus)
        self.query_one("#recap-erreur").display = False
        self.missing = [] if self.read_only else validation_issues(self.demande, recap.aujourdhui())
        self.show_missing(self.missing)

    def initial_focus(self):
        """ "(Entrée pour y aller)" must be true where the person lands: on the list itself."""
        summary = self.query_one("#error-summary", ErrorSummary)
        return summary if summary.display else super().initial_focus()

    def show_missing(self, issues: list[FieldIssue]) -> None:
        by_field: dict[str, FieldIssue] = {}
        for issue in issues:
            by_field.setdefault(issue.field, issue)
        n = len(by_field)
        noun = "élément manque" if n == 1 else "éléments manquent"
        self.query_one("#error-summary", ErrorSummary).show_problems(
            f"Validation impossible : {n} {noun} (Entrée pour y aller) :",
            [
                (field_id, f"• Étape {issue.step}, {STEP_TITLES[issue.step]} : {issue.message}")
                for field_id, issue in by_field.items()
            ],
        )

    # -- Modifier ---------------------------------------------------------
    @on(Button.Pressed, ".modifier")
    def _modifier_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_modifier(int((event.button.id or "0").rpartition("-")[2]))

    def action_modifier(self, step: int) -> None:
        if self.read_only or self.busy:
            return
        self.app.goto_step(step, return_to_recap=True)

    def focus_field(self, field_id: str) -> None:
        """From the missing-items list: open the field's step, then put the cursor on it."""
        step = FIELD_STEPS.get(field_id.split(".")[0])
        if step is None or self.busy:
            return
        app = self.app
        app.goto_step(step, return_to_recap=True)

        def focus(tries: int = 0) -> None:
            screen = app.screen
            if isinstance(screen, StepScreen) and step == screen.STEP and screen.is_mounted:
                try:
                    screen.focus_field(field_id)
                except Exception:  # noqa: BLE001 - the step may name its rows differently
                    pass
            elif tries < 20:
                app.call_after_refresh(focus, tries + 1)

        app.call_after_refresh(focus)

    # -- Valider ----------------------------------------------------------
    def action_next(self) -> None:
        if self.read_only:
            self.app.goto_step(7)
        else:
            self.action_valider()

    def action_previous(self) -> None:
        if not self.busy:
            super().action_previous()

    def can_leave(self) -> bool:
        """Every way out (F3, the palette) waits for the validation to finish."""
        if self.busy:
            self.notify("Validation en cours : patientez un instant.", severity="warning", timeout=3)
            return False
        return True

    def action_valider(self) -> None:
        if self.busy:
            return
        if self.read_only:
            self.app.goto_step(7)
            return
        self.missing = validation_issues(self.demande, recap.aujourdhui())
        self.show_missing(self.missing)
        if self.missing:
            self.notify(
                "Validation refusée : complétez d'abord les éléments listés en haut de l'écran.",
                title="Demande incomplète",
                severity="error",
                timeout=6,
            )
            self.query_one("#error-summary").focus()
            return
        from permis_tui.screens.confirm_dialog import ConfirmDialog

        dialog = ConfirmDialog(
            CONFIRM_QUESTION.format(numero=self.demande.numero),
            detail=CONFIRM_DETAIL.format(email=self.demande.adresse.email),
            yes="Valider",
            no="Annuler",
        )
        self.app.push_screen(dialog, self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        self.set_busy(True)
        # A validée demande is shown anew (read-only): the steps built to change it go now,
        # before the validation's own memory is needed (peak memory of a demo session).
        self.app.drop_built_steps()
        self.run_validation()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.query_one("#step-body").loading = busy
        for button in self.query("#step-nav Button"):
            button.disabled = busy or (button.id == "nav-save" and self.read_only)
        if busy:
            self.query_one("#recap-erreur", Static).update(
                "Validation en cours : création des documents PDF et envoi du courriel…"
            )
            self.query_one("#recap-erreur").display = True

    @work(thread=True, exclusive=True, group="validation", exit_on_error=False)
    def run_validation(self) -> ValidationResult:
        # A copy: the UI keeps its brouillon untouched until the outcome is known.
        # The PDFs are rendered in a child process, in every mode: fpdf2, fontTools and
        # Pillow (~35 MiB) never load into the session.
        return valider(self.demande.model_copy(deep=True), self.app.store, settings=self.app.settings, isolated=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "validation":
            return
        if event.state is WorkerState.SUCCESS:
            self.validation_done(cast(ValidationResult, event.worker.result))
        elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.set_busy(False)
            self.show_error(
                "La validation a échoué de façon inattendue ; la demande n'a pas été validée. "
                f"({type(event.worker.error).__name__})"
            )

    def validation_done(self, result: ValidationResult) -> None:
        self.set_busy(False)
        if result.validee and result.demande is not None:  # a validée result carries its demande
            self.app.demande = result.demande
            self.notify(f"Demande n° {result.demande.numero} validée.", timeout=5)
            self.app.goto_step(7)
            return
        if result.issues:
            self.missing = result.issues
            self.show_missing(result.issues)
            self.query_one("#recap-erreur").display = False
            self.notify(
                "Validation refusée : des éléments manquent (liste en haut de l'écran).", severity="error", timeout=6
            )
            return
        self.show_error(result.erreur or "La demande n'a pas été validée.")

    def show_error(self, message: str) -> None:
        erreur = self.query_one("#recap-erreur", Static)
        erreur.update(message)
        erreur.display = True
        self.query_one("#step-body").scroll_home(animate=False)
        self.notify(message, title="Validation impossible", severity="error", timeout=10)
