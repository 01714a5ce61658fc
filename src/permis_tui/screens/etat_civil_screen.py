"""Étape 2 : état civil de la personne concernée par le titre."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, RadioSet, Select, Static

from permis_tui import referentiel
from permis_tui.model import fields
from permis_tui.model.completeness import age_warning
from permis_tui.model.etat_civil import PAYS_FRANCE, PRENOMS_MAX
from permis_tui.screens.step_screen import StepScreen
from permis_tui.widgets.field_row import field_dom_id
from permis_tui.widgets.search_select import SearchSelect

ORDINALS = ["1er", "2e", "3e", "4e", "5e", "6e"]


def search_pays(query: str) -> list[tuple[str, str]]:
    # "FR|971": France with Guadeloupe already chosen as département.
    return [
        (c.libelle, c.pays + (f"|{c.departement}" if c.departement else ""))
        for c in referentiel.rechercher_pays(query, limit=30)
    ]


class EtatCivilScreen(StepScreen):
    STEP = 2
    HELP = """\
**Ce que demande cette étape** : l'état civil de la personne concernée par le titre, **exactement**
comme sur sa pièce d'identité : noms, prénoms dans l'ordre de l'état civil (prénoms composés avec
un tiret, ex. Jean-Pierre), date et lieu de naissance.

**À avoir sous la main** : la carte d'identité ou le passeport.

- Date inconnue : saisissez 00 pour le jour ou le mois (00/00/1975 ou 00/07/1975).
- Lieu de naissance : choisissez le pays, puis (en France) le département, puis la commune.
  Outre-mer (Guadeloupe, La Réunion, Nouvelle-Calédonie…), c'est la France : tapez le nom du
  département ou de la collectivité dans « Pays de naissance », il est choisi pour vous.
  Les anciennes communes (déléguées ou associées) sont dans la liste.
