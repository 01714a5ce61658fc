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
    event = delai_event(demande, today, stamp=stamp)
    return None if event is None else ics_of(event)


def delai_event(demande: Demande, today: date, *, stamp: datetime | None = None) -> dict[str, str] | None:
    """What the event says, as plain JSON data: the app has it written by its rendering child
    (`ics_of`), so that icalendar and dateutil (~8 MiB) never load into a long-lived session."""
    if not demande.motif.est_retour:
        return None
    conseil = conseil_retour(demande.motif.retour, today)
    result = conseil.result
    if result.dernier_jour is None or result.delai_depasse or conseil.phrase_delai is None:
        return None
    return {
        # Stable UID: importing the file again updates the same event.
        "uid": f"delai-inscription-{demande.numero}@permis-tui.invalid",
        "dtstamp": (stamp or datetime.now(UTC)).isoformat(),
        "jour": result.dernier_jour.isoformat(),
        "description": (
            f"{conseil.phrase_delai} Site : {ANTS_SITE} (France Titres). "
            f"Référence de préparation permis-tui : {demande.numero}."
        ),
    }


def ics_of(event: dict[str, str]) -> bytes:
    """The iCalendar file of `delai_event`'s data."""
    from icalendar import Alarm, Calendar, Event

    jour = date.fromisoformat(event["jour"])
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    vevent = Event()
    vevent.add("uid", event["uid"])
    vevent.add("dtstamp", datetime.fromisoformat(event["dtstamp"]))
    vevent.add("dtstart", jour)
    vevent.add("dtend", jour + timedelta(days=1))
    vevent.add("summary", "Dernier jour pour s'inscrire sur le site de l'ANTS (code seul)")
    vevent.add("description", event["description"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Inscription au permis : plus que deux semaines pour ne repasser que le code")
    alarm.add("trigger", timedelta(days=-14))
    vevent.add_component(alarm)
    cal.add_component(vevent)
    return cal.to_ical()
