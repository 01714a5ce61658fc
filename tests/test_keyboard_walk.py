"""Walking every step the way a person does, keyboard only, at 80×24, 100×30 and 120×40.

For each step and each state that shows different fields, Tab goes round every focusable
widget and Maj+Tab comes back; after each key the focused widget must be attached, drawn
on screen, uncovered, with its field's number and label; every field the step shows must
be reached. One app per state walks the three sizes (resized in place) to keep this fast.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from demande_factory import EPHOTO_CODE, complete_demande
from focus_checks import assert_focus_visible, shown_numbers, walk
from permis_tui.model.demande import Demande, Etat
from permis_tui.model.motif import Mesure, MotifKind, Personne, TypeInscription
from permis_tui.model.photo import PhotoChoice, PhotoSignature
from permis_tui.model.piece_kind import PieceKind
from pilot_helpers import make_app

SIZES = [(80, 24), (100, 30), (120, 40)]


def first_control(screen):
    summary = screen.query_one("#error-summary")
    if summary.display and screen.STEP == 6:
        return summary
    return screen.fallback_focus()


def _premiere(d: Demande) -> None:
    d.motif.type_inscription = TypeInscription.PREMIERE


def _retour_tout(d: Demande) -> None:
    # Invalidation (1.7 shown) with a catégorie lourde (1.5 shown): every step-1 field.
    d.motif.categorie_lourde = True
    d.motif.categories_lourdes = ["C"]


def _annulation(d: Demande) -> None:
    d.motif.retour.mesure = Mesure.ANNULATION


def _mineur_heberge(d: Demande) -> None:
    d.motif.personne = Personne.MINEURE
    d.pieces.domicile_au_nom = False


def _ne_a_l_etranger(d: Demande) -> None:
    e = d.etat_civil
    e.pays_naissance, e.departement_naissance, e.commune_naissance_code = "MA", None, None
    e.commune_naissance = "Casablanca"  # the town of birth, abroad


def _photo(choix: PhotoChoice):
    def apply(d: Demande) -> None:
        d.photo = PhotoSignature(choix=choix, code_ephoto=EPHOTO_CODE if choix is PhotoChoice.EPHOTO else None,
                                 date_photo=f"{date.today():%d/%m/%Y}" if choix is PhotoChoice.EPHOTO else None)
    return apply


def _validee(d: Demande) -> None:
    d.etat = Etat.VALIDEE
    d.valide_le = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)


def _nouvelle(d: Demande) -> None:
    d.motif.motif = None


# (step, state name, change applied to a complete demande)
STATES = [
    (1, "nouvelle", _nouvelle),
    (1, "premiere", _premiere),
    (1, "retour-invalidation-lourde", _retour_tout),
    (1, "retour-annulation", _annulation),
    (1, "validee", _validee),
    (2, "ne-en-france", None),
    (2, "ne-a-l-etranger", _ne_a_l_etranger),
    (3, "adresse", None),
    (4, "ephoto", _photo(PhotoChoice.EPHOTO)),
    (4, "courrier", _photo(PhotoChoice.COURRIER)),
    (4, "sans-photo", _photo(PhotoChoice.SANS)),
    (5, "retour", None),
    (5, "mineur-heberge", _mineur_heberge),
    (5, "validee", _validee),
    (6, "complete", None),
    (6, "incomplete", _premiere),
    (7, "validee", _validee),
    (7, "non-validee", None),
]


@pytest.mark.parametrize("step,state,change", STATES, ids=[f"{s}-{name}" for s, name, _ in STATES])
async def test_tab_reaches_every_field_visibly(tmp_path, step, state, change):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        files = {PieceKind.IDENTITE: 1, PieceKind.DOMICILE: 1, PieceKind.MEDICAL: 1}
        if state == "mineur-heberge":
            files.update({PieceKind.HEBERGEMENT: 1, PieceKind.IDENTITE_HEBERGEANT: 1,
                          PieceKind.IDENTITE_REPRESENTANT: 1})
        d = complete_demande(app.store, files=files, save=False)
        if change is not None:
            change(d)
        app.store.save(d)
        app.open_demande(d, step)
        await pilot.pause()
        screen = app.screen
        assert screen.STEP == step
        for size in SIZES:
            if size != SIZES[0]:
                await pilot.resize_terminal(*size)
                await pilot.pause()
                screen.query_one("#step-body").scroll_home(animate=False, immediate=True)
            if size == SIZES[0]:
                # The step opens on its first control (the missing items on the récapitulatif).
                assert app.focused is first_control(screen), app.focused
            else:
                first_control(screen).focus()
                await pilot.pause()
            assert_focus_visible(app)
            reached = await walk(pilot)
            assert reached == shown_numbers(screen, focusable_only=d.est_validee), f"at {size}"
            if d.est_validee:
                # Read-only fields take no focus: the body itself does, to scroll through them.
                body = screen.query_one("#step-body")
                assert body.max_scroll_y == 0 or body in screen.focus_chain
        assert app.screen is screen  # no key of the walk left the step
