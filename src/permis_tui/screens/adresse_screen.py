"""Étape 3 : adresse et contact."""

from __future__ import annotations

from typing import cast

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, RadioSet, Select, Static
from textual.widgets.select import NoSelection

from permis_tui import referentiel
from permis_tui.model import catalogue
from permis_tui.screens.step_screen import StepScreen
from permis_tui.widgets.field_row import field_dom_id
from permis_tui.widgets.quiet import QuietSelect


class AdresseScreen(StepScreen):
    STEP = 3
    HELP = """\
**Ce que demande cette étape** : l'adresse de la personne concernée par le titre, une adresse mél
(obligatoire : la confirmation y est envoyée) et, de préférence, un téléphone portable.

**À avoir sous la main** : un justificatif de domicile récent (il sera demandé à l'étape 5).

- Saisissez le code postal : la liste des communes desservies se remplit.
- La préfecture de rattachement est celle (ou la sous-préfecture) dont relève votre domicile ;
  à Paris, la Préfecture de police.
- Répondez « Oui » à la réutilisation des données pour être informé de l'avancée de votre demande.
"""

    def __init__(self, *, return_to_recap: bool = False) -> None:
        super().__init__(return_to_recap=return_to_recap)
        self._options_shown: dict[str | None, list[tuple[str, str]]] = {}  # see _show_options

    def compose_body(self) -> ComposeResult:
        a = self.demande.adresse
        yield Static("Adresse de la personne concernée par le titre", classes="section-title")
        yield self.text_field("adresse.numero_voie")
        yield self.text_field("adresse.extension")
        yield self.field_row(
            "adresse.type_voie",
            QuietSelect(
                [(label, value) for value, label in catalogue.field("adresse.type_voie").options],
                prompt="Choisissez le type de voie",
                value=a.type_voie or Select.NULL,
                id=field_dom_id("adresse.type_voie"),
                compact=True,
            ),
        )
        yield self.text_field("adresse.nom_voie")
        yield self.text_field("adresse.complement")
        yield self.text_field("adresse.code_postal", set=self._set_code_postal)
        yield self.field_row("adresse.commune", self._built_select("adresse.commune", *self._communes()))
        yield self.field_row("adresse.prefecture", self._built_select("adresse.prefecture", *self._prefectures()))
        yield Static("Coordonnées où l'on peut vous joindre", classes="section-title")
        yield self.text_field("adresse.email")
        yield self.text_field("adresse.telephone")
        yield self.choice_field("adresse.consentement")

    def _set_code_postal(self, value: str | None) -> None:
        a = self.demande.adresse
        if value != a.code_postal:
            a.code_postal = value
            a.commune_code = a.commune = None
            a.prefecture = None
        self._fill_communes()

    # -- cascade: code postal → commune → préfecture -----------------------------
    def load_composed(self) -> None:
        select = self.query_one("#" + field_dom_id("adresse.type_voie"), Select)
        select.value = self.demande.adresse.type_voie or Select.NULL

    def load_controls(self) -> None:
        self._fill_communes()

    def _built_select(
        self, field_id: str, options: list[tuple[str, str]], value: str | NoSelection, prompt: str
    ) -> Select:
        """A cascade's select built with its options (setting them once mounted costs a
        restyle and a layout of its list, a large part of the step's first visit)."""
        select = QuietSelect(options, prompt=prompt, value=value, id=field_dom_id(field_id), compact=True)
        self._options_shown[select.id] = options
        return select

    def _fill_communes(self) -> None:
        select = self.query_one("#" + field_dom_id("adresse.commune"), Select)
        with self.prevent(Select.Changed):
            self._show_options(select, *self._communes())
        self._fill_prefectures()

    def _communes(self) -> tuple[list[tuple[str, str]], str | NoSelection, str]:
        """The communes of the code postal, the one chosen (the only one is chosen for the
        person, in the demande too) and the select's prompt."""
        a = self.demande.adresse
        communes = referentiel.communes_par_code_postal(a.code_postal) if a.code_postal else []
        value: str | NoSelection = Select.NULL
        if a.commune_code and any(c.code == a.commune_code for c in communes):
            value = a.commune_code
        elif len(communes) == 1:
            value = communes[0].code
            a.commune_code, a.commune = communes[0].code, communes[0].nom
        prompt = "Choisissez la commune" if communes else "Saisissez d'abord le code postal"
        return [(c.libelle, c.code) for c in communes], value, prompt

    def _show_options(
        self, select: Select, options: list[tuple[str, str]], value: str | NoSelection, prompt: str
    ) -> None:
        """The select's options, then `value` chosen. The same options as last time are not
        set again: a step left with its code postal unchanged (each text field is parsed again)
        rebuilt both lists twice, a large part of leaving the step. set_options resets the
        choice to none: the value is set in both cases, so the result is the same."""
        if self._options_shown.get(select.id) != options:
            select.set_options(options)
            self._options_shown[select.id] = options
        select.value = value
        select.prompt = prompt

    def _fill_prefectures(self) -> None:
        select = self.query_one("#" + field_dom_id("adresse.prefecture"), Select)
        with self.prevent(Select.Changed):
            self._show_options(select, *self._prefectures())

    def _prefectures(self) -> tuple[list[tuple[str, str]], str | NoSelection, str]:
        """The préfectures of the commune's département, the one chosen (a default is
        pre-selected, in the demande too) and the select's prompt."""
        a = self.demande.adresse
        commune = referentiel.commune_par_code(a.commune_code) if a.commune_code else None
        prefs = referentiel.prefectures(commune.departement) if commune else []
        value: str | NoSelection = Select.NULL
        if a.prefecture and any(p.code_commune == a.prefecture for p in prefs):
            value = a.prefecture
        elif (
            commune
            and prefs
            and (
                # Pre-selected, still changeable: the commune's own seat when it is one
                # (Le Havre → Sous-préfecture du Havre), else the département's préfecture.
                choice := referentiel.prefecture_par_defaut(commune.code, commune.departement)
            )
        ):
            value = a.prefecture = choice.code_commune
        else:
            a.prefecture = None
        prompt = "Choisissez la préfecture" if prefs else "Choisissez d'abord la commune"
        return [(p.nom, p.code_commune) for p in prefs], value, prompt

    @on(Input.Changed, "#f-adresse-code_postal")
    def _cp_typed(self, event: Input.Changed) -> None:
        # Fill the communes as soon as 5 digits are typed, without waiting for the field to be left.
        value = event.value.strip()
        if len(value) == 5 and value.isdigit() and value != self.demande.adresse.code_postal and not self.read_only:
            self._set_code_postal(value)
            self.demande.saisies.pop("adresse.code_postal", None)
            if not referentiel.code_postal_existe(value):
                self.rows["adresse.code_postal"].set_error(f"Le code postal {value} n'existe pas.")
            else:
                self.rows["adresse.code_postal"].set_error(None)

    @on(Select.Changed)
    def _selected(self, event: Select.Changed) -> None:
        if self.read_only:
            return
        a = self.demande.adresse
        value = None if event.value is Select.NULL else cast(str, event.value)  # the options' values are codes
        if event.select.id == field_dom_id("adresse.type_voie"):
            a.type_voie = value
        elif event.select.id == field_dom_id("adresse.commune"):
            commune = referentiel.commune_par_code(value) if value else None
            a.commune_code, a.commune = (commune.code, commune.nom) if commune else (None, None)
            self.rows["adresse.commune"].set_error(None)
            self._fill_prefectures()
        elif event.select.id == field_dom_id("adresse.prefecture"):
            a.prefecture = value
            self.rows["adresse.prefecture"].set_error(None)

    @on(RadioSet.Changed)
    def _consent(self, event: RadioSet.Changed) -> None:
        self.store_choice(event)
