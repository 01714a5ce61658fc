"""Walking every step the way a person does, keyboard only, at 80×24, 100×30 and 120×40.

For each step and each state that shows different fields, Tab goes round every focusable
widget and Maj+Tab comes back; after each key the focused widget must be attached, drawn
on screen, uncovered, with its field's number and label; every field the step shows must
be reached.

Every state is walked at 80×24, the size where the most is scrolled out of view and the
state decides what there is to scroll to. The step's fullest states are walked again at
100×30 and 120×40 (resized in place): what is visible at 80×24 can be hidden at 120×40 by a
layout that grows with the screen (labels and help wrapping at other widths, the key bar's
lines, a step that stops scrolling). That risk is the layout of the widgets a step can show,
so one walk through all of them covers it; a state that shows a subset of them (a motif
with fewer fields, a photo choice without the e-photo code, a validée's read-only fields)
adds nothing at those sizes that the fullest walk does not already check.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from demande_factory import EPHOTO_CODE, complete_demande, small_pdf
from focus_checks import assert_focus_visible, shown_numbers, tab_to, walk
from permis_tui.model.completeness import pieces_de_la_demande
from permis_tui.model.demande import Demande, Etat
from permis_tui.model.motif import Mesure, Personne, TypeInscription
from permis_tui.model.photo import PhotoChoice, PhotoSignature
from permis_tui.model.piece_kind import PieceKind
from permis_tui.screens.pieces_screen import PiecesScreen
from permis_tui.widgets.field_row import field_dom_id
from permis_tui.widgets.file_picker import FilePicker
from permis_tui.widgets.piece_category import AttachButton, FileButton, PieceCategory
from permis_tui.widgets.piece_details import PieceDetails
from pilot_helpers import make_app, start_checks_done, wait_focus_shown, wait_until

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
        d.photo = PhotoSignature(
            choix=choix,
            code_ephoto=EPHOTO_CODE if choix is PhotoChoice.EPHOTO else None,
            date_photo=f"{date.today():%d/%m/%Y}" if choix is PhotoChoice.EPHOTO else None,
        )

    return apply


def _validee(d: Demande) -> None:
    d.etat = Etat.VALIDEE
    d.valide_le = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)


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

# The states walked at every size: each step's fullest. Step 1's retour after an invalidation
# with a catégorie lourde shows every step-1 field (1.1–1.13); step 2 has two, neither a subset
# of the other (born in France: 2.7 département and 2.8 commune; abroad: 2.9 the town); step 5's
# minor, hébergé, shows every category a retour shows and three more; step 6 with items missing
# shows its summary above the récapitulatif; step 7 validée shows 7.1, the documents created
# and the email (not validée, a notice only).
EVERY_SIZE = {
    (1, "retour-invalidation-lourde"),
    (2, "ne-en-france"),
    (2, "ne-a-l-etranger"),
    (3, "adresse"),
    (4, "ephoto"),
    (5, "mineur-heberge"),
    (6, "incomplete"),
    (7, "validee"),
}
assert EVERY_SIZE.issubset((step, name) for step, name, _ in STATES)
assert {step for step, _ in EVERY_SIZE} == {step for step, _, _ in STATES}  # every step has one


@pytest.mark.parametrize("step,state,change", STATES, ids=[f"{s}-{name}" for s, name, _ in STATES])
async def test_tab_reaches_every_field_visibly(tmp_path, step, state, change):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        files = {PieceKind.IDENTITE: 1, PieceKind.DOMICILE: 1, PieceKind.MEDICAL: 1}
        if state == "mineur-heberge":
            files.update(
                {PieceKind.HEBERGEMENT: 1, PieceKind.IDENTITE_HEBERGEANT: 1, PieceKind.IDENTITE_REPRESENTANT: 1}
            )
        await start_checks_done(app)
        d = complete_demande(app.store, files=files, save=False)
        if change is not None:
            change(d)
        app.store.save(d)
        app.open_demande(d, step)
        await pilot.pause()
        screen = app.screen
        assert step == screen.STEP
        for size in SIZES if (step, state) in EVERY_SIZE else SIZES[:1]:
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
        return (
            isinstance(widget, cls)
            and isinstance(category, PieceCategory)
            and category.kind is kind
            and (action is None or widget.action_name == action)
            and (name is None or widget.piece.nom_original == name)
        )

    return wanted


async def attach_with_keys(pilot, kind: PieceKind, name: str) -> None:
    await tab_to(pilot, in_category(kind, AttachButton))
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, FilePicker)
    await pilot.press("ctrl+l", *name, "enter")  # the picker's typed path (relative to the cwd)
    await settle(pilot)
    assert isinstance(pilot.app.screen, PiecesScreen)


async def test_step5_attach_view_remove_with_keys_only(tmp_path, monkeypatch):
    # Mineur, hébergé, retour: every category these answers call for (F31847: for a minor, one
    # set — the parent's attestation and ID — never the hébergeant's ID on top).
    kinds = [
        PieceKind.IDENTITE,
        PieceKind.DOMICILE,
        PieceKind.MEDICAL,
        PieceKind.HEBERGEMENT,
        PieceKind.IDENTITE_REPRESENTANT,
    ]
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(len(kinds) + 1):
        (docs / f"{i}.pdf").write_bytes(small_pdf(f"page {i}"))
    monkeypatch.chdir(docs)  # short paths to type
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        await start_checks_done(app)
        d = complete_demande(app.store, files={PieceKind.IDENTITE: 0}, save=False)  # no file yet
        _mineur_heberge(d)
        assert pieces_de_la_demande(d, date.today()) == kinds
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


async def test_step5_verdicts_change_their_category_in_place(tmp_path, monkeypatch):
    """A verdict changes only its own category's lines, with keys at 80×24: the widgets already
    there stay (nothing under the focus is removed and mounted again), the new line shows its
    verdict (and its warning under it) and takes the focus; a refused file leaves the focus on
    « Joindre un fichier »; a category no longer asked for says so in place."""
    from fixtures.make_fixtures import image_bytes
    from pilot_helpers import choose

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a", "c"):
        (docs / f"{name}.pdf").write_bytes(small_pdf(name))
    (docs / "photo.pdf").write_bytes(image_bytes(600, 800, "JPEG"))  # a JPEG named .pdf: a warning
    (docs / "vide.pdf").write_bytes(b"")
    monkeypatch.chdir(docs)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        await start_checks_done(app)
        d = complete_demande(app.store, files={PieceKind.IDENTITE: 1, PieceKind.DOMICILE: 1}, save=False)
        app.store.save(d)
        app.open_demande(d, 5)
        await settle(pilot)
        screen = app.screen
        category = screen.category(PieceKind.DOMICILE)

        def texts(kind: PieceKind = PieceKind.DOMICILE) -> str:
            return "\n".join(str(w.render()) for w in screen.category(kind).query("Static") if w.display)

        kept = [*category.children, *category.query(FileButton)]
        attach = category.query_one(AttachButton)

        await attach_with_keys(pilot, PieceKind.DOMICILE, "a.pdf")
        assert in_category(PieceKind.DOMICILE, FileButton, "view", "a.pdf")(assert_focus_visible(app))
        assert all(w.is_attached for w in kept) and category.query_one(AttachButton) is attach
        assert texts().count("✓ Document valide") == 2

        await attach_with_keys(pilot, PieceKind.DOMICILE, "photo.pdf")
        assert in_category(PieceKind.DOMICILE, FileButton, "view", "photo.pdf")(assert_focus_visible(app))
        piece = app.demande.pieces.fichiers[-1]
        assert piece.valide and piece.avertissement
        assert f"✓ Document valide\n⚠ {piece.avertissement}" in texts()

        await attach_with_keys(pilot, PieceKind.DOMICILE, "a.pdf")  # already attached: not joined
        assert app.focused is attach and assert_focus_visible(app) is attach
        assert "✗ a.pdf" in texts() and "n'a pas été joint" in texts()
        # The next file takes the refusal line away; an empty file is joined, with its verdict.
        await attach_with_keys(pilot, PieceKind.DOMICILE, "vide.pdf")
        assert in_category(PieceKind.DOMICILE, FileButton, "view", "vide.pdf")(assert_focus_visible(app))
        assert "n'a pas été joint" not in texts() and "✗ Fichier vide" in texts()
        assert texts().count("✓ Document valide") == 3
        assert all(w.is_attached for w in kept) and category.query_one(AttachButton) is attach

        # Hébergé: the attestation is asked for; back to "in my name", its file stays, flagged.
        await choose(pilot, "pieces.domicile_au_nom", 1)
        assert screen.rows["pieces.hebergement"].display
        await attach_with_keys(pilot, PieceKind.HEBERGEMENT, "c.pdf")
        assert in_category(PieceKind.HEBERGEMENT, FileButton, "view", "c.pdf")(assert_focus_visible(app))
        hebergement = [*screen.category(PieceKind.HEBERGEMENT).children]
        await choose(pilot, "pieces.domicile_au_nom", 0)
        assert screen.rows["pieces.hebergement"].display
        assert "⚠ Cette pièce n'est plus demandée" in texts(PieceKind.HEBERGEMENT)
        assert all(w.is_attached for w in hebergement)
        assert app.store.load(d.numero).pieces.of(PieceKind.DOMICILE) == app.demande.pieces.of(PieceKind.DOMICILE)


# -- the error summary, the récapitulatif, jumps and dialogs -------------------------------


async def until(pilot, condition) -> None:
    await wait_until(pilot, condition, "the screen never got there")


def summary_lines(screen) -> list[str]:
    summary = screen.query_one("#error-summary")
    return [str(summary.get_option_at_index(i).prompt) for i in range(summary.option_count)] if summary.display else []


async def retype(pilot, field_id: str, text: str) -> None:
    """Focus a text field, select what it holds, type over it, leave it with Tab."""
    widget = pilot.app.screen.query_one("#" + field_dom_id(field_id))
    widget.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * len(widget.value), *text, "tab")
    await pilot.pause()


async def test_error_summary_follows_each_field_message(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        await start_checks_done(app)
        d = complete_demande(app.store, save=False)
        d.motif.retour.date_restitution = None
        app.store.save(d)
        app.open_demande(d, 1)
        await pilot.pause()
        await retype(pilot, "motif.retour.date_restitution", "31/02/1990")
        await pilot.press("ctrl+n")
        await pilot.pause()
        lines = summary_lines(app.screen)
        assert any("1.8" in line and "31/02/1990" in line for line in lines), lines
        assert assert_focus_visible(app).id == field_dom_id("motif.retour.date_restitution")
        # Another mistake: the summary says what the field says, nothing about 31/02 any more.
        await retype(pilot, "motif.retour.date_restitution", "01/01/2999")
        lines = summary_lines(app.screen)
        assert not any("31/02/1990" in line for line in lines), lines
        assert any("1.8" in line and "La date ne peut pas être dans le futur." in line for line in lines), lines
        assert app.screen.row_for("motif.retour.date_restitution").error == "La date ne peut pas être dans le futur."
        # Corrected: the line goes, and with no problem left the summary goes too.
        await retype(pilot, "motif.retour.date_restitution", "15/01/2026")
        assert summary_lines(app.screen) == []
        assert_focus_visible(app)


async def test_recap_entree_works_where_the_focus_lands(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        await start_checks_done(app)
        d = complete_demande(app.store, save=False)
        d.adresse.email = None
        app.store.save(d)
        app.open_demande(d, 6)
        await pilot.pause()
        summary = app.screen.query_one("#error-summary")
        # The récapitulatif opens on its list of missing items, a line already highlighted.
        assert assert_focus_visible(app) is summary and summary.highlighted == 1
        await pilot.press("enter")
        await wait_focus_shown(pilot, "adresse.email")
        assert getattr(app.screen, "STEP", 0) == 3
        assert_focus_visible(app)


async def test_palette_jump_and_closed_dialogs_keep_the_field_in_view(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        await start_checks_done(app)
        d = complete_demande(app.store)
        app.open_demande(d, 1)
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"1.11")
        await until(
            pilot,
            lambda: (
                "Aller au champ 1.11" in str(app.screen.query("CommandList").first().get_option_at_index(0).prompt)
                if app.screen.query("CommandList") and app.screen.query("CommandList").first().option_count
                else False
            ),
        )
        await pilot.press("enter")
        await wait_focus_shown(pilot, "motif.retour.date_premier_permis")
        focused = assert_focus_visible(app)
        for key in ("f1", "f2"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is not app.screen_stack[1]  # the dialog is open
            await pilot.press("escape")
            await pilot.pause()
            assert assert_focus_visible(app) is focused


async def test_dupliquer_puts_the_cursor_on_the_copy(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        await start_checks_done(app)
        first = app.store.create()
        app.store.create()
        await pilot.pause()
        from permis_tui.screens.home_screen import HomeScreen

        home = app.screen
        home.reload()
        await pilot.pause()
        table = home.query_one("#home-table")
        table.move_cursor(row=table.get_row_index(first.numero))
        await pilot.press("d", "o")
        await until(pilot, lambda: len(app.store.summaries().demandes) == 3 and home.selected() != first.numero)
        copy = home.selected()
        assert copy not in (None, first.numero)
        assert app.focused is table
        await pilot.press("enter")
        await pilot.pause()
        assert app.demande.numero == copy and isinstance(home, HomeScreen)


async def test_accueil_f3_and_palette_save_before_leaving(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZES[0]) as pilot:
        from permis_tui.screens.home_screen import HomeScreen

        await start_checks_done(app)
        d = app.store.create()
        app.open_demande(d, 2)
        await pilot.pause()
        app.screen.query_one("#" + field_dom_id("etat_civil.nom_naissance")).focus()
        await pilot.pause()
        await pilot.press(*"Dupont", "f3")  # still in the field: F3 keeps what was typed
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.demande is None
        assert app.store.load(d.numero).etat_civil.nom_naissance == "Dupont"
        assert_focus_visible(app)
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "STEP", 0) == 1)  # resumed where it was saved
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"accueil")
        await until(
            pilot,
            lambda: (
                bool(app.screen.query("CommandList"))
                and app.screen.query("CommandList").first().option_count > 0
                and "Accueil" in str(app.screen.query("CommandList").first().get_option_at_index(0).prompt)
            ),
        )
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
