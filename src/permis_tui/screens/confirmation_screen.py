"""Étape 7 : confirmation. Numéro, documents written, email outcome, next steps."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Static

from permis_tui import recap
from permis_tui.screens.step_screen import StepScreen
from permis_tui.safe_text import escape
from permis_tui.validation import ConfirmationInfo, fichiers_existants, lire_confirmation, prochaines_etapes

NON_VALIDEE = ("Cette demande n'est pas encore validée. Relisez vos réponses au récapitulatif (étape 6), "
               "puis choisissez « Valider ma demande ».")
DUPLIQUER = ("Cette demande est validée : elle ne se modifie plus. Pour en refaire une à partir des mêmes "
             "réponses, dupliquez-la depuis l'accueil (touche d).")


def chemin_affiche(text: str | Path) -> str:
    """Paths under the home folder shown as ~/…: shorter, and no user name on screen."""
    home = str(Path.home())
    text = str(text)
    return text.replace(home + "/", "~/") if home not in ("/", "") else text


class ConfirmationScreen(StepScreen):
    STEP = 7
    HELP = """\
**Après validation**, une confirmation de prise en compte de la demande est envoyée par courriel
à l'adresse mentionnée à l'étape 3 (ou gardée dans la boîte d'envoi si l'envoi échoue).

**Photo par courrier** : imprimez le formulaire de dépôt, collez la photo sans agrafe, signez à
l'encre noire, et envoyez-le par courrier simple à : CTN, CS 80168, 53102 MAYENNE CEDEX.

**Conservez le numéro de demande.** Une demande validée se consulte en lecture seule ; dupliquez-la
depuis l'accueil (touche d) pour en faire une nouvelle.
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
        yield Static(f"Votre demande a été validée{quand}.", classes="section-title", markup=False)
        yield Static(Text.assemble("Numéro de demande : ", (d.numero, "bold")), id="conf-numero")
        yield Static("Documents créés", classes="conf-heading")
        files = [Path(f) for f in info.fichiers] if info else fichiers_existants(self.app.store, d.numero)
        yield Static(self._listing(files), id="conf-fichiers", markup=False)
        yield Static("Courriel de confirmation", classes="conf-heading")
        yield Static(self._courriel(info), id="conf-courriel", markup=False,
                     classes="conf-ok" if info and info.courriel_envoye else "conf-warn")
        yield Static("Prochaines étapes", classes="conf-heading")
        etapes = info.prochaines_etapes if info else prochaines_etapes(d, recap.aujourdhui())
        yield Static("\n".join(f"{i}. {e}" for i, e in enumerate(etapes, 1)), id="conf-etapes", markup=False)
        yield Static(DUPLIQUER, id="conf-dupliquer", classes="notice", markup=False)

    @staticmethod
    def _listing(files: list[Path]) -> str:
        if not files:
            return "Aucun document trouvé sur cet ordinateur."
        lines = [f"Dans le dossier {chemin_affiche(files[0].parent)}/ :"]
        # Listed from the disk (a file may have been dropped there): escaped.
        return escape("\n".join(lines + [f"• {f.name}" for f in files]), keep_newlines=True)

    def _banner(self) -> str:
        # Shorter than the shared banner: it must fit on one line at 80 columns.
        d = self.demande
        who = " ".join(p for p in (d.prenom, d.nom) if p)
        return f"Demande n° {d.numero}" + (f" — {who}" if who else "") + (" — validée" if d.est_validee else "")

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
