"""Étape 4 : photo et signature.

Three choices, as on the ANTS site: a code photo signature numérique, a classic photo sent
by post with the formulaire de dépôt (printed at step 7), or no photo yet. "No photo
yet" is saved with the draft, but the step is not complete: "Étape suivante" checks
the step like every other and says what to do.

A photo over 6 months old is a warning here (the person may go on and fill in the rest),
while the récapitulatif still refuses to validate with it (completeness rule).
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.widgets import Input, RadioSet, Static

from permis_tui.model import fields
from permis_tui.model.catalogue import parse_code_ephoto
from permis_tui.model.completeness import FieldIssue, ephoto_expiree
from permis_tui.model.photo import EPHOTO_VALIDITE_MOIS, PhotoChoice
from permis_tui.screens.step_screen import StepScreen
from permis_tui.widgets.field_row import field_dom_id

OU_OBTENIR = (
    "Où obtenir un code ? Dans une cabine photo ou chez un photographe habilités, qui affichent le "
    "logo « agréé ANTS ». La photo et la signature y sont numérisées ; le code (22 caractères) "
    "figure sur la planche photo remise. Il est valable 6 mois."
)
NORMES = (
    "Normes de la photo d'identité :\n"
    "• format 35 × 45 mm ;\n"
    "• visage de 32 à 36 mm du menton au sommet du crâne ;\n"
    "• fond clair et uni, mais pas blanc ;\n"
    "• photo de moins de 6 mois ;\n"
    "• expression neutre, bouche fermée, visage et yeux bien visibles."
)
COURRIER = (
    "Le site de l'ANTS donne, au dépôt de la demande, le formulaire photo-signature à imprimer ; à "
    "l'étape 7, l'assistant en prépare un sur le même modèle (formulaire de dépôt) : collez-y la photo (sans agrafe), signez à l'encre noire dans le cadre prévu, puis envoyez-le "
    "par courrier simple à l'adresse indiquée. Ne joignez aucune pièce justificative à ce courrier."
)
SANS_PHOTO = (
    "Pour continuer, procurez-vous d'abord un code photo signature numérique : rendez-vous dans une "
    "cabine photo ou chez un photographe habilités (logo « agréé ANTS » ; la liste et la géolocalisation des "
    "photographes est sur le site de l'ANTS). Vous pouvez aussi choisir l'envoi d'une photo classique "
    "par courrier.\n"
    "Votre demande reste enregistrée comme brouillon : « Enregistrer », puis reprenez-la plus tard "
    "depuis l'accueil avec son numéro. Elle ne pourra pas être validée tant qu'une photo n'est pas fournie."
)


def date_warning(date_photo: str | None, today: date | None = None) -> str | None:
    if date_photo and ephoto_expiree(date_photo, today or date.today()):
        return (
            f"Photo de plus de {EPHOTO_VALIDITE_MOIS} mois : le code n'est plus valable. "
            "Faites une nouvelle photo ; la demande ne pourra pas être validée avec ce code."
        )
    return None


class PhotoScreen(StepScreen):
    STEP = 4
    HELP = """\
**Ce que demande cette étape** : comment votre photo d'identité et votre signature seront transmises.

- **Code photo signature numérique** : obtenu dans une cabine ou chez un photographe habilités
  (logo « agréé ANTS »).
  Saisissez les 22 caractères figurant sur la planche (espaces et tirets facultatifs) et la date de la photo.
- **Photo classique par courrier** : le site de l'ANTS donne le formulaire photo-signature ;
  à l'étape 7, l'assistant prépare le formulaire de dépôt sur ce modèle : collez la photo,
  signez et envoyez-le par courrier.
- **Pas encore de photo** : la demande est enregistrée comme brouillon ; revenez-y une fois le code obtenu.

Normes : 35 × 45 mm, visage de 32 à 36 mm, fond clair uni non blanc, moins de 6 mois, expression neutre.
"""

    def compose_body(self) -> ComposeResult:
        yield Static("Photo et signature", classes="section-title")
        yield self.choice_field("photo.choix")
        with VerticalGroup(id="photo-ephoto"):
            yield Static(OU_OBTENIR, classes="photo-info", markup=False)
            yield self.text_field("photo.code_ephoto")
            yield Static("", id="photo-code-count", markup=False)
            yield self.text_field("photo.date_photo")
        with VerticalGroup(id="photo-courrier"):
            yield Static(COURRIER, classes="photo-info", markup=False)
            yield Static(NORMES, classes="photo-normes", markup=False)
        with VerticalGroup(id="photo-sans"):
            yield Static(SANS_PHOTO, classes="notice", markup=False)
            yield Static(OU_OBTENIR, classes="photo-info", markup=False)

    # -- choices write straight into the model -----------------------------
    @on(RadioSet.Changed)
    def _choice(self, event: RadioSet.Changed) -> None:
        if self.store_choice(event) is not None:
            self.refresh_dynamic()

    @on(Input.Changed, "#f-photo-code_ephoto")
    def _code_typed(self, event: Input.Changed) -> None:
        self._show_count(event.value)

    @on(Input.Blurred, "#f-photo-code_ephoto")
    def _code_left(self, event: Input.Blurred) -> None:
        # Show a valid code grouped by 4, as on the planche photo.
        try:
            code = parse_code_ephoto(event.value)
        except fields.InvalidValue:
            return
        if code and event.input.value != fields.group_by_4(code):
            event.input.value = fields.group_by_4(code)

    def _show_count(self, raw: str) -> None:
        n = len("".join(ch for ch in raw if ch not in " -\t"))
        text = f"{n} caractère{'s' if n > 1 else ''} sur {fields.EPHOTO_LENGTH}" if n else ""
        self.query_one("#photo-code-count", Static).update(text)

    def refresh_dynamic(self) -> None:
        choix = self.demande.photo.choix
        self.query_one("#photo-ephoto").display = choix is PhotoChoice.EPHOTO
        self.query_one("#photo-courrier").display = choix is PhotoChoice.COURRIER
        self.query_one("#photo-sans").display = choix is PhotoChoice.SANS
        self.rows["photo.date_photo"].set_warning(date_warning(self.demande.photo.date_photo))
        self._show_count(self.query_one("#" + field_dom_id("photo.code_ephoto"), Input).value)

    def issues(self) -> list[FieldIssue]:
        # An old photo is a warning at this step (see the module docstring).
        issues = super().issues()  # parses the fields first
        if date_warning(self.demande.photo.date_photo) is None:
            return issues
        return [i for i in issues if not (i.field == "photo.date_photo" and "6 mois" in i.message)]
