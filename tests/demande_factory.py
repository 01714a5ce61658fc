"""Build a complete, valid Demande for tests: every step filled, real attachments in the store.

    from demande_factory import complete_demande
    demande = complete_demande(store)                      # classic photo, retour au permis
    demande = complete_demande(store, photo="ephoto")      # e-photo code
    demande = complete_demande(store, numero="2611-AAAA-BBBB", today=date(2026, 11, 20))

Dates are derived from `today` (default: the real today) so that the demande stays valid
whenever the tests run: domicile proof and e-photo less than 6 months old.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from permis_tui.model.adresse import AdresseContact
from permis_tui.model.demande import Demande
from permis_tui.model.etat_civil import EtatCivil
from permis_tui.model.motif import Mesure, Motif, MotifKind, Personne, RetourAuPermis, TypeInscription
from permis_tui.model.photo import PhotoChoice, PhotoSignature
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.pieces import PieceJointe, Pieces, TypeJustificatif, TypePieceIdentite
from permis_tui.model.rules import add_months

EPHOTO_CODE = "1234567890123456789012"
FIXED_NOW = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
# kind → number of one-page PDFs attached: 6 files in all.
DEFAULT_FILES = {PieceKind.IDENTITE: 2, PieceKind.DOMICILE: 1, PieceKind.MEDICAL: 3}

_PDF_CACHE: dict[str, bytes] = {}


def small_pdf(text: str) -> bytes:
    """A real one-page PDF (fpdf2), cached: the bytes differ per text, so do the SHA-256s."""
    if text not in _PDF_CACHE:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.set_font("helvetica", size=14)
        pdf.add_page()
        pdf.cell(text=text)
        pdf.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))
        _PDF_CACHE[text] = bytes(pdf.output())
    return _PDF_CACHE[text]


def _fmt(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def attach(
    store,
    demande: Demande,
    kind: PieceKind,
    name: str,
    data: bytes,
    *,
    pages: int = 1,
    valide: bool = True,
    raison: str | None = None,
) -> PieceJointe:
    sha = hashlib.sha256(data).hexdigest()
    stored = f"{sha}.pdf"
    if store is not None:
        path = store.attachment_path(demande.numero, stored)
        from permis_tui.atomic import atomic_write

        atomic_write(path, data)
    piece = PieceJointe(
        kind=kind,
        nom_original=name,
        sha256=sha,
        fichier=stored,
        taille=len(data),
        type_detecte="pdf",
        pages=pages,
        valide=valide,
        raison=raison,
        ajoute_le=FIXED_NOW,
    )
    demande.pieces.fichiers.append(piece)
    return piece


def inscription_at_step5() -> Demande:
    """A first inscription of an adult (no heavy category), the domicile in their own name,
    at step 5 with nothing attached yet."""
    d = Demande()
    d.motif.motif, d.motif.personne = MotifKind.INSCRIPTION, Personne.MAJEURE
    d.motif.type_inscription, d.motif.categorie_lourde = TypeInscription.PREMIERE, False
    d.pieces.domicile_au_nom = True
    d.etape = 5
    return d


def complete_demande(
    store=None,
    *,
    photo: str = "courrier",
    numero: str | None = None,
    today: date | None = None,
    files: dict[PieceKind, int] | None = None,
    save: bool = True,
) -> Demande:
    """A demande that passes `validation_issues(demande, today)`; saved when a store is given."""
    today = today or date.today()
    restitution = add_months(today, -8)
    motif = Motif(
        motif=MotifKind.INSCRIPTION,
        personne=Personne.MAJEURE,
        type_inscription=TypeInscription.RETOUR,
        categorie_lourde=False,
        retour=RetourAuPermis(
            mesure=Mesure.INVALIDATION,
            invalidation_precedente_5_ans=False,
            date_mesure=restitution - timedelta(days=10),
            date_restitution=restitution,
            duree_interdiction_mois=6,
            date_premier_permis=date(2010, 6, 1),
            categories_detenues=["B"],
        ),
    )
    etat_civil = EtatCivil(
        nom_naissance="Lœuilliet",
        sexe="F",
        prenoms=["Marie-Ève", "Łucja"],
        date_naissance="04/07/1990",
        pays_naissance="FR",
        departement_naissance="74",
        commune_naissance_code="74010",
        commune_naissance="Annecy",
    )
    adresse = AdresseContact(
        numero_voie="12",
        extension="bis",
        type_voie="rue",
        nom_voie="des Marquisats",
        code_postal="74000",
        commune_code="74010",
        commune="Annecy",
        prefecture="74010",
        email="marie.loeuilliet@example.fr",
        telephone="06 12 34 56 78",
        consentement=True,
    )
    if photo == "ephoto":
        photo_model = PhotoSignature(
            choix=PhotoChoice.EPHOTO, code_ephoto=EPHOTO_CODE, date_photo=_fmt(today - timedelta(days=20))
        )
    else:
        photo_model = PhotoSignature(choix=PhotoChoice(photo))
    pieces = Pieces(
        domicile_type=TypeJustificatif.FACTURE,
        domicile_date=_fmt(today - timedelta(days=30)),
        domicile_au_nom=True,
        avis_medical_date=_fmt(today - timedelta(days=40)),
        identite_type=TypePieceIdentite.CNI,
        identite_expiration=_fmt(today + timedelta(days=1200)),
    )
    kwargs = {"numero": numero} if numero else {}
    demande = Demande(
        motif=motif,
        etat_civil=etat_civil,
        adresse=adresse,
        photo=photo_model,
        pieces=pieces,
        etape=6,
        cree_le=FIXED_NOW,
        modifie_le=FIXED_NOW,
        **kwargs,
    )
    names = {
        PieceKind.IDENTITE: "cni-recto-verso",
        PieceKind.DOMICILE: "facture-edf",
        PieceKind.MEDICAL: "avis-medical",
    }
    for kind, count in (files or DEFAULT_FILES).items():
        for i in range(1, count + 1):
            base = names.get(kind, kind.value)
            attach(store, demande, kind, f"{base}-p{i}.pdf", small_pdf(f"{kind.value} {i} {demande.numero}"))
    if store is not None and save:
        store.save(demande, touch=False)
    return demande
