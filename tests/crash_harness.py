"""SIGKILL campaign on the store's operations, shared by tests/test_crash.py and benchmarks/bench_crash.py.

For each kill: a fresh copy of a prepared data folder; a forked child (modules already
imported, so the operation starts at once) runs one operation; the parent kills it with
SIGKILL after a random delay drawn over the operation's measured duration, then runs
recovery as the next start would and checks:

- every demande loads (no problem reported), as its state before or after the operation,
  and only one of the two (never both listed and in the corbeille, never two halves);
- every piece a saved demande refers to is there, with its SHA-256;
- nothing is left: no temporary file, no half-copied piece, no copy that no demande
  refers to, no staging folder, nothing in a Maildir tmp/, no PDF or email beside a
  brouillon, every validée has its confirmation email queued or sent, and no validation
  mark is left.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from permis_tui.atomic import is_temp_name
from permis_tui.model.demande import Etat, load_demande
from permis_tui.model.piece_kind import PieceKind
from permis_tui.store import VALIDATION_MARK, DraftStore

OPERATIONS = ("save", "attach", "remove", "delete", "restore", "duplicate", "import", "validation")


@dataclass
class Campaign:
    operation: str
    kills: int = 0  # children killed while the operation ran
    finished: int = 0  # children that finished before the kill landed
    lost: int = 0  # a demande missing, or a piece missing / wrong
    split: int = 0  # a demande in two places, or neither old nor new
    residue: int = 0  # anything left after recovery
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.operation:<10} kills={self.kills:4d} (finished before kill: {self.finished:3d})  "
            f"lost={self.lost}  split={self.split}  residue={self.residue}"
        )


# -- the prepared data folder ------------------------------------------------


def prepare(template: Path, fixtures: Path) -> dict:
    """A data folder holding: a complete brouillon A (6 pieces), a second one B in the corbeille,
    and a JSON file for import. Returns what the operations need."""
    from demande_factory import complete_demande, small_pdf

    store = DraftStore(template)
    store.ensure()
    a = complete_demande(store, numero="2611-AAAA-BBBB")
    b = complete_demande(store, numero="2611-CCCC-DDDD")
    store.delete(b.numero)
    fixtures.mkdir(parents=True, exist_ok=True)
    scan = fixtures / "scan.pdf"
    scan.write_bytes(small_pdf("nouvelle piece") + b"\n" * 200_000)  # big enough to be cut mid-copy
    from permis_tui.model.demande import Demande

    incoming = Demande(numero="2611-EEEE-FFFF")  # import brings the JSON only, no pieces
    incoming.etat_civil.nom_naissance = "Importée"
    (fixtures / "import.json").write_text(incoming.model_dump_json(indent=2), encoding="utf-8")
    return {"a": a.numero, "b": b.numero, "scan": scan, "import": fixtures / "import.json"}


def _run(op: str, root: Path, ctx: dict) -> None:
    """The operation, as the app or a command runs it (called in the child)."""
    from permis_tui import attachments

    store = DraftStore(root)
    numero = ctx["a"]
    if op == "save":
        with store.lock(numero):
            d = store.load(numero)
            d.etat_civil.nom_usage = "Nouveau"
            store.save(d)
    elif op == "attach":
        with store.lock(numero):
            d = store.load(numero)
            outcome = attachments.attach(
                store, numero, ctx["scan"], PieceKind.IDENTITE, existing=d.pieces.fichiers, max_bytes=10 << 20
            )
            d.pieces.fichiers.append(outcome.piece)
            store.save(d)
    elif op == "remove":
        with store.lock(numero):
            d = store.load(numero)
            piece = d.pieces.fichiers[0]
            attachments.remove(store, numero, d.pieces, piece, save=lambda: store.save(d) or True)
    elif op == "delete":
        store.delete(numero)
    elif op == "restore":
        store.restore(ctx["b"])
    elif op == "duplicate":
        store.duplicate(numero)
    elif op == "import":
        import json

        store.import_demande(load_demande(json.loads(Path(ctx["import"]).read_text("utf-8"))))
    elif op == "validation":
        from permis_tui.validation import valider

        with store.lock(numero):
            result = valider(store.load(numero), store)
            assert result.validee, result.erreur or result.issues


# -- checks ------------------------------------------------------------------


def _states(op: str, store: DraftStore, ctx: dict) -> tuple[bool, str]:
    """(state is the old or the new one, what was found), for the operation's demandes."""
    a, b = ctx["a"], ctx["b"]
    active = sorted(p.name for p in store.demande_folders())
    trash = sorted(p.name for p in store.demande_folders(store.trash_dir))
    found = f"demandes={active} corbeille={trash}"
    if op == "delete":
        return (active, trash) in (([a], [b]), ([], sorted([a, b]))), found
    if op == "restore":
        return (active, trash) in (([a], [b]), (sorted([a, b]), [])), found
    if op == "duplicate":
        ok = trash == [b] and a in active and len(active) in (1, 2)
        if ok and len(active) == 2:
            copy = store.load(next(n for n in active if n != a))
            ok = copy.etat is Etat.BROUILLON and copy.etat_civil == store.load(a).etat_civil
        return ok, found
    if op == "import":
        return trash == [b] and active in ([a], sorted([a, "2611-EEEE-FFFF"])), found
    if (active, trash) != ([a], [b]):
        return False, found
    d = store.load(a)
    if op == "save":
        return d.etat_civil.nom_usage in (None, "Nouveau"), f"nom_usage={d.etat_civil.nom_usage!r}"
    if op == "attach":
        return len(d.pieces.fichiers) in (6, 7), f"{len(d.pieces.fichiers)} pièces"
    if op == "remove":
        return len(d.pieces.fichiers) in (5, 6), f"{len(d.pieces.fichiers)} pièces"
    return True, f"etat={d.etat}"


