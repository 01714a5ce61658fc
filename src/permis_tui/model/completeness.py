"""What is still missing or inconsistent, step by step.

Field formats are enforced by the section models; this module checks what a
single field cannot: required answers, the birthplace cascade, the postal
code against its communes, the préfecture against the département, and the
derived requirements of step 5. Each issue names the field it belongs to so
the wizard can put the message at the field and move focus there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from permis_tui.model import fields
from permis_tui.model.ages import age_warnings
from permis_tui.model.demande import Demande
from permis_tui.model.motif import MOTIFS_PRIS_EN_CHARGE, Mesure, TypeInscription
from permis_tui.model.photo import EPHOTO_VALIDITE_MOIS, PhotoChoice
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.pieces import DOMICILE_VALIDITE_MOIS, TypeJustificatif, TypePieceIdentite
from permis_tui.model.rules import (
    add_months,
    age_at,
    avis_medical_expire,
    avis_medical_requis,
    date_fin_calculee,
    duree_interdiction_attendue,
    inscription_trop_tot,
    pieces_requises,
)

STEP_TITLES = {
    1: "Motif de demande",
    2: "État civil",
    3: "Adresse et contact",
    4: "Photo / Signature",
    5: "Pièces justificatives",
    6: "Récapitulatif",
    7: "Confirmation",
}


@dataclass(frozen=True)
class FieldIssue:
    field: str  # field id, such as "etat_civil.date_naissance"
    message: str  # French

    @property
    def step(self) -> int:
        return FIELD_STEPS[self.field.split(".")[0]]


AVIS_EXPIRE = "Avis médical de plus de 2 ans : il n'est plus valable, demandez-en un nouveau (F1704)."
FIELD_STEPS = {"motif": 1, "etat_civil": 2, "adresse": 3, "photo": 4, "pieces": 5}


def _pending(demande: Demande, prefix: str) -> list[FieldIssue]:
    """Fields whose typed text did not validate: still an issue until fixed."""
    return [
        FieldIssue(key, "Saisie non valide : corrigez ce champ.")
        for key in demande.saisies
        if key.startswith(prefix + ".")
    ]


def _required(demande: Demande, step: int, today: date) -> list[FieldIssue]:
    """The step's fields that are asked, given the answers, and left empty (from the catalogue)."""
    from permis_tui.model.catalogue import required_missing

    return [FieldIssue(field_id, message) for field_id, message in required_missing(demande, step, today)]


def _in_form_order(issues: list[FieldIssue]) -> list[FieldIssue]:
    """Issues in the order the form shows their fields, as the step's error summary lists them."""
    from permis_tui.model.catalogue import FIELDS, field_of

    position = {f.id: i for i, f in enumerate(FIELDS)}

    def key(issue: FieldIssue) -> int:
        found = field_of(issue.field)
        return position[found.id] if found is not None else len(position)

    return sorted(issues, key=key)


def pieces_de_la_demande(demande: Demande, today: date) -> list[PieceKind]:
    """The step-5 categories for this demande: the answers, and the age for a first inscription."""
    return pieces_requises(
        demande.motif,
        domicile_au_nom_du_demandeur=demande.pieces.domicile_au_nom,
        age=age_at(demande.etat_civil.date_naissance, today),
    )


