"""The form's fields, each described once: its id, number, label, hint, required rule,
parse and format functions, options and spelling kind.

Everything that names or checks a field reads it here: the step screens build their rows
from it, `completeness` asks for the required ones, the récapitulatif takes its labels,
the F1 help lists the step's fields, the palette jumps to any of them, and a failed save
names what would be lost. The wording is the ANTS site's (step screens of the online
request); numbers added after the first numbering took the next free number of their
step, so that a help-desk agent's "champ 2.5" never changes meaning.

Sources: which fields a situation asks for follows the ANTS online request's screens; the
legal rules behind some options and requirements are named where they are used, and the
deadlines and bans themselves live in `model.rules` with their articles.

Domain core: no Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from permis_tui.model import fields
from permis_tui.model.adresse import TYPES_VOIE
from permis_tui.model.motif import (
    CATEGORIES,
    CATEGORIES_LOURDES,
    MOTIFS_PRIS_EN_CHARGE,
    Mesure,
    MotifKind,
    Personne,
    TypeInscription,
)
from permis_tui.model.photo import PhotoChoice
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.pieces import TypeJustificatif, TypePieceIdentite

if TYPE_CHECKING:
    from permis_tui.model.demande import Demande

SpellingKind = Literal["text", "phone", "code", "email"]
# Whether a field must be answered, given the other answers (and today, for the documents
# a first inscription needs by age).
Rule = Callable[["Demande", date], bool]
Options = tuple[tuple[Any, str], ...]

OUI_NON: Options = ((True, "Oui"), (False, "Non"))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _date(value: date | None) -> str:
    return fields.format_date(value)


@dataclass(frozen=True)
class Field:
    id: str  # model path, "etat_civil.nom_naissance"; the key of typed text and issues
    number: str  # "2.1", the same at every terminal size
    label: str
    hint: str | None = None
    required: bool = False  # marked * on the screen: asked whenever the field is shown
    # When completeness asks for it; default: always if `required`, never otherwise.
    required_when: Rule | None = None
    missing: str | Callable[[Demande], str] | None = None  # the message when it is asked and empty
    anchor: str | None = None  # the sub-field that message points to ("etat_civil.prenoms.0")
    # What holds the answer, when it is not the model field named by `id`.
    read: Callable[[Demande], Any] | None = None
    write: Callable[[Demande, Any], None] | None = None
    parse: Callable[[str, Demande], Any] | None = None  # typed text → value; raises InvalidValue
    format: Callable[[Any], str] = _text  # value → the text shown in the field
    options: Options = ()
    spelling: SpellingKind = "text"
    placeholder: str = ""
    recap_label: str | None = None  # the récapitulatif's shorter wording, when it has one

    @property
    def step(self) -> int:
        return int(self.number.split(".")[0])

    @property
    def title(self) -> str:
        return f"{self.number} {self.label}"

    @property
    def in_recap(self) -> str:
        return self.recap_label or self.label

    @property
    def order(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.number.split("."))

    def value(self, demande: Demande) -> Any:
        if self.read is not None:
            return self.read(demande)
        node: Any = demande
        for part in self.id.split("."):
            node = getattr(node, part)
        return node

    def store(self, demande: Demande, value: Any) -> None:
        if self.write is not None:
            self.write(demande, value)
            return
        *parents, name = self.id.split(".")
        node: Any = demande
        for part in parents:
            node = getattr(node, part)
        setattr(node, name, value)

    def shown(self, demande: Demande) -> str:
        """The value as the field shows it."""
        return self.format(self.value(demande))

    def option_label(self, value: Any) -> str | None:
        return next((label for key, label in self.options if key == value), None)

    def is_required(self, demande: Demande, today: date) -> bool:
        if self.required_when is not None:
            return self.required_when(demande, today)
        return self.required

    def is_missing(self, demande: Demande) -> bool:
        return self.value(demande) in (None, "", [])

    def missing_message(self, demande: Demande) -> str:
        if callable(self.missing):
            return self.missing(demande)
        return self.missing or f"{self.label} : ce champ est obligatoire."


# -- rules that need the other answers ------------------------------------------
def _inscription(d: Demande, _: date) -> bool:
    return d.motif.motif in MOTIFS_PRIS_EN_CHARGE


def _retour(d: Demande, today: date) -> bool:
    return _inscription(d, today) and d.motif.type_inscription is TypeInscription.RETOUR


def _invalidation(d: Demande, today: date) -> bool:
    return _retour(d, today) and d.motif.retour.mesure is Mesure.INVALIDATION


def _annulation(d: Demande, today: date) -> bool:
    return _retour(d, today) and d.motif.retour.mesure is Mesure.ANNULATION


def _pays_connu(d: Demande) -> bool:
    from permis_tui import referentiel

    pays = d.etat_civil.pays_naissance
    return pays is not None and referentiel.pays_par_code(pays) is not None


def _ne_en_france(d: Demande, _: date) -> bool:
    return _pays_connu(d) and d.etat_civil.ne_en_france


def _ne_a_l_etranger(d: Demande, _: date) -> bool:
    return _pays_connu(d) and not d.etat_civil.ne_en_france


def _departement_connu(d: Demande, today: date) -> bool:
    from permis_tui import referentiel

    dep = d.etat_civil.departement_naissance
    return _ne_en_france(d, today) and dep is not None and referentiel.departement(dep) is not None


def _code_postal_connu(d: Demande, _: date) -> bool:
    from permis_tui import referentiel

    code_postal = d.adresse.code_postal
    return code_postal is not None and referentiel.code_postal_existe(code_postal)


def _ephoto(d: Demande, _: date) -> bool:
    return d.photo.choix is PhotoChoice.EPHOTO


def _identite_expire(d: Demande, _: date) -> bool:
    return d.pieces.identite_type is not None and d.pieces.identite_type.a_une_expiration


def _avis_requis(d: Demande, _: date) -> bool:
    from permis_tui.model.rules import avis_medical_requis

    return avis_medical_requis(d.motif)


def _piece_requise(kind: PieceKind) -> Rule:
    def rule(d: Demande, today: date) -> bool:
        from permis_tui.model.completeness import pieces_de_la_demande

        return kind in pieces_de_la_demande(d, today)

    return rule


# -- parse functions that need the other answers ----------------------------------
def parse_domicile_date(
    raw: str, today: date | None = None, type_justificatif: TypeJustificatif | None = None
) -> str | None:
    """JJ/MM/AAAA, not in the future; a bill less than 6 months old (F31847)."""
    from permis_tui.model.completeness import domicile_trop_ancien
    from permis_tui.model.pieces import DOMICILE_VALIDITE_MOIS

    value = fields.parse_date(raw, today=today, required=False, label="La date du justificatif")
    if value and domicile_trop_ancien(value, today or date.today(), type_justificatif):
        raise fields.InvalidValue(
            f"Facture datée du {value}, de plus de {DOMICILE_VALIDITE_MOIS} mois : fournissez un document plus récent."
        )
    return value


def parse_identite_expiration(
    raw: str, today: date | None = None, type_identite: TypePieceIdentite | None = None
) -> str | None:
    """JJ/MM/AAAA, in the past or the future; refused when the document is no longer accepted
    for its kind (F31057). Before the kind is chosen only the format is checked."""
    from permis_tui.model.completeness import identite_refusee

    value = fields.parse_date(raw, today=today, required=False, label="La date d'expiration", allow_future=True)
    if value and (refus := identite_refusee(value, type_identite, today or date.today())):
        raise fields.InvalidValue(refus)
    return value


def parse_avis_date(raw: str, today: date | None = None) -> str | None:
    """JJ/MM/AAAA, not in the future; an avis médical is valid 2 years (F1704)."""
    from permis_tui.model.completeness import AVIS_EXPIRE, avis_trop_ancien

    value = fields.parse_date(raw, today=today, required=False, label="La date de l'avis médical")
    if value and avis_trop_ancien(value, today or date.today()):
        raise fields.InvalidValue(AVIS_EXPIRE)
    return value


def parse_code_ephoto(raw: str) -> str | None:
    return fields.parse_code_ephoto(raw) if raw.strip() else None


def _name(raw: str, _: Demande) -> str | None:
    return fields.normalize_name(raw, required=False)


def _free_text(raw: str, _: Demande) -> str | None:
    return fields.normalize_free_text(raw)


def _full_date(raw: str, _: Demande) -> date | None:
    return fields.parse_full_date(raw)


def _ville(d: Demande) -> str | None:
    return None if d.etat_civil.ne_en_france else d.etat_civil.commune_naissance


def _set_ville(d: Demande, value: str | None) -> None:
    # Abroad, the town is free text and has no INSEE code; in France 2.8 holds the commune.
    if not d.etat_civil.ne_en_france:
        d.etat_civil.commune_naissance = value
        d.etat_civil.commune_naissance_code = None


def _date_mesure_message(d: Demande) -> str:
    if d.motif.retour.mesure is Mesure.ANNULATION:
        return "Date de la décision d'annulation obligatoire (JJ/MM/AAAA)."
    return "Date de la notification de la lettre 48SI obligatoire (JJ/MM/AAAA)."


SEXES: Options = (("F", "Femme"), ("M", "Homme"))
CATEGORIES_HINT = "Flèches pour passer d'une case à l'autre, Espace pour cocher, Tab pour continuer."
DATE_PLACEHOLDER = "JJ/MM/AAAA"
CONSENTEMENT = (
    "J'accepte que mes données personnelles soient réutilisées à des fins d'information "
    "(elles ne seront ni vendues ni cédées à des organismes à but lucratif)."
)
EXEMPLE_CODE_EPHOTO = "1234 5678 9012 3456 7890 12"
# Step 5's documents: stable numbers, whatever categories the answers call for.
PIECE_NUMBERS = {
    PieceKind.IDENTITE: "5.1",
    PieceKind.DOMICILE: "5.5",
    PieceKind.MEDICAL: "5.6",
    PieceKind.HEBERGEMENT: "5.7",
    PieceKind.IDENTITE_HEBERGEANT: "5.8",
    PieceKind.IDENTITE_REPRESENTANT: "5.9",
    PieceKind.ASSR: "5.10",
    PieceKind.JDC: "5.11",
}


def piece_field_id(kind: PieceKind) -> str:
    return f"pieces.{kind.value}"


def _piece(kind: PieceKind) -> Field:
    return Field(
        piece_field_id(kind),
        PIECE_NUMBERS[kind],
        kind.label,
        required=True,
        required_when=_piece_requise(kind),
        missing=f"{kind.label} : joignez au moins un fichier.",
        read=lambda d: d.pieces.of(kind),
    )


# In the order of the form (step by step, as the screens show them).
FIELDS: tuple[Field, ...] = (
    # -- 1 Motif de demande
    Field(
        "motif.motif",
        "1.1",
        "Motif de la demande",
        required=True,
        missing="Choisissez le motif de la demande.",
        options=tuple((k, k.label) for k in MotifKind),
    ),
    Field(
        "motif.personne",
        "1.2",
        "Vous effectuez la demande",
        required=True,
        required_when=_inscription,
        missing="Indiquez pour qui vous effectuez la demande.",
        options=(
            (Personne.MAJEURE, "pour une personne majeure ou mineure émancipée"),
            (Personne.MINEURE, "pour une personne mineure"),
        ),
    ),
    Field(
        "motif.type_inscription",
        "1.3",
        "Il s'agit",
        required=True,
        required_when=_inscription,
        missing="Indiquez s'il s'agit d'une première inscription ou d'un retour au permis.",
        options=(
            (TypeInscription.PREMIERE, "d'une inscription pour passer les épreuves du permis de conduire"),
            (
                TypeInscription.RETOUR,
                "dans le cadre d'un retour au permis (à la suite d'une invalidation "
                "ou annulation du permis de conduire)",
            ),
        ),
    ),
    Field(
        "motif.categorie_lourde",
        "1.4",
        "Cette demande inclut-elle une catégorie lourde ?",
        hint="Catégories lourdes : " + ", ".join(CATEGORIES_LOURDES) + ".",
        required=True,
        required_when=_inscription,
        missing="Indiquez si la demande inclut une catégorie lourde.",
        options=OUI_NON,
        recap_label="Catégorie lourde",
    ),
    Field(
        "motif.categories_lourdes",
        "1.5",
        "Catégories lourdes demandées",
        hint=CATEGORIES_HINT,
        required=True,
        required_when=lambda d, t: _inscription(d, t) and d.motif.categorie_lourde is True,
        missing="Cochez au moins une catégorie lourde (C1, C, D…).",
        options=tuple((c, c) for c in CATEGORIES_LOURDES),
    ),
    Field(
        "motif.retour.mesure",
        "1.6",
        "Votre permis a été",
        required=True,
        required_when=_retour,
        missing="Indiquez si le permis a été invalidé (solde de points nul) ou annulé par un juge.",
        options=(
            (Mesure.INVALIDATION, "invalidé : solde de points nul (lettre 48SI, récépissé « Réf 44 »)"),
            (Mesure.ANNULATION, "annulé par un juge (décision notifiée par le formulaire « Réf 7 »)"),
        ),
    ),
    Field(
        "motif.retour.invalidation_precedente_5_ans",
        "1.7",
        "Une autre invalidation a-t-elle eu lieu dans les 5 ans précédents ?",
        required=True,
        required_when=_invalidation,
        missing="Indiquez si une autre invalidation a eu lieu dans les 5 ans précédents.",
        # 6 months, 1 year after another invalidation within 5 years (code de la route L223-5).
        options=((True, "Oui (interdiction d'un an)"), (False, "Non (interdiction de 6 mois)")),
        recap_label="Autre invalidation dans les 5 ans",
    ),
    # Numbered after the fields that existed before it, so that their numbers stay.
    Field(
        "motif.retour.date_mesure",
        "1.13",
        "Date de la lettre 48SI ou de la décision d'annulation",
        hint="(JJ/MM/AAAA) Invalidation : date de notification de la lettre 48SI ; annulation : "
        "date de la décision. Les 3 ans de permis se comptent à cette date.",
        required=True,
        required_when=_retour,
        missing=_date_mesure_message,
        parse=_full_date,
        format=_date,
        placeholder=DATE_PLACEHOLDER,
        recap_label="Date de la lettre 48SI",
    ),
    Field(
        "motif.retour.date_restitution",
        "1.8",
        "Date de restitution du permis",
        hint="(JJ/MM/AAAA) Date figurant sur le récépissé de remise du permis.",
        required=True,
        required_when=_retour,
        missing="Date de restitution du permis obligatoire (JJ/MM/AAAA).",
        parse=_full_date,
        format=_date,
        placeholder=DATE_PLACEHOLDER,
    ),
    Field(
        "motif.retour.duree_interdiction_mois",
        "1.9",
        "Durée de l'interdiction (en mois)",
        hint="Après une invalidation : 6 mois, ou 12 mois en cas d'autre invalidation dans les 5 ans.",
        required=True,
        required_when=_retour,
        missing="Durée de l'interdiction obligatoire, en mois (par exemple 6).",
        parse=lambda raw, _: fields.parse_months(raw),
        placeholder="nombre de mois",
        recap_label="Durée de l'interdiction",
    ),
    Field(
        "motif.retour.date_fin_interdiction",
        "1.10",
        "Date de fin de l'interdiction",
        hint="(JJ/MM/AAAA) Annulation : la date figurant sur la décision (obligatoire). "
        "Invalidation : laissez vide pour la calculer (restitution + durée).",
        required_when=_annulation,
        missing="Date de fin de l'interdiction obligatoire après une annulation : elle figure sur la "
        "décision (JJ/MM/AAAA).",
        # The end of a ban is in the future while it runs.
        parse=lambda raw, _: fields.parse_full_date(raw, today=date.max),
        format=_date,
        placeholder=DATE_PLACEHOLDER,
        recap_label="Fin de l'interdiction",
    ),
    Field(
        "motif.retour.date_premier_permis",
        "1.11",
        "Date d'obtention de la première catégorie",
        hint="(JJ/MM/AAAA)",
        required=True,
        required_when=_retour,
        missing="Date d'obtention de la première catégorie obligatoire (JJ/MM/AAAA).",
        parse=_full_date,
        format=_date,
        placeholder=DATE_PLACEHOLDER,
    ),
    Field(
        "motif.retour.categories_detenues",
        "1.12",
        "Catégories détenues avant l'invalidation ou l'annulation",
        hint=CATEGORIES_HINT,
        required=True,
        required_when=_retour,
        missing="Cochez les catégories que vous déteniez.",
        options=tuple((c, c) for c in CATEGORIES),
        recap_label="Catégories détenues",
    ),
    # -- 2 État civil
    Field(
        "etat_civil.nom_naissance",
        "2.1",
        "Nom de naissance",
        hint="(Nom figurant sur votre acte de naissance)",
        required=True,
        missing="Le nom de naissance est obligatoire (nom figurant sur votre acte de naissance).",
        parse=_name,
    ),
    Field("etat_civil.nom_usage", "2.2", "Nom d'usage", hint="(si nécessaire, ex : nom d'épouse)", parse=_name),
    Field(
        "etat_civil.sexe",
        "2.3",
        "Sexe",
        required=True,
        missing="Indiquez le sexe : " + " ou ".join(label for _, label in SEXES) + ".",
        options=SEXES,
    ),
    Field(
        "etat_civil.prenoms",
        "2.4",
        "Prénom(s)",
        hint="(Entrez vos prénoms dans l'ordre de l'état civil. Les prénoms composés sont séparés par un tiret, "
        "ex : Jean-Pierre)",
        required=True,
        missing="Le 1er prénom est obligatoire.",
        anchor="etat_civil.prenoms.0",
        format=lambda prenoms: ", ".join(prenoms),
    ),
    Field(
        "etat_civil.date_naissance",
        "2.5",
        "Date de naissance",
        hint="(JJ/MM/AAAA ; 00 pour un jour ou un mois inconnu)",
        required=True,
        missing="La date de naissance est obligatoire (JJ/MM/AAAA).",
        parse=lambda raw, _: fields.parse_date(raw, allow_partial=True, required=False),
        placeholder=DATE_PLACEHOLDER,
    ),
    Field(
        "etat_civil.pays_naissance",
        "2.6",
        "Pays de naissance",
        required=True,
        missing="Le pays de naissance est obligatoire.",
    ),
    Field(
        "etat_civil.departement_naissance",
        "2.7",
        "Département ou Collectivité d'outre-mer de naissance",
        required=True,
        required_when=_ne_en_france,
        missing="Le département ou la collectivité d'outre-mer de naissance est obligatoire.",
    ),
    # The commune is chosen in the list: its INSEE code is the answer, its name comes with it.
    Field(
        "etat_civil.commune_naissance",
        "2.8",
        "Commune de naissance",
        hint="Les communes déléguées et associées (anciennes communes) sont dans la liste.",
        required=True,
        required_when=_departement_connu,
        missing="La commune de naissance est obligatoire : choisissez-la dans la liste.",
        read=lambda d: d.etat_civil.commune_naissance_code if d.etat_civil.ne_en_france else None,
    ),
    Field(
        "etat_civil.ville_naissance",
        "2.9",
        "Ville de naissance (à l'étranger)",
        required=True,
        required_when=_ne_a_l_etranger,
        missing="La ville de naissance est obligatoire.",
        read=_ville,
        write=_set_ville,
        parse=lambda raw, _: fields.normalize_free_text(raw, limit=fields.NAME_MAX),
        recap_label="Ville de naissance",
    ),
    # -- 3 Adresse et contact
    Field("adresse.numero_voie", "3.1", "N° de la voie", parse=lambda raw, _: fields.parse_numero_voie(raw)),
    Field("adresse.extension", "3.2", "Extension (bis, ter, etc.)", parse=lambda raw, _: fields.parse_extension(raw)),
    Field(
        "adresse.type_voie", "3.3", "Type de voie (avenue, boulevard, etc.)", options=tuple((t, t) for t in TYPES_VOIE)
    ),
    Field(
        "adresse.nom_voie",
        "3.4",
        "Nom de la voie",
        required=True,
        missing="Le nom de la voie est obligatoire.",
        parse=_free_text,
    ),
    Field(
        "adresse.complement",
        "3.5",
        "Complément d'adresse",
        hint="(Étage, escalier, appartement - Immeuble, bâtiment, résidence - Lieu-dit)",
        parse=_free_text,
    ),
    Field(
        "adresse.code_postal",
        "3.6",
        "Code postal",
        required=True,
        missing="Le code postal est obligatoire (5 chiffres).",
        parse=lambda raw, _: fields.parse_code_postal_format(raw) if raw.strip() else None,
        placeholder="5 chiffres",
    ),
    # Chosen among the communes the postal code serves: the INSEE code is the answer.
    Field(
        "adresse.commune",
        "3.7",
        "Commune",
        required=True,
        required_when=_code_postal_connu,
        missing="Choisissez la commune parmi celles desservies par ce code postal.",
        read=lambda d: d.adresse.commune_code,
    ),
    Field(
        "adresse.prefecture",
        "3.8",
        "Préfecture de rattachement",
        hint="(Sélectionner la préfecture ou sous-préfecture dont vous relevez en fonction de votre lieu de domicile)",
        required=True,
        missing="Choisissez la préfecture de rattachement.",
    ),
    Field(
        "adresse.email",
        "3.9",
        "Adresse mél.",
        required=True,
        missing="L'adresse mél est obligatoire (exemple : prenom.nom@exemple.fr).",
        parse=lambda raw, _: fields.parse_email(raw) if raw.strip() else None,
        spelling="email",
        placeholder="prenom.nom@exemple.fr",
    ),
    Field(
        "adresse.telephone",
        "3.10",
        "Téléphone portable (Recommandé)",
        parse=lambda raw, _: fields.parse_mobile(raw),
        format=fields.format_mobile,
        spelling="phone",
        placeholder="06 12 34 56 78",
        recap_label="Téléphone portable",
    ),
    Field(
        "adresse.consentement",
        "3.11",
        CONSENTEMENT,
        hint="Afin d'avoir un suivi sur l'avancée de votre demande, il convient de répondre « Oui ».",
        required=True,
        missing="Répondez Oui ou Non à la réutilisation de vos données.",
        options=OUI_NON,
        recap_label="Réutilisation de vos données à des fins d'information",
    ),
    # -- 4 Photo / Signature
    Field(
        "photo.choix",
        "4.1",
        "Merci de sélectionner l'une des options ci-dessous",
        required=True,
        missing="Choisissez l'une des options pour la photo et la signature.",
        options=tuple((c, c.label) for c in PhotoChoice),
    ),
    Field(
        "photo.code_ephoto",
        "4.2",
        "Code photo signature numérique",
        hint=f"22 lettres ou chiffres, par exemple {EXEMPLE_CODE_EPHOTO}",
        required=True,
        required_when=_ephoto,
        missing="Saisissez le code photo signature numérique (22 caractères).",
        parse=lambda raw, _: parse_code_ephoto(raw),
        format=lambda v: fields.group_by_4(v or ""),
        spelling="code",
        placeholder=EXEMPLE_CODE_EPHOTO,
    ),
    Field(
        "photo.date_photo",
        "4.3",
        "Date de la photo",
        hint="(JJ/MM/AAAA) Date figurant sur la planche photo.",
        required=True,
        required_when=_ephoto,
        missing="Saisissez la date de la photo (JJ/MM/AAAA).",
        parse=lambda raw, _: fields.parse_date(raw, required=False, label="La date de la photo"),
        placeholder=DATE_PLACEHOLDER,
    ),
    # -- 5 Pièces justificatives
    _piece(PieceKind.IDENTITE),
    # 5.12 to 5.14 came after the first numbering: they took the next free numbers.
    Field(
        "pieces.identite_type",
        "5.13",
        "Type de pièce d'identité",
        hint="Pièces acceptées (F31057) :",
        required=True,
        missing="Choisissez le type de pièce d'identité.",
        options=tuple((t, t.label) for t in TypePieceIdentite),
        recap_label="Pièce d'identité",
    ),
    Field(
        "pieces.identite_expiration",
        "5.14",
        "Date d'expiration de la pièce d'identité",
        hint="(JJ/MM/AAAA) Carte d'identité ou passeport biométrique : valide ou périmé depuis "
        "moins de 5 ans ; passeport non biométrique : moins de 2 ans ; titre de séjour : "
        "en cours de validité.",
        required=True,
        required_when=_identite_expire,
        missing="Saisissez la date d'expiration de la pièce d'identité (JJ/MM/AAAA).",
        parse=lambda raw, d: parse_identite_expiration(raw, type_identite=d.pieces.identite_type),
        placeholder=DATE_PLACEHOLDER,
    ),
    Field(
        "pieces.domicile_type",
        "5.2",
        "Type de justificatif de domicile",
        hint="Justificatifs acceptés (une facture : moins de 6 mois) :",
        required=True,
        missing="Choisissez le type de justificatif de domicile.",
        options=tuple((t, t.label) for t in TypeJustificatif),
        recap_label="Justificatif de domicile",
    ),
    Field(
        "pieces.domicile_date",
        "5.3",
        "Date du justificatif de domicile",
        hint="(JJ/MM/AAAA) Date figurant sur le document ; une facture doit dater de moins de 6 mois.",
        required=True,
        missing="Saisissez la date du justificatif de domicile (JJ/MM/AAAA).",
        parse=lambda raw, d: parse_domicile_date(raw, type_justificatif=d.pieces.domicile_type),
        placeholder=DATE_PLACEHOLDER,
    ),
    Field(
        "pieces.domicile_au_nom",
        "5.4",
        "Le justificatif de domicile est-il à votre nom ?",
        required=True,
        missing="Indiquez si le justificatif de domicile est à votre nom.",
        options=(
            (True, "Oui"),
            (
                False,
                "Non : je suis hébergé(e) ; j'ajoute une attestation d'hébergement "
                "et la pièce d'identité de l'hébergeant",
            ),
        ),
        recap_label="Justificatif à votre nom",
    ),
    _piece(PieceKind.DOMICILE),
    _piece(PieceKind.MEDICAL),
    Field(
        "pieces.avis_medical_date",
        "5.12",
        "Date de l'avis médical",
        hint="(JJ/MM/AAAA) Date de l'avis ; il est valable 2 ans.",
        required=True,
        required_when=_avis_requis,
        missing="Saisissez la date de l'avis médical (JJ/MM/AAAA).",
        parse=lambda raw, _: parse_avis_date(raw),
        placeholder=DATE_PLACEHOLDER,
        recap_label="Date de l'avis médical (valable 2 ans)",
    ),
    *(_piece(kind) for kind in list(PieceKind)[3:]),
    # -- 7 Confirmation
    Field(
        "numero_ants",
        "7.1",
        "Numéro donné par le site de l'ANTS (facultatif)",
        hint="Il est imprimé dans la case « Numéro de demande » du formulaire de dépôt.",
        parse=lambda raw, _: fields.parse_numero_ants(raw),
        placeholder="après le dépôt sur le site de l'ANTS",
    ),
)

BY_ID: dict[str, Field] = {f.id: f for f in FIELDS}
BY_NUMBER: dict[str, Field] = {f.number: f for f in FIELDS}


def field(field_id: str) -> Field:
    return BY_ID[field_id]


def field_of(key: str) -> Field | None:
    """The field a key belongs to: a field id, or a part of one ("etat_civil.prenoms.1")."""
    while key:
        if key in BY_ID:
            return BY_ID[key]
        key = key.rpartition(".")[0]
    return None


def step_fields(step: int) -> list[Field]:
    return [f for f in FIELDS if f.step == step]


def by_number() -> list[Field]:
    """Every field in the order of its number (1.1, 1.2, … 1.13, 2.1 …)."""
    return sorted(FIELDS, key=lambda f: f.order)


def date_mesure_label(demande: Demande) -> str:
    """1.13 in the récapitulatif names the date the measure has: a 48SI letter or a decision."""
    if demande.motif.retour.mesure is Mesure.ANNULATION:
        return "Date de la décision d'annulation"
    return BY_ID["motif.retour.date_mesure"].in_recap


def spelling_of(field_id: str) -> SpellingKind:
    found = field_of(field_id)
    return found.spelling if found is not None else "text"


def required_missing(demande: Demande, step: int, today: date) -> list[tuple[str, str]]:
    """(field id, message) for each field of the step that is asked and left empty, in form order."""
    return [
        (f.anchor or f.id, f.missing_message(demande))
        for f in step_fields(step)
        if f.is_required(demande, today) and f.is_missing(demande)
    ]


__all__ = ["FIELDS", "Field", "by_number", "field", "field_of", "required_missing", "spelling_of", "step_fields"]
