"""Étape 1 : motif de la demande."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.widgets import RadioSet, Static

from permis_tui.model.completeness import motif_warnings
from permis_tui.model.conseil import conseil_retour
from permis_tui.model.motif import CATEGORIES, CATEGORIES_LOURDES, MOTIFS_PRIS_EN_CHARGE, Mesure, MotifKind
from permis_tui.model.rules import avis_medical_requis, date_fin_calculee
from permis_tui.screens.step_screen import StepScreen
from permis_tui.widgets.check_grid import CheckGrid
from permis_tui.widgets.field_row import field_dom_id

NOTE_AVIS = (
    "À noter : si vous cochez « oui » pour une catégorie lourde, ou pour un retour au permis, "
    "un avis médical d'aptitude à la conduite devra être joint aux pièces justificatives (étape 5)."
)
NON_PRIS_EN_CHARGE = (
    "Cet assistant ne traite pas encore ce motif. Effectuez cette démarche sur le site de l'ANTS "
    "(permisdeconduire.ants.gouv.fr). Seule l'inscription aux épreuves est prise en charge ici."
)


class MotifScreen(StepScreen):
    STEP = 1
    HELP = """\
**Ce que demande cette étape** : le motif de la demande. Pour repasser le permis après une
**invalidation** (solde de points nul, lettre 48SI) ou une **annulation** par un juge, choisissez
« Je m'inscris pour pouvoir me présenter aux épreuves », puis « dans le cadre d'un retour au permis ».

**À avoir sous la main** : la lettre 48SI (invalidation) ou la décision de justice, notifiée par
le formulaire « Réf 7 » (annulation), le récépissé de remise du permis (« Réf 44 »), la date
d'obtention de votre premier permis et vos anciennes catégories.

L'assistant calcule les épreuves à repasser (article R224-20 du code de la route) : le code seul
si vous déteniez le permis depuis au moins 3 ans à la date de la lettre 48SI ou de l'annulation,
que l'interdiction était de moins d'un an et que vous vous inscrivez dans les 9 mois suivant la
restitution du permis (invalidation, fiche F1704) ou la fin de l'interdiction (annulation, fiche
F21774) ; sinon le code et la conduite. Il donne le dernier jour pour vous inscrire.

Avant l'inscription : l'examen psychotechnique (environ 100 €), puis l'avis médical d'un médecin
agréé (environ 36 €) ou de la commission médicale (environ 50 €).
"""

    def compose_body(self) -> ComposeResult:
        m = self.demande.motif
        r = m.retour
        yield Static("Motif de la demande", classes="section-title")
        yield self.choice_field("motif.motif")
        yield Static(NON_PRIS_EN_CHARGE, id="motif-unsupported", classes="notice", markup=False)
        with VerticalGroup(id="motif-inscription"):
            yield Static(
                "Vous avez choisi de faire une demande d'inscription au permis de conduire.", classes="section-title"
            )
            yield self.choice_field("motif.personne")
            yield self.choice_field("motif.type_inscription")
            yield self.choice_field("motif.categorie_lourde")
            yield self.field_row(
                "motif.categories_lourdes",
                CheckGrid(CATEGORIES_LOURDES, m.categories_lourdes, id=field_dom_id("motif.categories_lourdes")),
            )
            with VerticalGroup(id="motif-retour"):
                yield Static("Retour au permis", classes="section-title")
                yield self.choice_field("motif.retour.mesure")
                yield self.choice_field("motif.retour.invalidation_precedente_5_ans")
                yield self.text_field("motif.retour.date_mesure")
                yield self.text_field("motif.retour.date_restitution")
                yield self.text_field("motif.retour.duree_interdiction_mois")
                yield self.text_field("motif.retour.date_fin_interdiction")
                yield self.text_field("motif.retour.date_premier_permis")
                yield self.field_row(
                    "motif.retour.categories_detenues",
                    CheckGrid(CATEGORIES, r.categories_detenues, id=field_dom_id("motif.retour.categories_detenues")),
                )
            yield Static(NOTE_AVIS, classes="notice", markup=False)
            yield Static("", id="motif-derived", markup=False)

    def load_composed(self) -> None:
        m = self.demande.motif
        self.query_one("#" + field_dom_id("motif.categories_lourdes"), CheckGrid).show_selected(m.categories_lourdes)
        grid = self.query_one("#" + field_dom_id("motif.retour.categories_detenues"), CheckGrid)
        grid.show_selected(m.retour.categories_detenues)

    # -- choices write straight into the model -----------------------------
    @on(RadioSet.Changed)
    def _choice(self, event: RadioSet.Changed) -> None:
        if self.store_choice(event) is not None:
            self.refresh_dynamic()

    @on(CheckGrid.Changed)
    def _categories(self, event: CheckGrid.Changed) -> None:
        if self.read_only:
            return
        m = self.demande.motif
        selected = event.grid.selected
        if event.grid.id == field_dom_id("motif.categories_lourdes"):
            m.categories_lourdes = [c for c in CATEGORIES_LOURDES if c in selected]
        else:
            m.retour.categories_detenues = [c for c in CATEGORIES if c in selected]
        self.refresh_dynamic()

    def refresh_dynamic(self) -> None:
        m = self.demande.motif
        self.query_one("#motif-unsupported").display = m.motif is not None and m.motif not in MOTIFS_PRIS_EN_CHARGE
        self.query_one("#motif-inscription").display = m.motif is MotifKind.INSCRIPTION
        self.rows["motif.categories_lourdes"].display = bool(m.categorie_lourde)
        self.query_one("#motif-retour").display = m.est_retour
        self.rows["motif.retour.invalidation_precedente_5_ans"].display = m.retour.mesure is Mesure.INVALIDATION
        derived, text = self.query_one("#motif-derived", Static), self.derived_text()
        if derived.content != text:  # re-laying out the step on every field left is slow over SSH
            derived.update(text)
        warnings = {w.field: w.message for w in motif_warnings(self.demande)}
        for field_id in ("motif.retour.duree_interdiction_mois", "motif.retour.date_fin_interdiction"):
            self.rows[field_id].set_warning(warnings.get(field_id))

    def derived_text(self) -> str:
        m = self.demande.motif
        if m.motif is not MotifKind.INSCRIPTION:
            return ""
        lines = ["Ce que l'assistant en déduit :"]
        lines.append(
            "• Avis médical : "
            + (
                "requis (à joindre à l'étape 5)."
                if avis_medical_requis(m)
                else "la visite médicale n'est pas nécessaire."
            )
        )
        if m.est_retour:
            conseil = conseil_retour(m.retour, date.today())
            lines += ["• " + ligne if not ligne.startswith(" ") else "  " + ligne for ligne in conseil.lignes()]
            fin = date_fin_calculee(m.retour)
            if fin and not m.retour.date_fin_interdiction:
                lines.append(f"• Nouveau permis possible à partir du {fin:%d/%m/%Y} (restitution + durée).")
        return "\n".join(lines)
