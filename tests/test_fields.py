"""Field-level parsers: what a person may type, and the French messages for the rest."""

from __future__ import annotations

import socket
from datetime import date

import pytest

from permis_tui.model import fields
from permis_tui.model.fields import InvalidValue

TODAY = date(2025, 6, 15)


# -- names -----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Dupont", "Dupont"),
        ("Hélène", "Hélène"),
        ("Œillet", "Œillet"),
        ("LÆTITIA", "LÆTITIA"),
        ("Ÿvelines", "Ÿvelines"),
        ("Łukasz", "Łukasz"),
        ("Ørsted", "Ørsted"),
        ("Şahin", "Şahin"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("D'Artagnan", "D'Artagnan"),
        ("de La Fontaine", "de La Fontaine"),
    ],
)
def test_name_accepts_latin_letters_hyphens_apostrophes(raw, expected):
    assert fields.normalize_name(raw) == expected


@pytest.mark.parametrize("apostrophe", ["\u2019", "\u02bc", "\u2018", "`", "\u00b4"])
def test_name_folds_typographic_apostrophes(apostrophe):
    assert fields.normalize_name(f"d{apostrophe}Alembert") == "d'Alembert"


def test_name_is_trimmed_and_inner_spaces_collapsed():
    assert fields.normalize_name("   Marie    Claire \t ") == "Marie Claire"


def test_name_decomposed_accents_are_composed():
    # "e" + combining acute, as some keyboards / PDFs produce: stored as one "é" (NFC).
    assert fields.normalize_name("He\u0301le\u0300ne") == "Hélène"


def test_name_refuses_digits():
    with pytest.raises(InvalidValue, match="chiffres"):
        fields.normalize_name("Dupont2")


@pytest.mark.parametrize("ctrl", ["\x00", "\x07", "\x1b", "\u200b", "\u202e", "\x7f"])
def test_name_refuses_control_and_invisible_characters(ctrl):
    with pytest.raises(InvalidValue, match="contrôle"):
        fields.normalize_name(f"Du{ctrl}pont")


@pytest.mark.parametrize("raw", ["Dupont!", "Du_pont", "Дюпон", "杜邦", "Dupont😀"])
def test_name_refuses_other_characters_with_the_character_named(raw):
    with pytest.raises(InvalidValue, match="non accepté") as info:
        fields.normalize_name(raw)
    assert "«" in str(info.value)


def test_name_huge_paste_refused_without_echoing_input():
    paste = "A" * 10_000
    with pytest.raises(InvalidValue) as info:
        fields.normalize_name(paste)
    message = str(info.value)
    assert "100" in message  # says the limit
    assert len(message) < 200
    assert paste[:150] not in message


def test_name_required_and_optional():
    with pytest.raises(InvalidValue, match="obligatoire"):
        fields.normalize_name("   ")
    assert fields.normalize_name("  ", required=False) is None
    assert fields.normalize_name(None, required=False) is None


@pytest.mark.parametrize("raw", ["-Dupont", "Dupont-", "'Dupont", "' -"])
def test_name_cannot_start_or_end_with_punctuation_or_lack_letters(raw):
    with pytest.raises(InvalidValue):
        fields.normalize_name(raw)


def test_free_text_limits_and_control_chars():
    assert fields.normalize_free_text("  rue  des   Lilas ") == "rue des Lilas"
    assert fields.normalize_free_text("") is None
    with pytest.raises(InvalidValue, match="obligatoire"):
        fields.normalize_free_text("", required=True, label="La voie")
    with pytest.raises(InvalidValue, match="contrôle"):
        fields.normalize_free_text("rue\x00x")
    with pytest.raises(InvalidValue) as info:
        fields.normalize_free_text("x" * 5000)
    assert len(str(info.value)) < 200


# -- dates -----------------------------------------------------------------


def test_date_canonical_forms():
    assert fields.parse_date("4/7/1990", today=TODAY) == "04/07/1990"
    assert fields.parse_date("04.07.1990", today=TODAY) == "04/07/1990"
    assert fields.parse_date(" 04-07-1990 ", today=TODAY) == "04/07/1990"


def test_date_eight_digits():
    assert fields.parse_date("04071990", today=TODAY) == "04/07/1990"


def test_date_that_does_not_exist_refused_with_message():
    with pytest.raises(InvalidValue, match="n'existe pas") as info:
        fields.parse_date("31/02/1990", today=TODAY)
    assert "31/02/1990" in str(info.value)


def test_date_29_february_only_in_leap_years():
    assert fields.parse_date("29/02/2000", today=TODAY) == "29/02/2000"
    with pytest.raises(InvalidValue, match="n'existe pas"):
        fields.parse_date("29/02/1900", today=TODAY)


def test_date_in_future_refused():
    with pytest.raises(InvalidValue, match="futur"):
        fields.parse_date("16/06/2025", today=TODAY)
    assert fields.parse_date("15/06/2025", today=TODAY) == "15/06/2025"