def residue(store: DraftStore) -> list[str]:
    """Everything recovery should have removed or completed, as readable lines."""
    found = []
    for path in store.root.rglob("*"):
        if path.is_file() and is_temp_name(path.name):
            found.append(f"fichier temporaire {path.relative_to(store.root)}")
    if store.staging_dir.exists() and any(store.staging_dir.iterdir()):
        found.append("dossier .staging non vide")
    for parent in (store.demandes_dir, store.trash_dir):
        if not parent.is_dir():
            continue
        for folder in parent.iterdir():
            if folder.name.startswith("."):
                continue
            if not (folder / "demande.json").is_file():
                found.append(f"dossier sans demande.json : {folder.name}")
                continue
            d = store._read(folder / "demande.json")
            used = {p.fichier for p in d.pieces.fichiers}
            pieces = folder / "pieces"
            if pieces.is_dir():
                found += [f"copie orpheline {folder.name}/{p.name}" for p in pieces.iterdir() if p.name not in used]
            outbox = folder / "outbox"
            if (outbox / "tmp").is_dir() and any((outbox / "tmp").iterdir()):
                found.append(f"message à moitié écrit dans {folder.name}/outbox/tmp")
            messages = [
                p for sub in ("new", "cur", ".sent/cur") if (outbox / sub).is_dir() for p in (outbox / sub).iterdir()
            ]
            if parent == store.demandes_dir and d.etat is Etat.BROUILLON:
                forms = list((folder / "formulaires").iterdir()) if (folder / "formulaires").is_dir() else []
                if forms or messages:
                    found.append(f"brouillon {folder.name} avec documents de validation")
            if d.etat is Etat.VALIDEE and not messages:
                found.append(f"validée {folder.name} sans courriel")
            if (folder / VALIDATION_MARK).exists():
                found.append(f"marque de validation en cours laissée dans {folder.name}")
    return found


