"""The app checks files in a child process: same verdicts, hard limits."""

from __future__ import annotations

import pytest

from fixtures.make_fixtures import make_all
from permis_tui.documents import Details, VerdictCode, check_file


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    return make_all(tmp_path_factory.mktemp("fx-child"))


@pytest.mark.parametrize(
    "key",
    [
        "pdf_2",
        "pdf_7",
        "aes256",
        "truncated",
        "cyclic",
        "deep",
        "bomb",
        "pages_5000",
        "jpeg_as_pdf",
        "png_bad_crc",
        "jpeg_truncated",
        "rc4",
        "owner_only",
        "no_xref",
    ],
)
def test_child_gives_the_same_verdict(fx, key):
    if key not in fx:
        pytest.skip(f"no fixture {key}")
    inproc = check_file(fx[key], 2)
    child = check_file(fx[key], 2, isolated=True)
    assert child == inproc


def test_child_is_killed_at_the_deadline(fx, monkeypatch):
    import permis_tui.documents.child as child

    monkeypatch.setattr(child, "GRACE_SECONDS", 0.0)
    verdict = check_file(fx["pdf_2"], 2, timeout=0.01, isolated=True)
    assert verdict.code is VerdictCode.TOO_COMPLEX
    assert verdict.reason == VerdictCode.TOO_COMPLEX.text(Details(seconds=0.01))
