"""The R224-20 deadline as an iCalendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from demande_factory import complete_demande
from permis_tui.calendrier import delai_ics
from permis_tui.model.motif import Mesure, TypeInscription

TODAY = date(2026, 12, 1)
STAMP = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _event(data: bytes):
    [event] = Calendar.from_ical(data).walk("VEVENT")
    return event


def test_f1704_invalidation_event_on_the_last_day_with_a_reminder():
    d = complete_demande(today=TODAY, save=False, files={})
    d.motif.retour.date_restitution = date(2026, 3, 20)
    event = _event(delai_ics(d, TODAY, stamp=STAMP))
    assert event.decoded("dtstart") == date(2026, 12, 19)  # 20/03 + 9 months − 1 day
    assert event.decoded("dtend") == date(2026, 12, 20)
    assert "Inscrivez-vous sur le site de l'ANTS avant le 20/12/2026" in str(event["description"])
    assert event["uid"] == f"delai-inscription-{d.numero}@permis-tui.invalid"
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(days=14)


def test_f21774_annulation_counts_from_the_end_of_the_ban():
    d = complete_demande(today=TODAY, save=False, files={})
    r = d.motif.retour
    r.mesure, r.invalidation_precedente_5_ans, r.date_fin_interdiction = Mesure.ANNULATION, None, date(2026, 11, 1)
    assert _event(delai_ics(d, TODAY, stamp=STAMP)).decoded("dtstart") == date(2027, 7, 31)


def test_no_file_when_there_is_no_code_only_route():
    d = complete_demande(today=TODAY, save=False, files={})
    d.motif.retour.date_restitution = date(2026, 3, 1)
    assert delai_ics(d, TODAY) is None  # last day 30/11/2026: passed
    d = complete_demande(today=TODAY, save=False, files={})
    d.motif.retour.duree_interdiction_mois = 12
    assert delai_ics(d, TODAY) is None  # a ban of a year: code and conduite whatever the date
    d = complete_demande(today=TODAY, save=False, files={})
    d.motif.type_inscription = TypeInscription.PREMIERE
    assert delai_ics(d, TODAY) is None
