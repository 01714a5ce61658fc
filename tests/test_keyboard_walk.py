"""Walking every step the way a person does, keyboard only, at 80×24, 100×30 and 120×40.

For each step and each state that shows different fields, Tab goes round every focusable
widget and Maj+Tab comes back; after each key the focused widget must be attached, drawn
on screen, uncovered, with its field's number and label; every field the step shows must
be reached. One app per state walks its sizes (resized in place). Every state is walked at
80×24, the size where fields are hardest to keep in view; the state of each step that shows
the most fields is walked at the three sizes too (a layout that clips, like step 1's did,
clips at every size). Each key costs a full repaint, so this keeps the file fast.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from demande_factory import EPHOTO_CODE, complete_demande, small_pdf
from focus_checks import assert_focus_visible, shown_numbers, tab_to, walk
from permis_tui.model.demande import Demande, Etat
from permis_tui.model.motif import Mesure, MotifKind, Personne, TypeInscription
from permis_tui.model.photo import PhotoChoice, PhotoSignature
from permis_tui.model.piece_kind import PieceKind
from permis_tui.screens.pieces_screen import PiecesScreen
from permis_tui.widgets.file_picker import FilePicker
from permis_tui.widgets.piece_category import AttachButton, FileButton, PieceCategory
from permis_tui.widgets.piece_details import PieceDetails
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


FULLEST = SIZES
SMALLEST = SIZES[:1]
# (step, state name, change applied to a complete demande, sizes)
STATES = [
    (1, "nouvelle", _nouvelle, SMALLEST),
    (1, "premiere", _premiere, SMALLEST),
    (1, "retour-invalidation-lourde", _retour_tout, FULLEST),
    (1, "retour-annulation", _annulation, SMALLEST),
    (1, "validee", _validee, SMALLEST),
    (2, "ne-en-france", None, FULLEST),
    (2, "ne-a-l-etranger", _ne_a_l_etranger, FULLEST),
    (3, "adresse", None, FULLEST),
    (4, "ephoto", _photo(PhotoChoice.EPHOTO), FULLEST),
    (4, "courrier", _photo(PhotoChoice.COURRIER), SMALLEST),
    (4, "sans-photo", _photo(PhotoChoice.SANS), SMALLEST),
    (5, "retour", None, SMALLEST),
    (5, "mineur-heberge", _mineur_heberge, FULLEST),
    (5, "validee", _validee, SMALLEST),
    (6, "complete", None, SMALLEST),
    (6, "incomplete", _premiere, FULLEST),
    (7, "validee", _validee, FULLEST),
    (7, "non-validee", None, SMALLEST),
]


@pytest.mark.parametrize("step,state,change,sizes", STATES, ids=[f"{s}-{name}" for s, name, _, _ in STATES])
async def test_tab_reaches_every_field_visibly(tmp_path, step, state, change, sizes):
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
        for size in sizes:
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


# -- step 5: attach, view and remove with keys only; focus never lost --------------------

async def settle(pilot) -> None:
    """Wait for the file checks (worker threads, child processes) and what they post."""
    await pilot.pause()
    for worker in list(pilot.app.workers):
        if worker.group.startswith("pieces-"):
            await worker.wait()
    await pilot.pause()
    await pilot.pause()


def in_category(kind: PieceKind, cls, action: str | None = None, name: str | None = None):
    def wanted(widget) -> bool:
        category = widget.parent if isinstance(widget, AttachButton) else getattr(widget.parent, "parent", None)
        return (isinstance(widget, cls) and isinstance(category, PieceCategory) and category.kind is kind
                and (action is None or widget.action_name == action)
                and (name is None or widget.piece.nom_original == name))
    return wanted


async def attach_with_keys(pilot, kind: PieceKind, name: str) -> None:
    await tab_to(pilot, in_category(kind, AttachButton))
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, FilePicker)
    await pilot.press("ctrl+l", *name, "enter")  # the picker's typed path (relative to the cwd)
    await settle(pilot)
    assert isinstance(pilot.app.screen, PiecesScreen)


async def test_step5_attach_view_remove_with_keys_only(tmp_path, monkeypatch):
    kinds = list(PieceKind)  # mineur, hébergé, retour: all six categories
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(len(kinds) + 1):
        (docs / f"{i}.pdf").write_bytes(small_pdf(f"page {i}"))
    monkeypatch.chdir(docs)  # short paths to type
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        d = complete_demande(app.store, files={PieceKind.IDENTITE: 0}, save=False)  # no file yet
        _mineur_heberge(d)
        app.store.save(d)
        app.open_demande(d, 5)
        await settle(pilot)
        # Step 5 opens on its first control: 5.1's "Joindre un fichier".
        assert in_category(PieceKind.IDENTITE, AttachButton)(assert_focus_visible(app))

        for i, kind in enumerate(kinds):
            await attach_with_keys(pilot, kind, f"{i}.pdf")
            # The focus is on the new file's line, alive and in view.
            assert in_category(kind, FileButton, "view", f"{i}.pdf")(assert_focus_visible(app)), app.focused
        # A second file in 5.1 (recto, verso).
        await attach_with_keys(pilot, PieceKind.IDENTITE, f"{len(kinds)}.pdf")
        assert in_category(PieceKind.IDENTITE, FileButton, "view", f"{len(kinds)}.pdf")(assert_focus_visible(app))
        assert len(app.demande.pieces.fichiers) == len(kinds) + 1

        # "Voir", then Échap: back on the same line.
        await pilot.press("enter")
        assert isinstance(app.screen, PieceDetails)
        await pilot.press("escape")
        await pilot.pause()
        assert in_category(PieceKind.IDENTITE, FileButton, "view", f"{len(kinds)}.pdf")(assert_focus_visible(app))

        # "Retirer" the first file of 5.1: the focus goes to the line that takes its place.
        await pilot.press("shift+tab")  # 0.pdf's Retirer, on the line above
        assert in_category(PieceKind.IDENTITE, FileButton, "remove", "0.pdf")(assert_focus_visible(app))
        await pilot.press("enter", "o")
        await pilot.pause()
        assert in_category(PieceKind.IDENTITE, FileButton, "view", f"{len(kinds)}.pdf")(assert_focus_visible(app))
        # Then every last file of a category: the focus goes to its "Joindre un fichier".
        for i, kind in enumerate(kinds):
            name = f"{len(kinds)}.pdf" if kind is PieceKind.IDENTITE else f"{i}.pdf"
            await tab_to(pilot, in_category(kind, FileButton, "remove", name))
            await pilot.press("enter", "o")
            await pilot.pause()
            assert in_category(kind, AttachButton)(assert_focus_visible(app)), app.focused
        assert app.demande.pieces.fichiers == []
        assert app.store.load(d.numero).pieces.fichiers == []

        # The keys still reach the app: Tab moves on, Ctrl+N checks the step, Ctrl+Q quits.
        before = app.focused
        await pilot.press("tab")
        assert assert_focus_visible(app) is not before
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#error-summary").display
        assert isinstance(app.screen, PiecesScreen) and assert_focus_visible(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
