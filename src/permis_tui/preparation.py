"""What permis-tui is, said the same way by every output (step 7, email, PDFs, README).

The request is prepared here; it is filed on the ANTS site (France Titres), which gives the real
numéro de demande and the formulaire photo-signature. The local numéro is a "référence de
préparation", never a numéro de demande.
"""

from __future__ import annotations

ANTS_SITE = "permisdeconduire.ants.gouv.fr"
REFERENCE_LABEL = "Référence de préparation"
AVERTISSEMENT = (
    "Cette demande est préparée sur votre ordinateur avec permis-tui : elle n'est pas encore déposée. "
    f"Déposez-la sur le site de l'ANTS (France Titres, {ANTS_SITE}), qui vous donnera le numéro de "
    "demande et, pour une photo papier, le formulaire photo-signature."
)
ETAPE_DEPOT = (
    f"Déposez la demande sur le site de l'ANTS (France Titres, {ANTS_SITE}) : recopiez-y les réponses "
    "du récapitulatif et joignez les mêmes pièces. C'est l'ANTS qui attribue le numéro de demande."
)


def reference_text(numero: str) -> str:
    return f"{REFERENCE_LABEL} : {numero} (ce n'est pas un numéro de demande ANTS)"