def motif_issues(demande: Demande, today: date | None = None) -> list[FieldIssue]:
    today = today or date.today()
    m = demande.motif
    if m.motif is not None and m.motif not in MOTIFS_PRIS_EN_CHARGE:
        return [
            FieldIssue(
                "motif.motif",
                "Cet assistant ne traite pas encore ce motif : seule l'inscription aux épreuves est prise en charge.",
            )
        ]
    issues = _required(demande, 1, today)
    if m.type_inscription is TypeInscription.RETOUR and m.motif is not None:
        r = m.retour
        if r.date_premier_permis and r.date_restitution and r.date_premier_permis > r.date_restitution:
            issues.append(
                FieldIssue(
                    "motif.retour.date_premier_permis",
                    "La date d'obtention doit précéder la date de restitution du permis.",
                )
            )
        if r.date_premier_permis and r.date_mesure and r.date_premier_permis > r.date_mesure:
            issues.append(
                FieldIssue(
                    "motif.retour.date_premier_permis",
                    "La date d'obtention doit précéder la date de la mesure (lettre 48SI ou décision).",
                )
            )
        if (
            r.mesure is Mesure.INVALIDATION
            and r.date_mesure
            and r.date_restitution
            and r.date_mesure > r.date_restitution
        ):
            issues.append(
                FieldIssue(
                    "motif.retour.date_mesure",
                    "La lettre 48SI précède la restitution du permis : vérifiez ces deux dates.",
                )
            )
        if (
            r.mesure is Mesure.INVALIDATION
            and r.date_fin_interdiction
            and r.date_restitution
            and r.date_fin_interdiction < r.date_restitution
        ):
            issues.append(
                FieldIssue(
                    "motif.retour.date_fin_interdiction",
                    "Cette date ne peut pas précéder la date de restitution du permis.",
                )
            )
        if r.mesure is Mesure.ANNULATION and r.date_fin_interdiction is not None:
            if r.date_mesure and r.date_fin_interdiction < r.date_mesure:
                issues.append(
                    FieldIssue(
                        "motif.retour.date_fin_interdiction",
                        "La fin de l'interdiction ne peut pas précéder la décision d'annulation.",
                    )
                )
            else:
                premiere = inscription_trop_tot(r, today)
                if premiere is not None:
                    # F21774: no request may be made before the end of the ban.
                    issues.append(
                        FieldIssue(
                            "motif.retour.date_fin_interdiction",
                            f"Après une annulation, aucune demande n'est possible avant la fin de l'interdiction : "
                            f"vous pourrez vous inscrire à partir du {premiere:%d/%m/%Y}.",
                        )
                    )
    return _in_form_order(issues) + _pending(demande, "motif")


def motif_warnings(demande: Demande) -> list[FieldIssue]:
    r = demande.motif.retour
    warnings: list[FieldIssue] = []
    if not demande.motif.est_retour:
        return warnings
    attendue = duree_interdiction_attendue(r)
    if attendue is not None and r.duree_interdiction_mois is not None and r.duree_interdiction_mois != attendue:
        warnings.append(
            FieldIssue(
                "motif.retour.duree_interdiction_mois",
                f"Après une invalidation, l'interdiction est normalement de {attendue} mois : vérifiez la lettre 48SI.",
            )
        )
    calc = date_fin_calculee(r)  # invalidation only: an annulation's ban does not run from the hand-back
    if calc and r.date_fin_interdiction and abs((calc - r.date_fin_interdiction).days) > 3:
        warnings.append(
            FieldIssue(
                "motif.retour.date_fin_interdiction",
                f"D'après la restitution et la durée, la date attendue est le {calc:%d/%m/%Y} : vérifiez.",
            )
        )
    return warnings


def etat_civil_issues(demande: Demande, today: date | None = None) -> list[FieldIssue]:
    from permis_tui import referentiel

    e = demande.etat_civil
    issues = _required(demande, 2, today or date.today())
    # The birthplace cascade: each level is asked (catalogue) once the one above is known.
    if e.pays_naissance and referentiel.pays_par_code(e.pays_naissance) is None:
        issues.append(FieldIssue("etat_civil.pays_naissance", "Pays inconnu : choisissez-le dans la liste."))
    elif e.pays_naissance and e.ne_en_france and (dep := e.departement_naissance):
        if referentiel.departement(dep) is None:
            issues.append(
                FieldIssue("etat_civil.departement_naissance", "Département inconnu : choisissez-le dans la liste.")
            )
        elif e.commune_naissance_code:
            commune = referentiel.commune_par_code(e.commune_naissance_code, e.commune_naissance)
            if commune is None or commune.departement != dep:
                issues.append(
                    FieldIssue("etat_civil.commune_naissance", "Cette commune n'appartient pas au département choisi.")
                )
    return _in_form_order(issues) + _pending(demande, "etat_civil")


