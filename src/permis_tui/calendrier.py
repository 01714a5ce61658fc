"""The R224-20 deadline as an iCalendar file (RFC 5545), for the person's own calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from permis_tui.model.conseil import conseil_retour
from permis_tui.model.demande import Demande
from permis_tui.preparation import ANTS_SITE

PRODID = "-//permis-tui//delai d'inscription//FR"


def ics_filename(numero: str) -> str:
    return f"delai-inscription-{numero}.ics"


def delai_ics(demande: Demande, today: date, *, stamp: datetime | None = None) -> bytes | None:
    """An all-day event on the last day to register for the code only, with a reminder two
    weeks before; None when there is no such date (not a retour, route closed, or passed)."""
    if not demande.motif.est_retour:
        return None
    conseil = conseil_retour(demande.motif.retour, today)
    result = conseil.result
    if result.dernier_jour is None or result.delai_depasse or conseil.phrase_delai is None:
        return None
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    event = Event()
    # Stable UID: importing the file again updates the same event.
    event.add("uid", f"delai-inscription-{demande.numero}@permis-tui.invalid")
    event.add("dtstamp", stamp or datetime.now(UTC))
    event.add("dtstart", result.dernier_jour)
    event.add("dtend", result.dernier_jour + timedelta(days=1))
    event.add("summary", "Dernier jour pour s'inscrire sur le site de l'ANTS (code seul)")
    event.add(
        "description",
        f"{conseil.phrase_delai} Site : {ANTS_SITE} (France Titres). "
        f"Référence de préparation permis-tui : {demande.numero}.",
    )
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Inscription au permis : plus que deux semaines pour ne repasser que le code")
    alarm.add("trigger", timedelta(days=-14))
    event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()