def test_partial_dates_only_with_allow_partial():
    assert fields.parse_date("00/00/1975", today=TODAY, allow_partial=True) == "00/00/1975"
    assert fields.parse_date("00/07/1975", today=TODAY, allow_partial=True) == "00/07/1975"
    with pytest.raises(InvalidValue, match="00"):
        fields.parse_date("00/00/1975", today=TODAY)
    with pytest.raises(InvalidValue, match="00"):
        fields.parse_date("00/07/1975", today=TODAY)


def test_partial_date_with_known_day_and_unknown_month_refused():
    with pytest.raises(InvalidValue, match="00/MM/AAAA"):
        fields.parse_date("15/00/1990", today=TODAY, allow_partial=True)


def test_partial_date_in_future_refused():
    with pytest.raises(InvalidValue, match="futur"):
        fields.parse_date("00/07/2025", today=TODAY, allow_partial=True)
    with pytest.raises(InvalidValue, match="futur"):
        fields.parse_date("00/00/2026", today=TODAY, allow_partial=True)
    with pytest.raises(InvalidValue, match="mois"):
        fields.parse_date("00/13/1990", today=TODAY, allow_partial=True)


@pytest.mark.parametrize("raw", ["01/01/1899", "31/12/1000"])
def test_date_before_1900_refused(raw):
    with pytest.raises(InvalidValue, match="1900"):
        fields.parse_date(raw, today=TODAY)


@pytest.mark.parametrize("raw", ["1990-07-04", "04/07/90", "le 4 juillet", "13/13/1990", "x" * 10_000])
def test_date_bad_format_refused(raw):
    with pytest.raises(InvalidValue) as info:
        fields.parse_date(raw, today=TODAY)
    assert len(str(info.value)) < 200


def test_date_required_and_optional():
    with pytest.raises(InvalidValue, match="obligatoire"):
        fields.parse_date("", today=TODAY)
    assert fields.parse_date("", today=TODAY, required=False) is None


def test_date_from_canonical():
    assert fields.date_from_canonical("04/07/1990") == date(1990, 7, 4)
    assert fields.date_from_canonical("00/07/1990") is None
    assert fields.date_from_canonical("00/00/1990") is None


# -- email -----------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    """Record any attempt at DNS or sockets; parse_email must never make one."""
    calls: list[str] = []

    def forbid(name):
        def _f(*a, **k):
            calls.append(name)
            raise OSError("réseau interdit dans les tests")

        return _f

    monkeypatch.setattr(socket, "getaddrinfo", forbid("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", forbid("gethostbyname"))
    monkeypatch.setattr(socket.socket, "connect", forbid("connect"))
    try:
        import dns.resolver

        monkeypatch.setattr(dns.resolver.Resolver, "resolve", forbid("dns.resolve"))
        monkeypatch.setattr(dns.resolver, "resolve", forbid("dns.resolve"))
    except ImportError:  # pragma: no cover
        pass
    import email_validator.deliverability as deliv

    monkeypatch.setattr(deliv, "validate_email_deliverability", forbid("deliverability"))
    return calls


def test_email_valid_without_any_network(no_network):
    # A domain that certainly has no MX record: deliverability is never checked.
    assert fields.parse_email(" prenom.nom@domaine-inexistant-permis-tui.example ") == (
        "prenom.nom@domaine-inexistant-permis-tui.example"
    )
    assert fields.parse_email("Jean@Exemple.FR") == "Jean@exemple.fr"
    assert no_network == []


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("prenom.nom", "@"),
        ("prenom.nom@", "domaine"),
        ("prenom.nom@exemple", r"extension du domaine \(« \.fr », « \.com »"),
    ],
)
def test_email_without_domain_refused(raw, fragment, no_network):
    with pytest.raises(InvalidValue, match=fragment):
        fields.parse_email(raw)
    assert no_network == []


def test_email_without_extension_suggests_one(no_network):
    with pytest.raises(InvalidValue) as info:
        fields.parse_email("x@exemple")
    assert "il manque l'extension" in str(info.value)
    assert "x@exemple.fr" in str(info.value)


@pytest.mark.parametrize("raw", ["a b@exemple.fr", "a@@exemple.fr", "a@exemple..fr", ".a@exemple.fr"])
def test_email_bad_syntax_refused(raw, no_network):
    with pytest.raises(InvalidValue, match="non valide"):
        fields.parse_email(raw)


def test_email_required_and_bounded(no_network):
    with pytest.raises(InvalidValue, match="obligatoire"):
        fields.parse_email("  ")
    huge = "a" * 10_000 + "@exemple.fr"
    with pytest.raises(InvalidValue) as info:
        fields.parse_email(huge)
    assert len(str(info.value)) < 200


# -- mobile ----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "+33 (0)6 12 34 56 78".replace("(0)", ""),
    ],
)
def test_mobile_06_normalised_to_e164(raw):
    assert fields.parse_mobile(raw) == "+33612345678"


@pytest.mark.parametrize("raw", ["07 81 23 45 67", "+33 7 81 23 45 67", "0033781234567"])
def test_mobile_07_normalised_to_e164(raw):
    assert fields.parse_mobile(raw) == "+33781234567"


def test_mobile_eight_digits_refused_mentioning_ten():
    with pytest.raises(InvalidValue, match="10 chiffres"):
        fields.parse_mobile("06123456")