def age_warning(demande: Demande, today: date) -> str | None:
    """Ages from the code de la route and décret 2023-1214, as warnings: ANTS does not block."""
    warnings = age_warnings(
        age_at(demande.etat_civil.date_naissance, today),
        demande.motif.categories_lourdes if demande.motif.categorie_lourde else [],
    )
    return " ".join(warnings) or None


def adresse_issues(demande: Demande, today: date | None = None) -> list[FieldIssue]:
    from permis_tui import referentiel

    a = demande.adresse
    issues = _required(demande, 3, today or date.today())
    commune = None
    if a.code_postal and not referentiel.code_postal_existe(a.code_postal):
        issues.append(FieldIssue("adresse.code_postal", f"Le code postal {a.code_postal} n'existe pas."))
    elif a.code_postal and a.commune_code:
        served = {c.code: c for c in referentiel.communes_par_code_postal(a.code_postal)}
        if a.commune_code not in served:
            chosen = referentiel.commune_par_code(a.commune_code, a.commune)
            chef = next((c for c in served.values() if chosen and chosen.chef_lieu == c.nom), None)
            if chosen is not None and chosen.type != referentiel.ARRONDISSEMENT_MUNICIPAL and chef is not None:
                # A draft from before the postal-code base: a commune déléguée was offered then.
                issues.append(
                    FieldIssue(
                        "adresse.commune",
                        (
                            f"{chosen.nom} est une commune déléguée {referentiel.de_nom(chef.nom)} : choisissez "
                            f"{chef.nom}, la commune de votre adresse postale ({a.code_postal} {chef.nom.upper()})."
                        ),
                    )
                )
            else:
                issues.append(
                    FieldIssue(
                        "adresse.commune", f"Cette commune n'est pas desservie par le code postal {a.code_postal}."
                    )
                )
        else:
            commune = referentiel.commune_par_code(a.commune_code)
    if (
        a.prefecture
        and commune is not None
        and a.prefecture not in {p.code_commune for p in referentiel.prefectures(commune.departement)}
    ):
        issues.append(
            FieldIssue("adresse.prefecture", "Cette préfecture ne relève pas du département de votre domicile.")
        )
    return _in_form_order(issues) + _pending(demande, "adresse")


def photo_issues(demande: Demande, today: date) -> list[FieldIssue]:
    p = demande.photo
    issues = _required(demande, 4, today)
    if p.choix is PhotoChoice.SANS:
        issues.append(
            FieldIssue(
                "photo.choix",
                "Procurez-vous un code photo signature numérique, ou choisissez l'envoi d'une photo par courrier.",
            )
        )
    if p.choix is PhotoChoice.EPHOTO and p.date_photo and ephoto_expiree(p.date_photo, today):
        issues.append(
            FieldIssue(
                "photo.date_photo",
                f"Photo de plus de {EPHOTO_VALIDITE_MOIS} mois : le code n'est plus valable, faites une nouvelle photo.",
            )
        )
    return _in_form_order(issues) + _pending(demande, "photo")


def ephoto_expiree(date_photo: str, today: date) -> bool:
    taken = fields.date_from_canonical(date_photo)
    return taken is not None and add_months(taken, EPHOTO_VALIDITE_MOIS) < today


def domicile_trop_ancien(date_doc: str, today: date, type_justificatif: TypeJustificatif | None = None) -> bool:
    """The 6-month limit applies to bills only (F31847); an unknown kind is checked like a bill."""
    if type_justificatif is not None and not type_justificatif.limite_6_mois:
        return False
    d = fields.date_from_canonical(date_doc)
    return d is not None and add_months(d, DOMICILE_VALIDITE_MOIS) < today


