"""Minimum ages, shown as warnings (ANTS does not block on age).

Code de la route R211-3 / R221-5 (heavy-category ages unconfirmed here); the B practical test and licence at
17 come from décret n° 2023-1214 du 20 décembre 2023. The heavy-category ages (C1 18, C and D1
21, D 24) are from R221-5 and were not confirmed against Légifrance here.
"""

from __future__ import annotations

AGE_AM = 14
AGE_CODE_AAC = 15  # épreuve théorique in apprentissage anticipé de la conduite
AGE_CODE = 16
AGE_B = 17  # décret 2023-1214: practical test and licence from 17
AGE_LOURDES = {"C1": 18, "C1E": 18, "C": 21, "CE": 21, "D1": 21, "D1E": 21, "D": 24, "DE": 24}


def age_warnings(age: int | None, categories_lourdes: list[str]) -> list[str]:
    """French sentences for each limit the person is under."""
    if age is None:
        return []
    warnings = []
    if age < AGE_B:
        warnings.append(
            f"Âge : {age} ans. Le code se passe à partir de {AGE_CODE} ans ({AGE_CODE_AAC} ans en apprentissage "
            f"anticipé), l'épreuve pratique et le permis B à partir de {AGE_B} ans, le permis AM dès {AGE_AM} ans."
        )
    trop_jeune = [c for c in categories_lourdes if age < AGE_LOURDES.get(c, 0)]
    if trop_jeune:
        detail = ", ".join(f"{c} à {AGE_LOURDES[c]} ans" for c in trop_jeune)
        warnings.append(f"Catégories lourdes : âge minimum {detail}.")
    return warnings
