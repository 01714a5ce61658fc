"""Étape 7 : confirmation. Numéro, documents written, email outcome, next steps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widgets import Button, Input, Static

from permis_tui import recap
from permis_tui.model import catalogue, fields
from permis_tui.model.photo import PhotoChoice
from permis_tui.preparation import AVERTISSEMENT, REFERENCE_LABEL
from permis_tui.safe_text import escape
from permis_tui.screens.step_screen import StepScreen
from permis_tui.store import StoreError

if TYPE_CHECKING:
    from permis_tui.model.demande import Demande
from permis_tui.validation import (
    ConfirmationInfo,
    fichiers_existants,
    lire_confirmation,
    prochaines_etapes,
    reecrire_formulaire_depot,
)
from permis_tui.widgets.text_input import TextInput

NON_VALIDEE = (
    "Cette demande n'est pas encore validée. Relisez vos réponses au récapitulatif (étape 6), "
    "puis choisissez « Valider ma demande »."
)
DUPLIQUER = (
    "Cette demande est validée : elle ne se modifie plus. Pour en refaire une à partir des mêmes "
    "réponses, dupliquez-la depuis l'accueil (touche d)."
)


def chemin_affiche(text: str | Path) -> str:
    """Paths under the home folder shown as ~/…: shorter, and no user name on screen."""
    home = str(Path.home())
    text = str(text)
    return text.replace(home + "/", "~/") if home not in ("/", "") else text


class ConfirmationScreen(StepScreen):
    STEP = 7
    # A validée demande is read-only, except the numéro the ANTS site gives after filing.
    EDITABLE_WHEN_READ_ONLY = "#f-numero_ants, #conf-numero-ants-save"
    HELP = """\
**Ce que fait permis-tui** : il prépare la demande sur votre ordinateur. La demande se dépose
ensuite sur le site de l'ANTS (France Titres, permisdeconduire.ants.gouv.fr), qui donne le
numéro de demande et le formulaire photo-signature. Le numéro affiché ici est une
**référence de préparation**, pas un numéro de demande ANTS.

**Après validation**, un courriel récapitulatif est envoyé à l'adresse de l'étape 3 (ou gardé dans
la boîte d'envoi si l'envoi échoue). Pour un retour au permis, le fichier .ics met le dernier
jour d'inscription dans votre agenda.

**Numéro de demande ANTS** : une fois la demande déposée, saisissez le numéro donné par l'ANTS ;
le formulaire de dépôt est alors réécrit avec ce numéro dans sa case.

