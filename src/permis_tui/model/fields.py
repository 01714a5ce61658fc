"""Field-level rules: parse and normalise one raw value, or raise `InvalidValue`.

Every function takes the text a person typed and returns the normalised value.
Messages are French, say what is expected, and never echo the whole input
(a 10,000-character paste must not become a 10,000-character message).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

NAME_MAX = 100
FREE_TEXT_MAX = 200
EMAIL_MAX = 254


class InvalidValue(ValueError):
    """A value the person typed does not follow the rule; the message is French."""


def _too_long(value: str, limit: int) -> InvalidValue:
    return InvalidValue(f"{limit} caractères au maximum ({len(value):,} saisis).".replace(",", "\u202f"))


def _clean(raw: str | None) -> str:
    return " ".join((raw or "").split())


# Apostrophes people type or paste, folded to the one printed on documents.
_APOSTROPHES = {"\u2019", "\u02bc", "\u2018", "`", "\u00b4"}


def _is_latin_letter(ch: str) -> bool:
    if not ch.isalpha():
        return False
    try:
        return "LATIN" in unicodedata.name(ch)
    except ValueError:
        return False


def normalize_name(raw: str | None, *, required: bool = True, label: str = "Ce champ") -> str | None:
    """Names and prénoms: Latin letters (accents, ligatures, Ł, Ø, Ş), spaces, hyphens, apostrophes."""
    value = _clean(raw)
    if not value:
        if required:
            raise InvalidValue(f"{label} est obligatoire.")
        return None
    if len(value) > NAME_MAX:
        raise _too_long(value, NAME_MAX)
    value = unicodedata.normalize("NFC", "".join("'" if c in _APOSTROPHES else c for c in value))
    for ch in value:
        if ch in " -'" or _is_latin_letter(ch):
            continue
        if ch.isdigit():
            raise InvalidValue(
                "Les chiffres ne sont pas acceptés : saisissez uniquement des lettres, espaces, tirets ou apostrophes."
            )
        if unicodedata.category(ch).startswith("C"):
            raise InvalidValue("Caractère invisible ou de contrôle non accepté : saisissez uniquement des lettres.")
        raise InvalidValue(
            f"Caractère « {ch} » non accepté : saisissez uniquement des lettres, espaces, tirets ou apostrophes."
        )
    if not any(_is_latin_letter(c) for c in value):
        raise InvalidValue("Saisissez au moins une lettre.")
    if value[0] in "-'" or value[-1] in "-'":
        raise InvalidValue("Un nom ne peut pas commencer ou finir par un tiret ou une apostrophe.")
    return value


def normalize_free_text(
    raw: str | None, *, required: bool = False, label: str = "Ce champ", limit: int = FREE_TEXT_MAX
) -> str | None:
    """Free text such as a street name or a foreign town: printable, bounded."""
    value = _clean(raw)
    if not value:
        if required:
            raise InvalidValue(f"{label} est obligatoire.")
        return None
    if len(value) > limit:
        raise _too_long(value, limit)
    if any(unicodedata.category(c).startswith("C") for c in value):
        raise InvalidValue("Caractère invisible ou de contrôle non accepté.")
    if not any(c.isalnum() for c in value):
        raise InvalidValue("Saisissez au moins une lettre ou un chiffre.")
    return unicodedata.normalize("NFC", value)


_DATE_RE = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$")


def parse_date(
    raw: str | None,
    *,
    today: date | None = None,
    allow_partial: bool = False,
    required: bool = True,
    label: str = "La date",
    allow_future: bool = False,
) -> str | None:
    """JJ/MM/AAAA, a real date, not in the future (unless `allow_future`: an expiry date).
    Returns the canonical "JJ/MM/AAAA".

    With `allow_partial`, 00/00/AAAA and 00/MM/AAAA are accepted for a birth
    date whose day or month is unknown, as ANTS does.
    """
    value = _clean(raw)
    if not value:
        if required:
            raise InvalidValue(f"{label} est obligatoire (format JJ/MM/AAAA).")
        return None
    if len(value) > 20:
        raise InvalidValue("Format attendu : JJ/MM/AAAA, par exemple 04/07/1990.")
    if re.fullmatch(r"\d{8}", value):
        value = f"{value[:2]}/{value[2:4]}/{value[4:]}"
    match = _DATE_RE.match(value)
    if not match:
        raise InvalidValue("Format attendu : JJ/MM/AAAA, par exemple 04/07/1990.")
    day, month, year = (int(g) for g in match.groups())
    today = today or date.today()
    if year < 1900:
        raise InvalidValue("L'année doit être postérieure à 1900.")
    canonical = f"{day:02d}/{month:02d}/{year:04d}"
    if allow_partial and day == 0:
        if month > 12:
            raise InvalidValue("Le mois doit être compris entre 01 et 12 (00 si inconnu).")
        if (year, month) > (today.year, today.month):
            raise InvalidValue("La date ne peut pas être dans le futur.")
        return canonical
    if day == 0 or month == 0:
        hint = " (00/00/AAAA ou 00/MM/AAAA si le jour ou le mois est inconnu)" if allow_partial else ""
        raise InvalidValue(f"Jour ou mois à 00 non accepté{hint}.")
    if month > 12:
        raise InvalidValue("Le mois doit être compris entre 01 et 12.")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise InvalidValue(
            f"Cette date n'existe pas : le {day:02d}/{month:02d}/{year} n'est pas un jour du calendrier."
        ) from None
    if parsed > today and not allow_future:
        raise InvalidValue("La date ne peut pas être dans le futur.")
    return canonical


def date_from_canonical(value: str) -> date | None:
    """The `date` for a full JJ/MM/AAAA, None for a partial one."""
    day, month, year = (int(p) for p in value.split("/"))
    if day == 0 or month == 0:
        return None
    return date(year, month, day)


def parse_email(raw: str | None) -> str:
    """Syntax only, never a DNS lookup (email-validator with check_deliverability=False)."""
    value = (raw or "").strip()
    if not value:
        raise InvalidValue("L'adresse mél est obligatoire (exemple : prenom.nom@exemple.fr).")
    if len(value) > EMAIL_MAX:
        raise _too_long(value, EMAIL_MAX)
    if "@" not in value:
        raise InvalidValue("Adresse mél incomplète : il manque « @ » et le domaine (exemple : prenom.nom@exemple.fr).")
    local, _, domain = value.rpartition("@")
    if not domain:
        raise InvalidValue("Adresse mél incomplète : il manque le domaine après « @ » (exemple : @exemple.fr).")
    if "." not in domain:
        # "x@exemple": the person typed a domain but not its extension.
        raise InvalidValue(
            f"Adresse mél incomplète : il manque l'extension du domaine (« .fr », « .com »…), "
            f"par exemple {local}@{domain}.fr."
        )
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidValue("Adresse mél non valide (exemple : prenom.nom@exemple.fr).") from None
    return result.normalized


def parse_mobile(raw: str | None) -> str | None:
    """Optional French mobile (06, 07, +33 6, +33 7), normalised to E.164 (+33612345678)."""
    value = (raw or "").strip()
    if not value:
        return None
    if len(value) > 30:
        raise InvalidValue("Numéro trop long : 10 chiffres attendus, par exemple 06 12 34 56 78.")
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("0033"):
        digits = "+33" + digits[4:]
    if not re.fullmatch(r"\+?\d+", digits):
        raise InvalidValue("Saisissez uniquement des chiffres, par exemple 06 12 34 56 78.")
    national = "0" + digits[3:] if digits.startswith("+33") else digits
    if national.startswith("+"):
        raise InvalidValue("Seuls les numéros de portable français sont acceptés (06, 07 ou +33 6, +33 7).")
    if len(national) != 10:
        raise InvalidValue(
            f"Le numéro doit comporter 10 chiffres ({len(national)} saisis), par exemple 06 12 34 56 78."
        )
    if national[:2] not in ("06", "07"):
        raise InvalidValue("Ce n'est pas un numéro de portable : il doit commencer par 06 ou 07.")
    import phonenumbers

    number = phonenumbers.parse(national, "FR")
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue("Ce numéro de portable n'existe pas dans le plan de numérotation français.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_mobile(e164: str | None) -> str:
    """+33612345678 → 06 12 34 56 78."""
    if not e164:
        return ""
    national = "0" + e164[3:] if e164.startswith("+33") else e164
    return " ".join(national[i : i + 2] for i in range(0, len(national), 2))


def parse_code_postal_format(raw: str | None) -> str:
    value = (raw or "").strip().replace(" ", "")
    if not value:
        raise InvalidValue("Le code postal est obligatoire (5 chiffres, par exemple 74000).")
    if len(value) > 10 or not re.fullmatch(r"[0-9]+", value):
        raise InvalidValue("Le code postal ne contient que des chiffres : 5 chiffres, par exemple 74000.")
    if len(value) != 5:
        raise InvalidValue(f"Le code postal comporte 5 chiffres ({len(value)} saisis).")
    return value


def parse_numero_voie(raw: str | None) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if len(value) > 5 or not re.fullmatch(r"[0-9]+", value):  # isdigit() lets "²" through
        raise InvalidValue("Le n° de la voie ne contient que des chiffres (5 au maximum), par exemple 12.")
    return str(int(value)) if int(value) else value


EXTENSIONS = ("bis", "ter", "quater", "quinquies")


def parse_extension(raw: str | None) -> str | None:
    value = (raw or "").strip().lower()
    if not value:
        return None
    if value in EXTENSIONS:
        return value
    if len(value) == 1 and "a" <= value <= "z":
        return value.upper()
    raise InvalidValue("Extension attendue : bis, ter, quater ou une lettre (A, B…).")


EPHOTO_LENGTH = 22


def parse_code_ephoto(raw: str | None) -> str:
    """22 letters or digits; spaces and hyphens ignored; stored upper-case, ungrouped."""
    value = re.sub(r"[\s\-]", "", raw or "").upper()
    if not value:
        raise InvalidValue("Le code photo signature numérique est obligatoire (22 caractères).")
    if len(value) > 100:
        raise InvalidValue(f"Le code comporte {EPHOTO_LENGTH} caractères ({len(value)} saisis).")
    bad = next((ch for ch in value if not ("0" <= ch <= "9" or "A" <= ch <= "Z")), None)
    if bad is not None:
        shown = f"« {bad} »" if bad.isprintable() else "invisible ou de contrôle"
        raise InvalidValue(
            f"Caractère {shown} non accepté : le code ne contient que des lettres sans accent "
            "(A à Z) et des chiffres, par exemple 1234 5678 9012 3456 7890 12."
        )
    if len(value) != EPHOTO_LENGTH:
        raise InvalidValue(f"Le code comporte {EPHOTO_LENGTH} caractères ({len(value)} saisis).")
    return value


def group_by_4(value: str) -> str:
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def parse_months(raw: str | None, *, maximum: int = 120) -> int | None:
    """A duration in whole months, such as a ban's length."""
    value = (raw or "").strip().lower().removesuffix("mois").strip()
    if not value:
        return None
    if len(value) > 5 or not re.fullmatch(r"[0-9]+", value):
        raise InvalidValue("Saisissez un nombre entier de mois, par exemple 6.")
    months = int(value)
    if months > maximum:
        raise InvalidValue(f"Durée trop longue : {maximum} mois au maximum.")
    return months


def parse_full_date(raw: str | None, *, today: date | None = None) -> date | None:
    """An optional complete JJ/MM/AAAA date, not in the future, as a `date`."""
    canonical = parse_date(raw, today=today, required=False)
    return date_from_canonical(canonical) if canonical else None


def format_date(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


NUMERO_ANTS_MAX = 30


def parse_numero_ants(raw: str | None) -> str | None:
    """The numéro de demande the ANTS site gave, typed back by the person: letters and digits,
    spaces and hyphens kept as typed (its format is not published), upper-case."""
    value = _clean(raw).upper()
    if not value:
        return None
    if len(value) > NUMERO_ANTS_MAX:
        raise _too_long(value, NUMERO_ANTS_MAX)
    if not re.fullmatch(r"[0-9A-Z][0-9A-Z \-]*", value):
        raise InvalidValue(
            "Le numéro de demande ANTS ne contient que des lettres, des chiffres, des espaces ou des tirets."
        )
    return value
