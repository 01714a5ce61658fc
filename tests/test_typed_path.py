"""clean_typed_path: what a terminal pastes for a dropped file becomes a Path, or a French message."""

from __future__ import annotations

import shlex
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures.make_fixtures import WEIRD_NAME
from permis_tui.typed_path import PathProblem, clean_typed_path


def make(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n")
    return path


def test_literal_quoted_escaped_and_url_forms(tmp_path):
    weird = make(tmp_path, WEIRD_NAME)
    assert clean_typed_path(f"  {weird}  ") == weird
    assert clean_typed_path(shlex.quote(str(weird))) == weird
    assert clean_typed_path(f'"{str(weird).replace(chr(34), chr(92) + chr(34))}"') == weird
    escaped = "".join("\\" + c if c in " '\"" else c for c in str(weird))
    assert clean_typed_path(escaped) == weird
    assert clean_typed_path("file://" + str(weird).replace(" ", "%20")) == weird


def test_shell_quoted_apostrophe_as_terminals_paste_it(tmp_path):
    piece = make(tmp_path, "Pièce d'identité.pdf")
    # What GNOME Terminal and others paste for a dropped file: '…'\''…'
    pasted = "'" + str(piece).replace("'", "'\\''") + "'"
    assert "'\\''" in pasted
    assert clean_typed_path(pasted) == piece


def test_literal_name_with_quotes_wins_over_unquoting(tmp_path):
    odd = make(tmp_path, "'guillemets'.pdf")
    assert clean_typed_path(str(odd)) == odd


def test_missing_file_gives_the_decoded_path(tmp_path):
    assert clean_typed_path(f"'{tmp_path}/absent d'\\''ici.pdf'") == tmp_path / "absent d'ici.pdf"


def test_home_is_expanded():
    assert clean_typed_path("~/x.pdf") == Path.home() / "x.pdf"


def test_unknown_user_gets_a_message_not_a_crash():
    # Path("~jdupont/scan.pdf").expanduser() raises RuntimeError for an unknown user.
    result = clean_typed_path("~jdupontinconnu/scan.pdf")
    assert isinstance(result, PathProblem)
    assert result.message.startswith("Utilisateur « jdupontinconnu » inconnu sur cet ordinateur")


def test_two_dropped_files_refused_with_a_message(tmp_path):
    a, b = make(tmp_path, "a.pdf"), make(tmp_path, "b.pdf")
    result = clean_typed_path(f"'{a}' '{b}'")
    assert result == PathProblem("Un seul fichier à la fois : déposez ou collez les fichiers un par un.")


def test_no_break_spaces_in_a_real_name_are_not_controls(tmp_path):
    # French typography and some screenshot tools put U+00A0 / U+202F in file names.
    piece = make(tmp_path, "Justificatif\u00a0: facture\u202f2024.pdf")
    assert clean_typed_path(str(piece)) == piece
    assert isinstance(clean_typed_path(f"{tmp_path}/a\u202eb.pdf"), PathProblem)  # bidi override


def test_empty_control_and_unclosed_quote(tmp_path):
    assert isinstance(clean_typed_path("   "), PathProblem)
    assert "invisible ou de contrôle" in clean_typed_path("/tmp/a\x00b.pdf").message
    # An unclosed quote is not a shell word: the literal text is kept.
    assert clean_typed_path(f"'{tmp_path}/x.pdf") == Path(f"'{tmp_path}/x.pdf")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300) | st.builds(lambda u, rest: f"~{u}/{rest}", st.text(max_size=20), st.text(max_size=40)))
def test_any_text_gives_a_path_or_a_french_message(raw):
    result = clean_typed_path(raw)
    assert isinstance(result, (Path, PathProblem))
    if isinstance(result, PathProblem):
        assert result.message and result.message[0].isupper()