- Dans une liste de choix : tapez le début du nom, ↓ pour entrer dans la liste, Entrée pour choisir.
"""

    def compose_body(self) -> ComposeResult:
        e = self.demande.etat_civil
        yield Static("État civil de la personne concernée par le titre", classes="section-title")
        yield self.text_field("etat_civil.nom_naissance")
        yield self.text_field("etat_civil.nom_usage")
        yield self.choice_field("etat_civil.sexe")
        prenoms_box = Vertical(
            *[
                Input(
                    placeholder=f"{ORDINALS[i]} prénom",
                    id=field_dom_id(f"etat_civil.prenoms.{i}"),
                    select_on_focus=False,
                    compact=True,
                )
                for i in range(PRENOMS_MAX)
            ],
            Button("+ Ajouter un prénom", id="add-prenom", compact=True),
            id="prenoms-box",
        )
        yield self.field_row("etat_civil.prenoms", prenoms_box)
        yield self.text_field("etat_civil.date_naissance")
        yield self.field_row(
            "etat_civil.pays_naissance",
            SearchSelect(
                search_pays,
                placeholder="Tapez le début du nom : France, Allemagne…",
                value=e.pays_naissance,
                label=self._pays_label(),
                id=field_dom_id("etat_civil.pays_naissance"),
            ),
        )
        yield self.field_row(
            "etat_civil.departement_naissance",
            Select(
                [(f"{d.code} — {d.nom}", d.code) for d in referentiel.departements()],
                prompt="Choisissez le département",
                value=e.departement_naissance or Select.NULL,
                id=field_dom_id("etat_civil.departement_naissance"),
                compact=True,
            ),
        )
        yield self.field_row(
            "etat_civil.commune_naissance",
            SearchSelect(
                self.search_commune,
                placeholder="Tapez le début du nom de la commune",
                value=e.commune_naissance_code,
                label=self._commune_label(),
                id=field_dom_id("etat_civil.commune_naissance"),
            ),
        )
        yield self.text_field("etat_civil.ville_naissance")

    def search_commune(self, query: str) -> list[tuple[str, str]]:
        dep = self.demande.etat_civil.departement_naissance
        return [
            (c.libelle, c.code + "|" + c.nom) for c in referentiel.rechercher_communes(query, departement=dep, limit=30)
        ]

    def _pays_label(self) -> str:
        code = self.demande.etat_civil.pays_naissance
        pays = referentiel.pays_par_code(code) if code else None
        return pays.nom if pays else ""

    def _commune_label(self) -> str:
        e = self.demande.etat_civil
        if not e.commune_naissance_code:
            return ""
        c = referentiel.commune_par_code(e.commune_naissance_code)
        return c.libelle if c else (e.commune_naissance or "")

    # -- model <-> widgets ---------------------------------------------------
    def load_composed(self) -> None:
        e = self.demande.etat_civil
        for field_id, value, label in (
            ("etat_civil.pays_naissance", e.pays_naissance, self._pays_label()),
            ("etat_civil.commune_naissance", e.commune_naissance_code, self._commune_label()),
        ):
            search = self.query_one("#" + field_dom_id(field_id), SearchSelect)
            if (search.value, search.text) != (value, label):
                search.set_choice(value, label)
        departement = self.query_one("#" + field_dom_id("etat_civil.departement_naissance"), Select)
        departement.value = e.departement_naissance or Select.NULL

    def load_controls(self) -> None:
        prenoms = self.demande.etat_civil.prenoms
        for i in range(PRENOMS_MAX):
            pending = self.demande.saisies.get(f"etat_civil.prenoms.{i}")
            value = pending if pending is not None else (prenoms[i] if i < len(prenoms) else "")
            self.query_one("#" + field_dom_id(f"etat_civil.prenoms.{i}"), Input).value = value
        self._shown_prenoms = max(
            2, len(prenoms), *(i + 1 for i in range(PRENOMS_MAX) if f"etat_civil.prenoms.{i}" in self.demande.saisies)
        )

    def collect_extra(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        values: list[str | None] = []
        raws = [self.query_one("#" + field_dom_id(f"etat_civil.prenoms.{i}"), Input).value for i in range(PRENOMS_MAX)]
        for i, raw in enumerate(raws):
            field_id = f"etat_civil.prenoms.{i}"
            try:
                values.append(fields.normalize_name(raw, required=False))
            except fields.InvalidValue as exc:
                errors[field_id] = f"{ORDINALS[i]} prénom : {exc}"
                values.append(None)
            else:
                self.demande.saisies.pop(field_id, None)
        # Prénoms are ordered as on the birth certificate: a gap would shift them silently.
        last = max((i for i, raw in enumerate(raws) if raw.strip()), default=-1)
        for i in range(last):
            if not raws[i].strip():
                errors.setdefault(
                    f"etat_civil.prenoms.{i}",
                    f"{ORDINALS[i]} prénom vide : saisissez les prénoms dans l'ordre de l'état civil, sans case vide.",
                )
        if errors:
            for i, raw in enumerate(raws[: last + 1]):
                self.demande.saisies[f"etat_civil.prenoms.{i}"] = raw
        else:
            self.demande.etat_civil.prenoms = [v for v in values if v]
        return errors

    def refresh_dynamic(self) -> None:
        e = self.demande.etat_civil
        france = e.pays_naissance == PAYS_FRANCE
        self.rows["etat_civil.departement_naissance"].display = france
        self.rows["etat_civil.commune_naissance"].display = france and bool(e.departement_naissance)
        self.rows["etat_civil.ville_naissance"].display = bool(e.pays_naissance) and not france
        for i in range(PRENOMS_MAX):
            self.query_one("#" + field_dom_id(f"etat_civil.prenoms.{i}"), Input).display = i < self._shown_prenoms
        self.query_one("#add-prenom").display = self._shown_prenoms < PRENOMS_MAX and not self.read_only
        self.rows["etat_civil.date_naissance"].set_warning(age_warning(self.demande, date.today()))

    @on(Button.Pressed, "#add-prenom")
    def _add_prenom(self, event: Button.Pressed) -> None:
        event.stop()
        self._shown_prenoms = min(PRENOMS_MAX, self._shown_prenoms + 1)
        self.refresh_dynamic()
        self.query_one("#" + field_dom_id(f"etat_civil.prenoms.{self._shown_prenoms - 1}"), Input).focus()

    @on(RadioSet.Changed)
    def _sexe(self, event: RadioSet.Changed) -> None:
        self.store_choice(event)

    @on(SearchSelect.Selected)
    def _picked(self, event: SearchSelect.Selected) -> None:
        if self.read_only:
            return
        e = self.demande.etat_civil
        if event.control.id == field_dom_id("etat_civil.pays_naissance"):
            code, _, dep = (event.value or "").partition("|")
            if e.pays_naissance != code:
                e.pays_naissance = code or None
                e.departement_naissance = None
                e.commune_naissance_code = e.commune_naissance = None
                self.query_one("#" + field_dom_id("etat_civil.departement_naissance"), Select).clear()
                self.query_one("#" + field_dom_id("etat_civil.commune_naissance"), SearchSelect).set_choice(None, "")
            if dep:
                # An outre-mer picked as a country: France, with that département chosen.
                france = referentiel.pays_par_code(code)
                event.control.set_choice(code, france.nom if france else code)
                if e.departement_naissance != dep:
                    e.departement_naissance = dep
                    e.commune_naissance_code = e.commune_naissance = None
                    self.query_one("#" + field_dom_id("etat_civil.commune_naissance"), SearchSelect).set_choice(
                        None, ""
                    )
                with self.prevent(Select.Changed):
                    self.query_one("#" + field_dom_id("etat_civil.departement_naissance"), Select).value = dep
                self.rows["etat_civil.departement_naissance"].set_error(None)
            self.rows["etat_civil.pays_naissance"].set_error(None)
        else:
            code, _, nom = (event.value or "|").partition("|")
            e.commune_naissance_code, e.commune_naissance = code or None, nom or None
            self.rows["etat_civil.commune_naissance"].set_error(None)
        self.refresh_dynamic()

    @on(Select.Changed)
    def _departement(self, event: Select.Changed) -> None:
        if self.read_only:
            return
        e = self.demande.etat_civil
        value = None if event.value is Select.NULL else event.value
        if value != e.departement_naissance:
            e.departement_naissance = value
            e.commune_naissance_code = e.commune_naissance = None
            self.query_one("#" + field_dom_id("etat_civil.commune_naissance"), SearchSelect).set_choice(None, "")
        self.refresh_dynamic()
