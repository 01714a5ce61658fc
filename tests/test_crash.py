"""SIGKILL at random points of every store operation: nothing lost, nothing split, no residue.

A few hundred kills in all (see crash_harness for what is checked after each one);
benchmarks/bench_crash.py runs the same campaign with 1,000 kills per operation.
"""

from __future__ import annotations

import pytest

import crash_harness as harness

# kills per operation: validation and attach take longer (PDF rendering, a 200 kB copy and its check)
KILLS = {
    "save": 30,
    "attach": 20,
    "remove": 30,
    "delete": 30,
    "restore": 30,
    "duplicate": 30,
    "import": 30,
    "validation": 20,
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    base = tmp_path_factory.mktemp("crash")
    ctx = harness.prepare(base / "template", base / "fixtures")
    return base, ctx


@pytest.mark.parametrize("op", harness.OPERATIONS)
def test_kill_at_random_points_loses_nothing_and_leaves_no_residue(prepared, op):
    base, ctx = prepared
    campaign = harness.run_campaign(op, KILLS[op], base / "template", base / f"work-{op}", ctx)
    print(campaign.line())
    assert campaign.kills == KILLS[op]
    assert campaign.failures == []
    assert (campaign.lost, campaign.split, campaign.residue) == (0, 0, 0)


def test_the_checks_see_residue_when_recovery_does_nothing(prepared, monkeypatch):
    # The campaign above can fail: without recovery, kills during an attachment's copy leave
    # half-copied pieces that the residue check reports.
    from permis_tui.recovery import RecoveryReport
    from permis_tui.store import DraftStore

    monkeypatch.setattr(DraftStore, "recover", lambda self: RecoveryReport())
    base, ctx = prepared
    campaign = harness.run_campaign("attach", 10, base / "template", base / "work-norecovery", ctx, seed=1)
    assert campaign.residue > 0
    assert any(".incoming-" in f for f in campaign.failures)
