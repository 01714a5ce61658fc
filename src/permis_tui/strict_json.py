"""JSON as a demande file must be: one meaning per document, said in French when it is not.

Python's json accepts what another reader reads differently: a key given twice (the
last wins, so a second "etat": "validee" slips past a reviewer reading the first),
NaN and Infinity (not JSON), a UTF-8 BOM, integers of thousands of digits (whose
conversion raises "Exceeds the limit (4300 digits)"). `loads` refuses each with a
French DraftFormatError; the decoder's English messages are translated.

Domain core: no Textual here.
"""

from __future__ import annotations

import json
from typing import Any

from permis_tui.model.schema import DraftFormatError

MAX_INT_DIGITS = 20  # no field of a demande needs more; a revision counter fits in far fewer
MAX_DEPTH_MESSAGE = "imbrication trop profonde"

_DECODER_FR = {
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de champ entre guillemets attendu",
    "Expecting ':' delimiter": "« : » attendu",
    "Expecting ',' delimiter": "« , » attendu",
    "Unterminated string starting at": "texte sans guillemet fermant",
    "Extra data": "contenu en trop après la fin du document",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            shown = "".join(c if c.isprintable() else "?" for c in key)[:60]
            raise DraftFormatError(f"le champ « {shown} » apparaît deux fois dans un même objet")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise DraftFormatError(f"valeur non autorisée en JSON : {name} (nombre non fini)")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise DraftFormatError(f"nombre trop long ({MAX_INT_DIGITS} chiffres au maximum)")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):  # 1e999 overflows to inf
        raise DraftFormatError(f"nombre hors limites : {text[:30]}")
    return value


def _decoder_message(exc: json.JSONDecodeError) -> str:
    what = _DECODER_FR.get(exc.msg, "syntaxe JSON invalide")
    return f"JSON illisible ligne {exc.lineno}, colonne {exc.colno} : {what}"


def loads(raw: bytes) -> Any:
    """The document in `raw` (UTF-8 JSON), or DraftFormatError with a French message."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DraftFormatError(
            "le fichier commence par une marque d'ordre des octets (BOM) : enregistrez-le en UTF-8 sans BOM"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DraftFormatError("le fichier n'est pas du texte UTF-8") from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        raise DraftFormatError(_decoder_message(exc)) from None
    except RecursionError:
        raise DraftFormatError(MAX_DEPTH_MESSAGE) from None
    except DraftFormatError:
        raise
    except ValueError:  # a float the decoder cannot convert: said plainly, never in English
        raise DraftFormatError("nombre illisible") from None