@pytest.mark.parametrize("raw", ["01 23 45 67 89", "+33 1 23 45 67 89", "09 12 34 56 78"])
def test_landline_refused(raw):
    with pytest.raises(InvalidValue, match="portable"):
        fields.parse_mobile(raw)


@pytest.mark.parametrize("raw", ["+44 7700 900123", "06 12 AB 56 78", "0" * 50])
def test_mobile_other_bad_input(raw):
    with pytest.raises(InvalidValue):
        fields.parse_mobile(raw)


def test_mobile_optional_and_formatting():
    assert fields.parse_mobile("") is None
    assert fields.parse_mobile(None) is None
    assert fields.format_mobile("+33612345678") == "06 12 34 56 78"
    assert fields.format_mobile(None) == ""


# -- postal code, address bits ---------------------------------------------


def test_postal_code():
    assert fields.parse_code_postal_format("74000") == "74000"
    assert fields.parse_code_postal_format(" 74 000 ") == "74000"
    with pytest.raises(InvalidValue, match="chiffres"):
        fields.parse_code_postal_format("74ABC")
    with pytest.raises(InvalidValue, match="chiffres"):
        fields.parse_code_postal_format("2A004")
    with pytest.raises(InvalidValue, match="5 chiffres"):
        fields.parse_code_postal_format("7400")
    with pytest.raises(InvalidValue, match="obligatoire"):
        fields.parse_code_postal_format("")


@pytest.mark.parametrize("raw", ["7400²", "٧٤٠٠٠"])
def test_postal_code_refuses_non_ascii_digits(raw):
    # str.isdigit() accepts these; a postal code is ASCII 0-9 only.
    with pytest.raises(InvalidValue):
        fields.parse_code_postal_format(raw)


def test_numero_voie():
    assert fields.parse_numero_voie(" 12 ") == "12"
    assert fields.parse_numero_voie("012") == "12"
    assert fields.parse_numero_voie("") is None
    for bad in ("12b", "123456", "1²", "-1"):
        with pytest.raises(InvalidValue, match="chiffres"):
            fields.parse_numero_voie(bad)


def test_extension():
    assert fields.parse_extension("BIS") == "bis"
    assert fields.parse_extension("ter") == "ter"
    assert fields.parse_extension("b") == "B"
    assert fields.parse_extension("") is None
    for bad in ("bi", "1", "é", "AB"):
        with pytest.raises(InvalidValue, match="bis, ter"):
            fields.parse_extension(bad)


# -- e-photo code ----------------------------------------------------------


def test_ephoto_22_alphanumerics_with_spaces_and_hyphens():
    assert fields.parse_code_ephoto("1234 5678 9012 3456 7890 12") == "1234567890123456789012"
    assert fields.parse_code_ephoto("ab12-CD34-ef56-GH78-ij90-KL") == "AB12CD34EF56GH78IJ90KL"
    assert fields.group_by_4("AB12CD34EF56GH78IJ90KL") == "AB12 CD34 EF56 GH78 IJ90 KL"


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("1234 5678 9012 3456 7890 1", "21 saisis"),
        ("1234 5678 9012 3456 7890 123", "23 saisis"),
        ("1234_5678_9012_3456_7890_12", "Caractère « _ » non accepté"),
        ("1234 5678 9012 3456 7890 1É", "Caractère « É » non accepté"),
        ("1234 5678 9012 3456 7890 1é", "Caractère « É » non accepté"),
        ("1234 5678 9012 3456 7890 1\x07", "invisible ou de contrôle"),
        ("", "obligatoire"),
    ],
)
def test_ephoto_refused(raw, fragment):
    with pytest.raises(InvalidValue, match=fragment):
        fields.parse_code_ephoto(raw)


def test_ephoto_accented_letter_named_with_what_is_accepted():
    with pytest.raises(InvalidValue) as info:
        fields.parse_code_ephoto("É234 5678 9012 3456 7890 12")
    assert "« É »" in str(info.value)
    assert "sans accent" in str(info.value)


def test_ephoto_huge_paste_message_bounded():
    with pytest.raises(InvalidValue) as info:
        fields.parse_code_ephoto("A" * 10_000)
    assert len(str(info.value)) < 200


# -- durations and full dates (used by the retour au permis facts) ---------


def test_parse_months():
    assert fields.parse_months("6") == 6
    assert fields.parse_months(" 12 mois ") == 12
    assert fields.parse_months("") is None
    with pytest.raises(InvalidValue, match="120 mois"):
        fields.parse_months("121")
    for bad in ("six", "6.5", "-6", "²", "1²"):
        with pytest.raises(InvalidValue, match="nombre entier"):
            fields.parse_months(bad)


def test_parse_full_date():
    assert fields.parse_full_date("04/07/1990", today=TODAY) == date(1990, 7, 4)
    assert fields.parse_full_date("", today=TODAY) is None
    with pytest.raises(InvalidValue):
        fields.parse_full_date("00/07/1990", today=TODAY)
    assert fields.format_date(date(1990, 7, 4)) == "04/07/1990"
    assert fields.format_date(None) == ""
