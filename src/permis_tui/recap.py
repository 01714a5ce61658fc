"""The récapitulatif (step 6): every answer, grouped by step, in the ANTS site's wording.

Domain core, no Textual: the step-6 screen shows these groups, the recap PDF
prints them, and `depot_data` feeds the formulaire de dépôt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from permis_tui.documents.verdict import pages_text
from permis_tui.model import catalogue
from permis_tui.model.completeness import STEP_TITLES, pieces_de_la_demande
from permis_tui.model.conseil import conseil_retour
from permis_tui.model.demande import Demande
from permis_tui.model.fields import format_date, format_mobile, group_by_4
from permis_tui.model.motif import Mesure, MotifKind, Personne, TypeInscription
from permis_tui.model.photo import PhotoChoice
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.rules import avis_medical_requis, date_fin_calculee
from permis_tui.preparation import AVERTISSEMENT, REFERENCE_LABEL

if TYPE_CHECKING:
    from permis_tui.forms.depot_data import DepotData
    from permis_tui.forms.recap_section import RecapSection

RECAP_PDF_TITRE = "Demande de permis de conduire"
AVIS_REQUIS = "Un avis médical d'aptitude à la conduite est nécessaire"
AVIS_NON_REQUIS = "La visite médicale n'est pas nécessaire"
NON_RENSEIGNE = "Non renseigné"


def aujourdhui() -> date:
    """Today's date; a function so that tests and snapshots can fix it."""
    return date.today()


def maintenant() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


@dataclass(frozen=True)
class RecapLigne:
    label: str  # "" for a sentence that stands alone
    valeur: str


@dataclass(frozen=True)
class RecapGroupe:
    step: int
    titre: str
    lignes: list[RecapLigne] = field(default_factory=list)


def _label(field_id: str) -> str:
    """The récapitulatif's wording for a field, from the catalogue."""
    return catalogue.field(field_id).in_recap


def _choice(demande: Demande, field_id: str) -> str:
    """A chosen option, in the words the step offered it."""
    f = catalogue.field(field_id)
    return f.option_label(f.value(demande)) or NON_RENSEIGNE


def _ou(value: str | None) -> str:
    return value if value else NON_RENSEIGNE


# -- step 1 -------------------------------------------------------------------
def _motif(demande: Demande, today: date) -> list[RecapLigne]:
    m = demande.motif
    if m.motif is None:
        return [RecapLigne("", "Motif de la demande : non renseigné.")]
    lines: list[RecapLigne] = []
    if m.personne is Personne.MAJEURE:
        lines.append(
            RecapLigne("", "Vous effectuez la demande pour vous-même en tant que personne majeure ou mineure émancipée")
        )
    elif m.personne is Personne.MINEURE:
        lines.append(RecapLigne("", "Vous effectuez la demande pour une personne mineure"))
    if m.motif is not MotifKind.INSCRIPTION:
        return lines + [RecapLigne("", m.motif.label + " (motif non pris en charge par cet assistant)")]
    lines.append(RecapLigne("", "Vous avez choisi de faire une demande d'inscription au permis de conduire."))
    if m.type_inscription is TypeInscription.PREMIERE:
        lines.append(RecapLigne("", "Il s'agit d'une inscription pour passer les épreuves du permis de conduire"))
    elif m.type_inscription is TypeInscription.RETOUR:
        lines.append(
            RecapLigne(
                "",
                "Il s'agit d'un retour au permis (à la suite d'une invalidation ou annulation du permis de conduire)",
            )
        )
    if m.categorie_lourde is True:
        lourdes = ", ".join(m.categories_lourdes) or NON_RENSEIGNE
        lines.append(RecapLigne(_label("motif.categorie_lourde"), f"Oui : {lourdes}"))
    elif m.categorie_lourde is False:
        lines.append(RecapLigne(_label("motif.categorie_lourde"), "Non"))
    if m.est_retour:
        lines += _retour(demande, today)
    lines.append(RecapLigne("", AVIS_REQUIS if avis_medical_requis(m) else AVIS_NON_REQUIS))
    return lines