def lost_pieces(store: DraftStore) -> list[str]:
    missing = []
    for parent in (store.demandes_dir, store.trash_dir):
        for folder in store.demande_folders(parent):
            d = store._read(folder / "demande.json")
            for p in d.pieces.fichiers:
                path = folder / "pieces" / p.fichier
                if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != p.sha256:
                    missing.append(f"{folder.name}/pieces/{p.fichier}")
    return missing


def check(op: str, root: Path, ctx: dict, campaign: Campaign) -> None:
    store = DraftStore(root)
    report = store.recover()
    scan = store.scan()
    ok, found = _states(op, store, ctx) if not scan.problems else (False, f"problèmes : {scan.problems}")
    lost = lost_pieces(store)
    left = residue(store)
    again = DraftStore(root).recover()
    if again.changed:
        left.append(f"seconde reprise non vide : {again.resume}")
    if lost:
        campaign.lost += 1
        campaign.failures.append(f"{op}: pièces perdues {lost[:3]}")
    if not ok:
        campaign.split += 1
        campaign.failures.append(f"{op}: état ni ancien ni nouveau ({found}) ; reprise : {report.resume}")
    if left:
        campaign.residue += 1
        campaign.failures.append(f"{op}: résidu {left[:3]}")


# -- the campaign ------------------------------------------------------------


def _fork_run(op: str, root: Path, ctx: dict) -> int:
    pid = os.fork()
    if pid == 0:  # child: run the operation, never return into the test runner
        code = 0
        try:
            _run(op, root, ctx)
        except BaseException:  # noqa: BLE001
            import traceback

            traceback.print_exc()
            code = 3
        os._exit(code)
    return pid


def measure(op: str, template: Path, work: Path, ctx: dict) -> float:
    """How long the operation takes here (median of 3 uninterrupted runs)."""
    times = []
    for _ in range(3):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(template, work, symlinks=True)
        start = time.perf_counter()
        pid = _fork_run(op, work, ctx)
        _, status = os.waitpid(pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            raise AssertionError(f"{op} fails without any kill (exit {os.waitstatus_to_exitcode(status)})")
    return sorted(times)[1]


def run_campaign(
    op: str,
    kills: int,
    template: Path,
    work: Path,
    ctx: dict,
    *,
    seed: int = 0,
    progress: Callable[[Campaign], None] | None = None,
) -> Campaign:
    rng = random.Random(f"{seed}-{op}")
    span = measure(op, template, work, ctx) * 0.9  # the child's exit is part of the measure
    campaign = Campaign(op)
    while campaign.kills < kills:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(template, work, symlinks=True)
        pid = _fork_run(op, work, ctx)
        time.sleep(rng.uniform(0, span))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            campaign.kills += 1
        else:
            campaign.finished += 1
            if os.waitstatus_to_exitcode(status) != 0:
                campaign.failures.append(f"{op}: l'opération a échoué sans être tuée")
        check(op, work, ctx, campaign)
        if progress:
            progress(campaign)
    return campaign


# -- in a process of its own ---------------------------------------------------


def main(argv: list[str]) -> None:
    """`python tests/crash_harness.py OP KILLS TEMPLATE WORK CTX_JSON`: one campaign, printed as
    JSON. Each kill forks a child; forked from a fresh interpreter, not from pytest's process
    (hundreds of MB once the pilot tests have run), a fork costs less than the operation."""
    op, kills, template, work, ctx_json = argv
    ctx = json.loads(ctx_json)
    ctx["scan"], ctx["import"] = Path(ctx["scan"]), Path(ctx["import"])
    # Once here first, on a copy: what the operation imports is imported before any fork, so
    # each child starts the operation at once, as when forked from the test runner.
    shutil.copytree(template, Path(work), symlinks=True)
    _run(op, Path(work), ctx)
    campaign = run_campaign(op, int(kills), Path(template), Path(work), ctx)
    print(json.dumps(asdict(campaign)))


if __name__ == "__main__":
    main(sys.argv[1:])