**Photo par courrier** : collez la photo sans agrafe sur le formulaire, signez à l'encre noire,
et envoyez-le par courrier simple à : CTN, CS 80168, 53102 MAYENNE CEDEX.
"""

    def __init__(self, *, return_to_recap: bool = False) -> None:
        super().__init__(return_to_recap=False)
        self.add_class("confirmation-screen")

    def compose_body(self) -> ComposeResult:
        d = self.demande
        if not d.est_validee:
            yield Static("Confirmation", classes="section-title")
            yield Static(NON_VALIDEE, id="conf-non-validee", classes="notice", markup=False)
            yield Button("Aller au récapitulatif (étape 6)", id="conf-recap", compact=True, variant="primary")
            return
        info = lire_confirmation(self.app.store, d.numero)
        quand = f" le {d.valide_le:%d/%m/%Y à %H:%M}" if d.valide_le else ""
        yield Static(
            f"Votre demande est prête (validée{quand}) : déposez-la sur le site de l'ANTS.",
            classes="section-title",
            markup=False,
        )
        yield Static(Text.assemble(f"{REFERENCE_LABEL} : ", (d.numero, "bold")), id="conf-numero")
        yield Static(AVERTISSEMENT, id="conf-avertissement", classes="notice", markup=False)
        yield Static("Numéro de demande ANTS", classes="conf-heading")
        numero_ants = catalogue.field("numero_ants")
        yield self.field_row(
            "numero_ants",
            TextInput(
                value=numero_ants.shown(d), placeholder=numero_ants.placeholder, id="f-numero_ants", compact=True
            ),
        )
        yield Button("Enregistrer le numéro ANTS", id="conf-numero-ants-save", compact=True)
        yield Static("Documents créés", classes="conf-heading")
        files = [Path(f) for f in info.fichiers] if info else fichiers_existants(self.app.store, d.numero)
        yield Static(self._listing(files), id="conf-fichiers", markup=False)
        yield Static("Courriel de confirmation", classes="conf-heading")
        yield Static(
            self._courriel(info),
            id="conf-courriel",
            markup=False,
            classes="conf-ok" if info and info.courriel_envoye else "conf-warn",
        )
        yield Static("Prochaines étapes", classes="conf-heading")
        etapes = info.prochaines_etapes if info else prochaines_etapes(d, recap.aujourdhui())
        yield Static("\n".join(f"{i}. {e}" for i, e in enumerate(etapes, 1)), id="conf-etapes", markup=False)
        yield Static(DUPLIQUER, id="conf-dupliquer", classes="notice", markup=False)

    @on(Input.Submitted, "#f-numero_ants")
    @on(Button.Pressed, "#conf-numero-ants-save")
    def _save_numero_ants(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        row = self.rows["numero_ants"]
        try:
            parse = cast("Callable[[str, Demande], str | None]", catalogue.field("numero_ants").parse)  # a text field
            numero_ants = parse(self.query_one("#f-numero_ants", Input).value, self.demande)
        except fields.InvalidValue as exc:
            row.set_error(str(exc))
            self.query_one("#f-numero_ants", Input).focus()
            return
        row.set_error(None)
        self.demande.numero_ants = numero_ants
        try:
            self.app.store.save(self.demande)
        except StoreError as exc:
            self.notify(str(exc), title="Enregistrement impossible", severity="error", timeout=8)
            return
        if self.demande.photo.choix is PhotoChoice.COURRIER:
            self.rewrite_depot(self.demande.model_copy())
        else:
            self.notify("Numéro de demande ANTS enregistré." if numero_ants else "Numéro de demande ANTS effacé.")

    @work(thread=True, exit_on_error=False, group="depot-rewrite")
    def rewrite_depot(self, demande) -> None:
        """The deposit form again, with the ANTS numéro in its box (PDF rendering off the loop)."""
        severity: SeverityLevel
        try:
            path = reecrire_formulaire_depot(self.app.store, demande, isolated=True)  # fpdf2 never in the session
            message, severity = f"Numéro ANTS enregistré ; formulaire de dépôt réécrit : {path.name}.", "information"
        except (OSError, ValueError) as exc:
            message, severity = f"Numéro enregistré, mais le formulaire n'a pas pu être réécrit ({exc}).", "warning"
        self.post_message(self.DepotRewritten(message, severity))

    class DepotRewritten(Message):
        def __init__(self, message: str, severity: SeverityLevel) -> None:
            super().__init__()
            self.message = message
            self.severity = severity

    @on(DepotRewritten)
    def _depot_rewritten(self, event: DepotRewritten) -> None:
        self.notify(event.message, severity=event.severity, timeout=6)

    @staticmethod
    def _listing(files: list[Path]) -> str:
        if not files:
            return "Aucun document trouvé sur cet ordinateur."
        lines = [f"Dans le dossier {chemin_affiche(files[0].parent)}/ :"]
        # Listed from the disk (a file may have been dropped there): escaped.
        return escape(
            "\n".join(
                lines
                + [
                    f"• {f.name}"
                    + (" (dernier jour d'inscription, à ouvrir avec votre agenda)" if f.suffix == ".ics" else "")
                    for f in files
                ]
            ),
            keep_newlines=True,
        )

    def _banner(self) -> str:
        # Shorter than the shared banner: it must fit on one line at 80 columns.
        d = self.demande
        who = " ".join(p for p in (d.prenom, d.nom) if p)
        return f"Référence {d.numero}" + (f" — {who}" if who else "") + (" — validée" if d.est_validee else "")

    def _courriel(self, info: ConfirmationInfo | None) -> str:
        if info is None:
            return "Aucune trace de l'envoi du courriel de confirmation sur cet ordinateur."
        # May quote the mail server's reply: its text is the server's, shown escaped.
        return escape(chemin_affiche(info.courriel_message))

    def refresh_dynamic(self) -> None:
        self.query_one("#nav-next", Button).label = (
            "Retour à l'accueil" if self.demande.est_validee else "Récapitulatif >>"
        )

    @on(Button.Pressed, "#conf-recap")
    def _to_recap(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.goto_step(6)

    def action_next(self) -> None:
        if self.demande.est_validee:
            self.app.go_home()
        else:
            self.app.goto_step(6)
