"""What to have at hand before a help-desk call, from the motif answers."""

from __future__ import annotations

from permis_tui.model.motif import Mesure, Motif, MotifKind, Personne, TypeInscription
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.rules import avis_medical_requis, pieces_requises

_PIECE_DETAILS = {
    PieceKind.IDENTITE: "recto et verso d'une pièce d'identité en cours de validité (carte d'identité ou passeport)",
    PieceKind.DOMICILE: "facture d'eau, d'électricité, de gaz ou de téléphone, avis d'imposition, ou quittance de loyer "
                        "non manuscrite, de moins de 6 mois",
    PieceKind.MEDICAL: "avis médical d'aptitude à la conduite (feuillet bleu remis par un médecin agréé, ou par la "
                       "commission médicale après une infraction liée à l'alcool ou aux stupéfiants)",
    PieceKind.HEBERGEMENT: "attestation d'hébergement datée et signée par l'hébergeant et par vous",
    PieceKind.IDENTITE_HEBERGEANT: "pièce d'identité de la personne qui vous héberge",
    PieceKind.IDENTITE_REPRESENTANT: "pièce d'identité du représentant légal (parent ou tuteur)",
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


def checklist(motif: Motif, *, hebergement: bool = False, photo: str = "ephoto") -> list[tuple[str, list[str]]]:
    """Sections of (title, items) in the order of the procedure's steps."""
    sections: list[tuple[str, list[str]]] = []
    if motif.est_retour:
        mesure = motif.retour.mesure
        letter = ("la lettre 48SI (solde de points nul) et le récépissé de remise du permis « Réf 44 »"
                  if mesure is Mesure.INVALIDATION else
                  "la décision de justice et le récépissé de remise du permis « Réf 7 »"
                  if mesure is Mesure.ANNULATION else
                  "la lettre 48SI ou la décision de justice, et le récépissé de remise du permis")
        sections.append(("Étape 1 — Motif : retour au permis", [
            letter,
            "la date de restitution du permis et la durée de l'interdiction (en mois)",
            "la date à partir de laquelle un nouveau permis peut être obtenu",
            "la date d'obtention de votre première catégorie et les catégories détenues",
        ]))
    sections.append(("Étape 2 — État civil", [
        "noms et prénoms exactement comme sur la pièce d'identité, dans l'ordre",
        "date de naissance, pays, département et commune de naissance",
    ]))
    sections.append(("Étape 3 — Adresse et contact", [
        "adresse complète avec code postal",
        "adresse mél (obligatoire : la confirmation y est envoyée)",
        "téléphone portable (recommandé)",
    ]))
    if photo == "ephoto":
        photo_items = ["code photo signature numérique (22 caractères) d'une cabine ou d'un photographe agréé ANTS, "
                       "de moins de 6 mois"]
    elif photo == "courrier":
        photo_items = ["une photo d'identité couleur 35 × 45 mm de moins de 6 mois, à coller sur le formulaire de dépôt",
                       "une imprimante et une enveloppe affranchie"]
    else:
        photo_items = ["aucune photo pour l'instant : repérez une cabine ou un photographe agréé ANTS"]
    sections.append(("Étape 4 — Photo / Signature", photo_items))
    pieces = [f"{k.label} ({k.max_pages} pages maximum) : {_PIECE_DETAILS[k]}"
              for k in pieces_requises(motif, domicile_au_nom_du_demandeur=not hebergement)]
    sections.append(("Étape 5 — Pièces justificatives (PDF, JPEG ou PNG, 10 Mo maximum par fichier)", pieces))
    if avis_medical_requis(motif):
        sections.append(("À savoir", ["un avis médical est requis : prenez rendez-vous avec un médecin agréé par la "
                                      "préfecture avant de finir la demande"]))
    return sections


def render(sections: list[tuple[str, list[str]]]) -> str:
    lines = ["Documents et informations à préparer", ""]
    for title, items in sections:
        lines.append(title)
        lines += [f"  [ ] {item}" for item in items]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