def identite_acceptee_jusqu_au(expiration: str, type_identite: TypePieceIdentite) -> date | None:
    """The last day the document is accepted (F31057): its expiry date plus the tolerance of its
    kind (5 years for a secure CNI or a biometric passport, 2 for a non-biometric passport,
    none for a titre de séjour, which must be "en cours de validité"). The expiry date is the
    last day of validity, so on the limit day it has been expired for less than the tolerance.
    None when the kind has no expiry date (France Identité) or the date is partial."""
    mois = type_identite.peremption_toleree_mois
    d = fields.date_from_canonical(expiration)
    if mois is None or d is None:
        return None
    return add_months(d, mois)


def identite_refusee(expiration: str, type_identite: TypePieceIdentite | None, today: date) -> str | None:
    """A French message when the identity document is no longer accepted (F31057), with the
    limit date; None when it is accepted, or while its kind is not chosen yet."""
    if type_identite is None:
        return None
    limite = identite_acceptee_jusqu_au(expiration, type_identite)
    if limite is None or today <= limite:
        return None
    if type_identite is TypePieceIdentite.TITRE_SEJOUR:
        return (
            f"Titre de séjour expiré : il était valable jusqu'au {limite:%d/%m/%Y} et doit être en cours "
            "de validité (F31057). Présentez un titre de séjour valide."
        )
    ans = cast(int, type_identite.peremption_toleree_mois) // 12  # a limite comes from a tolerance
    return (
        f"Pièce périmée depuis plus de {ans} ans : elle n'était acceptée que jusqu'au {limite:%d/%m/%Y} "
        "(F31057). Présentez une pièce d'identité valide."
    )


def avis_trop_ancien(date_avis: str, today: date) -> bool:
    d = fields.date_from_canonical(date_avis)
    return d is not None and avis_medical_expire(d, today)


def pieces_issues(demande: Demande, today: date) -> list[FieldIssue]:
    p = demande.pieces
    issues = _required(demande, 5, today)
    if (
        p.identite_type is not None
        and p.identite_expiration
        and (refus := identite_refusee(p.identite_expiration, p.identite_type, today))
    ):
        issues.append(FieldIssue("pieces.identite_expiration", refus))
    if p.domicile_date and domicile_trop_ancien(p.domicile_date, today, p.domicile_type):
        issues.append(
            FieldIssue(
                "pieces.domicile_date",
                f"Facture de plus de {DOMICILE_VALIDITE_MOIS} mois : fournissez un document plus récent.",
            )
        )
    if avis_medical_requis(demande.motif) and p.avis_medical_date and avis_trop_ancien(p.avis_medical_date, today):
        issues.append(FieldIssue("pieces.avis_medical_date", AVIS_EXPIRE))
    for kind in pieces_de_la_demande(demande, today):  # a category with no file: asked by the catalogue
        files = p.of(kind)
        if any(not f.valide for f in files):
            issues.append(
                FieldIssue(
                    f"pieces.{kind.value}", f"{kind.label} : un fichier n'est pas valide ; retirez-le ou remplacez-le."
                )
            )
        elif p.pages(kind) > kind.max_pages:
            issues.append(
                FieldIssue(
                    f"pieces.{kind.value}", f"{kind.label} : {p.pages(kind)} pages pour {kind.max_pages} pages maximum."
                )
            )
    return _in_form_order(issues) + _pending(demande, "pieces")


def step_issues(demande: Demande, step: int, today: date | None = None) -> list[FieldIssue]:
    today = today or date.today()
    if step == 1:
        return motif_issues(demande, today)
    if step == 2:
        return etat_civil_issues(demande, today)
    if step == 3:
        return adresse_issues(demande, today)
    if step == 4:
        return photo_issues(demande, today)
    if step == 5:
        return pieces_issues(demande, today)
    return []


def validation_issues(demande: Demande, today: date | None = None) -> list[FieldIssue]:
    """Everything that blocks validation, in step order."""
    issues: list[FieldIssue] = []
    for step in range(1, 6):
        issues += step_issues(demande, step, today)
        if step == 1 and issues:
            break  # later steps depend on the motif
    return issues