def _retour(demande: Demande, today: date) -> list[RecapLigne]:
    r = demande.motif.retour
    lines = [RecapLigne(_label("motif.retour.mesure"), _choice(demande, "motif.retour.mesure"))]
    if r.mesure is Mesure.INVALIDATION and r.invalidation_precedente_5_ans is not None:
        lines.append(
            RecapLigne(
                _label("motif.retour.invalidation_precedente_5_ans"),
                "Oui" if r.invalidation_precedente_5_ans else "Non",
            )
        )
    lines.append(RecapLigne(catalogue.date_mesure_label(demande), _ou(format_date(r.date_mesure))))
    lines.append(RecapLigne(_label("motif.retour.date_restitution"), _ou(format_date(r.date_restitution))))
    duree = r.duree_interdiction_mois
    lines.append(
        RecapLigne(_label("motif.retour.duree_interdiction_mois"), NON_RENSEIGNE if duree is None else f"{duree} mois")
    )
    fin = r.date_fin_interdiction
    calc = date_fin_calculee(r)
    if fin:
        lines.append(RecapLigne(_label("motif.retour.date_fin_interdiction"), format_date(fin)))
    elif calc:
        lines.append(
            RecapLigne(_label("motif.retour.date_fin_interdiction"), f"{format_date(calc)} (restitution + durée)")
        )
    lines.append(RecapLigne(_label("motif.retour.date_premier_permis"), _ou(format_date(r.date_premier_permis))))
    lines.append(
        RecapLigne(_label("motif.retour.categories_detenues"), ", ".join(r.categories_detenues) or NON_RENSEIGNE)
    )
    conseil = conseil_retour(r, today)
    result = conseil.result
    if result.epreuves is None:
        lines.append(RecapLigne("Épreuves à repasser", "à déterminer : renseignez " + ", ".join(result.manquant)))
        return lines
    lines.append(RecapLigne("Épreuves à repasser", result.epreuves.label))
    lines += [RecapLigne("", f"– {raison}") for raison in result.raisons]
    if conseil.phrase_delai:
        lines.append(RecapLigne("", conseil.phrase_delai))
    lines += [RecapLigne("", a) for a in conseil.avertissements]
    lines += [RecapLigne("Étapes" if i == 1 else "", f"{i}. {etape}") for i, etape in enumerate(conseil.etapes, 1)]
    return lines


# -- step 2 -------------------------------------------------------------------
def _etat_civil(demande: Demande) -> list[RecapLigne]:
    from permis_tui import referentiel

    e = demande.etat_civil
    lines = [RecapLigne(_label("etat_civil.nom_naissance"), _ou(e.nom_naissance))]
    if e.nom_usage:
        lines.append(RecapLigne(_label("etat_civil.nom_usage"), e.nom_usage))
    lines.append(RecapLigne(_label("etat_civil.sexe"), _choice(demande, "etat_civil.sexe")))
    lines.append(
        RecapLigne(_label("etat_civil.prenoms"), catalogue.field("etat_civil.prenoms").shown(demande) or NON_RENSEIGNE)
    )
    lines.append(RecapLigne(_label("etat_civil.date_naissance"), _ou(e.date_naissance)))
    pays = referentiel.pays_par_code(e.pays_naissance) if e.pays_naissance else None
    lines.append(RecapLigne(_label("etat_civil.pays_naissance"), pays.nom if pays else _ou(e.pays_naissance)))
    if e.ne_en_france:
        dep = referentiel.departement(e.departement_naissance) if e.departement_naissance else None
        lines.append(
            RecapLigne(_label("etat_civil.departement_naissance"), dep.libelle if dep else _ou(e.departement_naissance))
        )
        commune = (
            referentiel.commune_par_code(e.commune_naissance_code, e.commune_naissance)
            if e.commune_naissance_code
            else None
        )
        lines.append(
            RecapLigne(_label("etat_civil.commune_naissance"), commune.libelle if commune else _ou(e.commune_naissance))
        )
    else:
        lines.append(RecapLigne(_label("etat_civil.ville_naissance"), _ou(e.commune_naissance)))
    return lines


# -- step 3 -------------------------------------------------------------------
def nom_prefecture(demande: Demande) -> str | None:
    from permis_tui import referentiel

    a = demande.adresse
    if not a.prefecture:
        return None
    deps = []
    if a.commune_code:
        commune = referentiel.commune_par_code(a.commune_code)
        if commune is not None:
            deps.append(commune.departement)
    for dep in deps:
        for p in referentiel.prefectures(dep):
            if p.code_commune == a.prefecture:
                return p.nom
    return a.prefecture


def _adresse(demande: Demande) -> list[RecapLigne]:
    a = demande.adresse
    lines = [RecapLigne("Adresse", ", ".join(a.lignes()) or NON_RENSEIGNE)]
    lines.append(RecapLigne(_label("adresse.prefecture"), _ou(nom_prefecture(demande))))
    lines.append(RecapLigne(_label("adresse.email"), _ou(a.email)))
    lines.append(RecapLigne(_label("adresse.telephone"), format_mobile(a.telephone) or "Non renseigné (recommandé)"))
    lines.append(RecapLigne(_label("adresse.consentement"), _choice(demande, "adresse.consentement")))
    return lines


# -- step 4 -------------------------------------------------------------------
def _photo(demande: Demande) -> list[RecapLigne]:
    p = demande.photo
    if p.choix is None:
        return [RecapLigne("", "Photo et signature : non renseigné.")]
    lines = [RecapLigne("", p.choix.label)]
    if p.choix is PhotoChoice.EPHOTO:
        lines.append(
            RecapLigne(_label("photo.code_ephoto"), group_by_4(p.code_ephoto) if p.code_ephoto else NON_RENSEIGNE)
        )
        lines.append(RecapLigne(_label("photo.date_photo"), _ou(p.date_photo)))
    elif p.choix is PhotoChoice.COURRIER:
        # The same lines feed the screen (before validation) and the recap PDF (after it).
        fourni = "est fourni" if demande.est_validee else "sera fourni à l'étape 7"
        lines.append(RecapLigne("", f"Le formulaire de dépôt {fourni} : à imprimer, signer et envoyer avec la photo."))
    return lines


