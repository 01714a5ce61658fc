"""What to have at hand before a help-desk call, from the motif answers."""

from __future__ import annotations

from datetime import date, timedelta

from permis_tui.model.motif import Mesure, Motif, MotifKind, Personne, TypeInscription
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.rules import (
    COMMISSION_MEDICALE_EUROS,
    EXAMEN_PSYCHOTECHNIQUE_EUROS,
    MEDECIN_AGREE_EUROS,
    avis_medical_requis,
    dernier_jour_inscription,
    pieces_requises,
)

_PIECE_DETAILS = {
    # F31057: the ANTS site's "en cours de validité" is out of date.
    PieceKind.IDENTITE: "recto et verso d'une carte d'identité sécurisée ou d'un passeport biométrique valide ou périmé "
    "depuis moins de 5 ans, d'un passeport non biométrique périmé depuis moins de 2 ans, d'un titre "
    "de séjour en cours de validité, ou le justificatif d'identité France Identité ; et la date "
    "d'expiration de la pièce (sauf France Identité)",
    # F31847: the 6-month limit holds for bills only.
    PieceKind.DOMICILE: "facture d'eau, d'électricité, de gaz ou de téléphone de moins de 6 mois, dernier avis "
    "d'imposition ou de non-imposition, quittance de loyer non manuscrite d'un bailleur qui n'est "
    "pas un particulier, attestation de l'hôtel, du camping ou du port, ou attestation d'élection "
    "de domicile (pour une personne mineure : celui du parent qui l'héberge)",
    PieceKind.MEDICAL: "avis médical d'aptitude à la conduite de moins de 2 ans (médecin agréé, ou commission médicale "
    "après une infraction liée à l'alcool ou aux stupéfiants), et sa date",
    PieceKind.HEBERGEMENT: "attestation d'hébergement datée et signée par l'hébergeant (pour une personne mineure : "
    "par un parent)",
    PieceKind.IDENTITE_HEBERGEANT: "pièce d'identité de la personne qui vous héberge",
    PieceKind.IDENTITE_REPRESENTANT: "pièce d'identité du parent qui signe l'attestation d'hébergement",
    PieceKind.ASSR: "ASSR2 ou ASR (première inscription avant 21 ans)",
    PieceKind.JDC: "attestation de recensement ou certificat JDC (avant 25 ans)",
}


def build_motif(*, mineur: bool = False, retour: str | None = None, lourde: bool = False) -> Motif:
    return Motif(
        motif=MotifKind.INSCRIPTION,
        personne=Personne.MINEURE if mineur else Personne.MAJEURE,
        type_inscription=TypeInscription.RETOUR if retour else TypeInscription.PREMIERE,
        categorie_lourde=lourde,
        categories_lourdes=["C"] if lourde else [],
        retour={"mesure": Mesure(retour)} if retour else {},
    )


