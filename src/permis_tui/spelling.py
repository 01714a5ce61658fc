"""Spelling aid for help-desk agents: a value as it is read aloud over the phone.

Letters use the French spelling alphabet (A comme Anatole…), accents are named
("E accent aigu"), phone numbers go by pairs of digits, the e-photo code by
groups of 4, and an email's punctuation is said in words ("arobase").
"""

from __future__ import annotations

import unicodedata

from permis_tui.safe_text import escape

ALPHABET = {
    "A": "Anatole",
    "B": "Berthe",
    "C": "Célestin",
    "D": "Désiré",
    "E": "Eugène",
    "F": "François",
    "G": "Gaston",
    "H": "Henri",
    "I": "Irma",
    "J": "Joseph",
    "K": "Kléber",
    "L": "Louis",
    "M": "Marcel",
    "N": "Nicolas",
    "O": "Oscar",
    "P": "Pierre",
    "Q": "Quintal",
    "R": "Raoul",
    "S": "Suzanne",
    "T": "Thérèse",
    "U": "Ursule",
    "V": "Victor",
    "W": "William",
    "X": "Xavier",
    "Y": "Yvonne",
    "Z": "Zoé",
}
# Combining marks, by their Unicode name, as a French speaker names them.
MARKS = {
    "COMBINING ACUTE ACCENT": "accent aigu",
    "COMBINING GRAVE ACCENT": "accent grave",
    "COMBINING CIRCUMFLEX ACCENT": "accent circonflexe",
    "COMBINING DIAERESIS": "tréma",
    "COMBINING CEDILLA": "cédille",
    "COMBINING TILDE": "tilde",
    "COMBINING CARON": "caron",
    "COMBINING RING ABOVE": "rond en chef",
    "COMBINING OGONEK": "ogonek",
    "COMBINING DOT ABOVE": "point en chef",
    "COMBINING BREVE": "brève",
    "COMBINING MACRON": "macron",
    "COMBINING DOUBLE ACUTE ACCENT": "double accent aigu",
    "COMBINING COMMA BELOW": "virgule souscrite",
}
# Letters that do not decompose.
SPECIAL = {
    "Œ": "O et E collés (e dans l'o)",
    "Æ": "A et E collés (e dans l'a)",
    "Ł": "L barré",
    "Ø": "O barré",
    "Đ": "D barré",
    "ß": "double S (eszett)",
    "Ħ": "H barré",
    "Ð": "ETH (D barré)",
    "Þ": "THORN",
    "ı": "I sans point",
}
SYMBOLS = {
    " ": "espace",
    "-": "tiret",
    "'": "apostrophe",
    "’": "apostrophe",
    "@": "arobase",
    ".": "point",
    "_": "tiret bas",
    "+": "plus",
    "/": "barre oblique",
    ",": "virgule",
    ":": "deux-points",
}
UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
]
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def number_words(n: int) -> str:
    """0–99 in French words, as said when reading a phone number by pairs."""
    if n <= 16:
        return UNITS[n]
    if n < 20:
        return "dix-" + UNITS[n - 10]
    if n < 70:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return TENS[tens]
        return TENS[tens] + (" et un" if unit == 1 else "-" + UNITS[unit])
    if n < 80:
        return "soixante" + (" et onze" if n == 71 else "-" + number_words(n - 60))
    if n == 80:
        return "quatre-vingts"
    return "quatre-vingt-" + number_words(n - 80)


def spell_char(ch: str) -> str:
    if ch in SYMBOLS:
        return SYMBOLS[ch]
    if ch.isdigit() and ch.isascii():
        return UNITS[int(ch)]
    upper = ch.upper()
    if upper in SPECIAL or ch in SPECIAL:
        return SPECIAL.get(upper, SPECIAL.get(ch, ch))
    decomposed = unicodedata.normalize("NFD", upper)
    base, marks = decomposed[0], decomposed[1:]
    if base in ALPHABET:
        words = f"{base} comme {ALPHABET[base]}"
        for mark in marks:
            words += " " + MARKS.get(unicodedata.name(mark, ""), "avec un signe diacritique")
        return words
    shown = escape(ch)  # a control or a lone surrogate is named, never sent to the terminal
    try:
        return f"caractère « {shown} » ({unicodedata.name(ch).lower()})"
    except ValueError:
        return f"caractère « {shown} »"


def spell_text(value: str) -> list[str]:
    """One line per character, so an agent can read them one by one."""
    return [f"{escape(ch)} — {spell_char(ch)}" for ch in value]


# ASCII digits and separators only: str.isdigit() is also true of "²" or "٣", which int() refuses.
_PHONE_CHARS = frozenset("0123456789 .-()+")


def spell_phone(value: str) -> list[str]:
    """French numbers are read by pairs: 06 12 34 56 78 → zéro six, douze…"""
    if any(c not in _PHONE_CHARS for c in value):
        # Not a phone number as typed ("06 12 ²4…"): the agent hears every character.
        return [escape(value)] + spell_text(value)
    digits = "".join(c for c in value if c in "0123456789")
    if value.strip().startswith("+33") and digits.startswith("33"):
        digits = "0" + digits[2:]
    pairs = [digits[i : i + 2] for i in range(0, len(digits), 2)]
    lines = [" ".join(pairs)]
    for pair in pairs:
        if len(pair) == 2 and pair[0] == "0":
            lines.append(f"{pair} — zéro {UNITS[int(pair[1])]}")
        else:
            lines.append(f"{pair} — {number_words(int(pair))}")
    return lines


def spell_code(value: str) -> list[str]:
    """The e-photo code by groups of 4, each character spelled."""
    code = "".join(c for c in value.upper() if c.isalnum())  # spell_char names any of them
    groups = [code[i : i + 4] for i in range(0, len(code), 4)]
    lines = [" ".join(groups)]
    for n, group in enumerate(groups, 1):
        lines.append(f"Groupe {n} : {group} — " + ", ".join(spell_char(c) for c in group))
    return lines


def spell_email(value: str) -> list[str]:
    local, at, domain = value.partition("@")
    lines = [escape(value)]
    lines += [f"{escape(ch)} — {spell_char(ch)}" for ch in local]
    if at:
        lines.append("@ — arobase")
        lines += [f"{escape(ch)} — {spell_char(ch)}" for ch in domain]
    return lines


def spell(value: str, kind: str = "text") -> list[str]:
    """kind: "text", "phone", "code" or "email"."""
    value = value.strip()
    if not value:
        return ["(champ vide)"]
    if kind == "phone":
        return spell_phone(value)
    if kind == "code":
        return spell_code(value)
    if kind == "email":
        return spell_email(value)
    return [escape(value)] + spell_text(value)


def kind_of_field(field_id: str) -> str:
    """How the field is read aloud: its spelling kind in the field catalogue."""
    from permis_tui.model.catalogue import spelling_of

    return spelling_of(field_id)