# -- step 5 -------------------------------------------------------------------
def _pieces(demande: Demande, today: date) -> list[RecapLigne]:
    p = demande.pieces
    lines = [RecapLigne(_label("pieces.identite_type"), _choice(demande, "pieces.identite_type"))]
    if p.identite_type is None or p.identite_type.a_une_expiration:
        lines.append(RecapLigne(_label("pieces.identite_expiration"), _ou(p.identite_expiration)))
    if p.domicile_type is not None:
        lines.append(RecapLigne(_label("pieces.domicile_type"), _choice(demande, "pieces.domicile_type")))
    lines.append(RecapLigne(_label("pieces.domicile_date"), _ou(p.domicile_date)))
    if avis_medical_requis(demande.motif):
        lines.append(RecapLigne(_label("pieces.avis_medical_date"), _ou(p.avis_medical_date)))
    au_nom = {True: "Oui", False: "Non (attestation d'hébergement jointe)", None: NON_RENSEIGNE}[p.domicile_au_nom]
    lines.append(RecapLigne(_label("pieces.domicile_au_nom"), au_nom))
    requises = pieces_de_la_demande(demande, today)
    kinds = requises + [k for k in PieceKind if k not in requises and p.of(k)]
    for kind in kinds:
        label = f"{_label(catalogue.piece_field_id(kind))} ({pages_text(p.pages(kind))} / {pages_text(kind.max_pages)} maximum)"
        files = p.of(kind)
        if not files:
            lines.append(RecapLigne(label, "Aucun fichier joint"))
        for i, f in enumerate(files):
            pages = f" ({pages_text(f.pages)})" if f.pages is not None else ""
            lines.append(RecapLigne(label if i == 0 else "", f"{f.nom_original} : {f.verdict}{pages}"))
    return lines


def mention_validation(demande: Demande) -> str:
    """What a validée demande's récapitulatif says instead of "Relisez… avant la validation"."""
    quand = f" le {demande.valide_le.astimezone():%d/%m/%Y à %H:%M}" if demande.valide_le else ""
    return (
        f"Demande validée{quand}. Ce récapitulatif est la copie de ce qui a été validé, en lecture "
        "seule ; pour faire une nouvelle demande à partir de celle-ci, dupliquez-la depuis l'accueil (touche d)."
    )


def recap_groupes(demande: Demande, today: date | None = None) -> list[RecapGroupe]:
    """Steps 1 to 5, each with its lines."""
    today = today or aujourdhui()
    return [
        RecapGroupe(1, "Motif de la demande du titre", _motif(demande, today)),
        RecapGroupe(2, "État civil de la personne concernée par le titre", _etat_civil(demande)),
        RecapGroupe(3, STEP_TITLES[3], _adresse(demande)),
        RecapGroupe(4, STEP_TITLES[4], _photo(demande)),
        RecapGroupe(5, STEP_TITLES[5], _pieces(demande, today)),
    ]


def recap_sections(demande: Demande, today: date | None = None) -> list[RecapSection]:
    """The same groups for the recap PDF."""
    from permis_tui.forms.recap_section import RecapSection  # not recap_pdf: no fpdf2 in the session

    avant = RecapSection(
        "À savoir",
        [(REFERENCE_LABEL, demande.numero)]
        + ([("Numéro de demande ANTS", demande.numero_ants)] if demande.numero_ants else [])
        + [("", AVERTISSEMENT)],
    )
    return [avant] + [
        RecapSection(f"{g.step}. {g.titre}", [(ligne.label, ligne.valeur) for ligne in g.lignes])
        for g in recap_groupes(demande, today)
    ]


def depot_data(demande: Demande) -> DepotData:
    """What the formulaire de dépôt prints. Raises ValueError if the état civil is incomplete.

    The box "Numéro de demande" holds the ANTS numéro when the person typed it, else stays
    blank for them to copy it by hand: the local numéro is not a numéro de demande."""
    from permis_tui.forms.depot_data import DepotData  # not formulaire_depot: no fpdf2 in the session

    e = demande.etat_civil
    required = (
        ("nom de naissance", e.nom_naissance),
        ("prénom", e.prenoms[0] if e.prenoms else None),
        ("sexe", e.sexe),
        ("date de naissance", e.date_naissance),
    )
    missing = [label for label, value in required if not value]
    if missing:
        raise ValueError("état civil incomplet : " + ", ".join(missing))
    return DepotData(
        numero=demande.numero_ants or "",
        reference=demande.numero,
        nom_naissance=e.nom_naissance or "",
        nom_usage=e.nom_usage,
        prenoms=list(e.prenoms),
        sexe=e.sexe or "",
        date_naissance=e.date_naissance or "",
        adresse_lignes=demande.adresse.lignes(),
        brouillon=not demande.est_validee,
    )