def checklist(
    motif: Motif, *, hebergement: bool = False, photo: str = "ephoto", depuis: date | None = None
) -> list[tuple[str, list[str]]]:
    """Sections of (title, items) in the order of the procedure's steps.

    `depuis` is the date the 9 months of R224-20 run from (the hand-back after an invalidation,
    the end of the ban after an annulation): with it, the deadline is shown as a date."""
    sections: list[tuple[str, list[str]]] = []
    if motif.est_retour:
        mesure = motif.retour.mesure
        letter = (
            "la lettre 48SI (solde de points nul), sa date de notification, et le récépissé de remise du "
            "permis « Réf 44 »"
            if mesure is Mesure.INVALIDATION
            else "la décision de justice (notifiée par le formulaire « Réf 7 »), sa date et la date de fin de "
            "l'interdiction qu'elle fixe"
            if mesure is Mesure.ANNULATION
            else "la lettre 48SI ou la décision de justice, sa date, et le récépissé de remise du permis"
        )
        sections.append(
            (
                "Étape 1 — Motif : retour au permis",
                [
                    letter,
                    "la date de restitution du permis et la durée de l'interdiction (en mois)",
                    "la date d'obtention de votre première catégorie et les catégories détenues",
                ],
            )
        )
    sections.append(
        (
            "Étape 2 — État civil",
            [
                "noms et prénoms exactement comme sur la pièce d'identité, dans l'ordre",
                "date de naissance, pays, département et commune de naissance",
            ],
        )
    )
    sections.append(
        (
            "Étape 3 — Adresse et contact",
            [
                "adresse complète avec code postal",
                "adresse mél (obligatoire : la confirmation y est envoyée)",
                "téléphone portable (recommandé)",
            ],
        )
    )
    if photo == "ephoto":
        photo_items = [
            "code photo signature numérique (22 caractères) d'une cabine ou d'un photographe habilités (logo « agréé ANTS »), "
            "de moins de 6 mois"
        ]
    elif photo == "courrier":
        photo_items = [
            "une photo d'identité couleur 35 × 45 mm de moins de 6 mois, à coller sur le formulaire "
            "photo-signature que donne le site de l'ANTS (ou le formulaire de dépôt préparé ici)",
            "une imprimante et une enveloppe affranchie",
        ]
    else:
        photo_items = [
            "aucune photo pour l'instant : repérez une cabine ou un photographe habilités (logo « agréé ANTS »)"
        ]
    sections.append(("Étape 4 — Photo / Signature", photo_items))
    pieces = [
        f"{k.label} ({k.max_pages} pages maximum) : {_PIECE_DETAILS[k]}"
        for k in pieces_requises(motif, domicile_au_nom_du_demandeur=not hebergement)
    ]
    sections.append(("Étape 5 — Pièces justificatives (PDF, JPEG ou PNG, 10 Mo maximum par fichier)", pieces))
    a_savoir = []
    if motif.est_retour:
        a_savoir += _retour_a_savoir(motif, depuis)
    elif avis_medical_requis(motif):
        a_savoir.append(
            "un avis médical est requis : prenez rendez-vous avec un médecin agréé par la "
            "préfecture avant de finir la demande"
        )
    if a_savoir:
        sections.append(("À savoir", a_savoir))
    return sections


def _retour_a_savoir(motif: Motif, depuis: date | None) -> list[str]:
    """The order of the steps and the R224-20 deadline (F1704, F21774)."""
    invalidation = motif.retour.mesure is Mesure.INVALIDATION
    depart = (
        "la restitution du permis (l'inscription peut se faire pendant l'interdiction)"
        if invalidation
        else "la fin de l'interdiction (aucune demande n'est possible avant)"
        if motif.retour.mesure is Mesure.ANNULATION
        else "la restitution du permis (invalidation) ou la fin de l'interdiction (annulation)"
    )
    items = [
        f"d'abord l'examen psychotechnique, auprès d'un psychologue déclaré auprès du préfet (environ "
        f"{EXAMEN_PSYCHOTECHNIQUE_EUROS} €) ; il peut se faire pendant l'interdiction",
        f"puis l'avis médical d'un médecin agréé (environ {MEDECIN_AGREE_EUROS} €) ou de la commission médicale "
        f"(environ {COMMISSION_MEDICALE_EUROS} €) si l'infraction était liée à l'alcool ou aux stupéfiants ; il est "
        "valable 2 ans",
        f"pour ne repasser que le code : inscription dans les 9 mois suivant {depart}, permis détenu depuis au moins "
        "3 ans à la date de la lettre 48SI ou de l'annulation, interdiction de moins d'un an",
    ]
    if depuis is not None:
        dernier = dernier_jour_inscription(depuis)
        items.append(
            f"Inscrivez-vous sur le site de l'ANTS avant le {dernier + timedelta(days=1):%d/%m/%Y} "
            f"(dernier jour : {dernier:%d/%m/%Y}) pour ne repasser que le code"
        )
    else:
        items.append("permis-tui conseil donne la date limite exacte à partir de vos dates")
    return items


def render(sections: list[tuple[str, list[str]]]) -> str:
    lines = ["Documents et informations à préparer", ""]
    for title, items in sections:
        lines.append(title)
        lines += [f"  [ ] {item}" for item in items]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
