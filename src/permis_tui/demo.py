"""Demo mode: a private, throwaway data folder and a fictional example request (no Textual).

`DemoSession` creates a fresh 0700 folder, points every user folder of the process
(PERMIS_TUI_DATA_DIR, XDG data/config/cache) inside it, so the real user's drafts are
never read nor written, and removes it on every kind of exit: normal return, exception,
SIGHUP (the SSH connection dropping) and SIGTERM. While the app runs, its own asyncio
handlers take those signals (save, then exit) and the `with` block's exit removes the
folder; before and after, ours raise SystemExit so the same exit runs. `atexit` is a
backstop for paths that skip `__exit__`.

Nothing runs after SIGKILL or a crash of the machine, so each session, as it starts,
also removes the folders of the same user whose owning process is gone
(`remove_stale_folders`). The owner is written into the folder's name when it is
created: pid, start time and boot, so a pid reused by another process is not taken
for the owner, and no folder ever exists without its owner recorded.

`exemple_demande` fills a fictional applicant with real communes and generated
sample documents (PDFs with fpdf2, a JPEG with Pillow), made at run time.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from permis_tui.model.demande import Demande
    from permis_tui.model.piece_kind import PieceKind
    from permis_tui.store import DraftStore

DEMO_PREFIX = "permis-tui-demo-"
# Parent folder of the demo folders (default: the system's temporary folder). Lets a
# test or an administrator put them somewhere known and check that nothing is left.
DEMO_ROOT_ENV = "PERMIS_TUI_DEMO_ROOT"
BANNER = "DÉMONSTRATION — aucune donnée n'est conservée"
# A valid-format e-photo code that belongs to nobody; the UI must say it is fictional.
EPHOTO_FICTIF = "DEMO0000FICTIF00000000"
EPHOTO_MENTION = "(fictif)"

_ENV_KEYS = ("PERMIS_TUI_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
_SIGNALS = (signal.SIGHUP, signal.SIGTERM)

_Handler = Callable[[int, FrameType | None], Any] | int | None


# permis-tui-demo-<pid>.<start>.<boot>-<random>: start is the process's start time in
# clock ticks since boot (/proc/<pid>/stat, field 22), boot the first 8 hex digits of the
# kernel's boot id; "x" where the system does not tell (no /proc).
_OWNED_NAME = re.compile(re.escape(DEMO_PREFIX) + r"(\d+)\.(\d+|x)\.([0-9a-f]{8}|x)-")


_HAS_PROC = os.path.isfile("/proc/self/stat")  # Linux; elsewhere only "is the pid alive"


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            return f.read().strip().replace("-", "")[:8] or "x"
    except OSError:
        return "x"


def _start_time(pid: int) -> str | None:
    """`pid`'s start time (ticks since boot), "x" if the system does not tell, None if the
    process is gone (a zombie is gone: it will never clean up again)."""
    if not _HAS_PROC:
        return _start_time_without_proc(pid)
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    except OSError:
        return _start_time_without_proc(pid)
    # Field 2 (the command name) may hold spaces and parentheses: split after the last ")".
    after = data[data.rindex(b")") + 2 :].split()  # after[0] is field 3 (state)
    if after[0] == b"Z":
        return None
    return after[19].decode("ascii")  # field 22


def _start_time_without_proc(pid: int) -> str | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except OSError:  # exists, owned by someone else
        pass
    return "x"


def owner_tag(pid: int | None = None) -> str:
    """What a demo folder's name records of the process that owns it."""
    pid = os.getpid() if pid is None else pid
    return f"{pid}.{_start_time(pid) or 'x'}.{_boot_id()}"


def _owner_alive(pid: int, start: str, boot: str) -> bool:
    if boot != "x" and boot != _boot_id():
        return False  # recorded before the last reboot
    now = _start_time(pid)
    if now is None:
        return False
    # A different start time is another process that got the same pid. Where start times
    # are unknown ("x"), a live pid counts as the owner: keeping a stale folder is safer
    # than removing a live session's.
    return start == "x" or now == "x" or now == start


def remove_stale_folders(parent: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove the demo folders of this user in `parent` whose owning process is gone.

    Only folders named by `DemoSession` (owner recorded) are judged; another user's
    folders, and folders of older versions with no owner recorded, are left alone.
    Returns the folders removed.
    """
    root = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    uid = os.getuid()
    for entry in entries:
        match = _OWNED_NAME.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid:
            continue
        if _owner_alive(int(match[1]), match[2], match[3]):
            continue
        path = Path(entry.path)
        _remove_tree(path)
        if not os.path.lexists(path):
            removed.append(path)
    return removed


def ephoto_affiche(code: str) -> str:
    """The e-photo code as shown in the demo, marked fictional when it is ours."""
    from permis_tui.model.fields import group_by_4

    text = group_by_4(code)
    return f"{text} {EPHOTO_MENTION}" if code == EPHOTO_FICTIF else text


class DemoSession:
    """`with DemoSession() as demo:` run anything that must use `demo.data_dir` only."""

    def __init__(self, parent: str | os.PathLike[str] | None = None) -> None:
        self._parent = parent if parent is not None else (os.environ.get(DEMO_ROOT_ENV) or None)
        self.path: Path | None = None
        self._saved_env: dict[str, str | None] = {}
        self._saved_handlers: dict[int, _Handler] = {}
        self._active = False
        self._lock = threading.RLock()

    @property
    def data_dir(self) -> Path:
        if self.path is None:
            raise RuntimeError("DemoSession not entered")
        return self.path / "data"

    def __enter__(self) -> DemoSession:
        if self._parent is not None:
            Path(self._parent).mkdir(parents=True, exist_ok=True)
        # Folders left by sessions that could not clean up (SIGKILL, a crash).
        remove_stale_folders(self._parent)
        self.path = Path(tempfile.mkdtemp(prefix=f"{DEMO_PREFIX}{owner_tag()}-", dir=self._parent))
        os.chmod(self.path, 0o700)  # mkdtemp already does; explicit because it matters
        self._active = True
        atexit.register(self._cleanup)
        try:
            self._install_signal_handlers()
            inside = {
                "PERMIS_TUI_DATA_DIR": self.data_dir,
                "XDG_DATA_HOME": self.path / "xdg-data",
                "XDG_CONFIG_HOME": self.path / "xdg-config",
                "XDG_CACHE_HOME": self.path / "xdg-cache",
                "XDG_STATE_HOME": self.path / "xdg-state",
            }
            for key in _ENV_KEYS:
                self._saved_env[key] = os.environ.get(key)
                os.environ[key] = str(inside[key])
        except BaseException:
            self._cleanup()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._cleanup()

    # -- signals ---------------------------------------------------------
    def _install_signal_handlers(self) -> None:
        try:
            for sig in _SIGNALS:
                self._saved_handlers[sig] = signal.signal(sig, self._on_signal)
        except ValueError:  # not the main thread: rely on the caller's own handling
            self._saved_handlers.clear()

    @staticmethod
    def _on_signal(signum: int, frame: FrameType | None) -> None:
        # Unwind through `with` blocks (and so through __exit__) instead of dying on the spot.
        raise SystemExit(128 + signum)

    def _restore_signal_handlers(self) -> None:
        for sig, handler in self._saved_handlers.items():
            try:
                signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
            except (ValueError, TypeError):
                pass
        self._saved_handlers.clear()

    # -- cleanup ---------------------------------------------------------
    def _cleanup(self) -> None:
        with self._lock:  # __exit__, atexit and a signal may race
            self._cleanup_locked()

    def _cleanup_locked(self) -> None:
        if not self._active:
            return
        # A hang-up arriving now must not cut the removal short; it is delivered after,
        # with the handler the process had before the session.
        blocked = _block(_SIGNALS)
        try:
            self._active = False
            path = self.path
            if path is not None:
                _remove_tree(path)
            for key, value in self._saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            self._saved_env.clear()
            try:
                atexit.unregister(self._cleanup)
            except Exception:  # noqa: BLE001 - interpreter shutting down
                pass
            self._restore_signal_handlers()
        finally:
            _unblock(blocked)


def _block(sigs: tuple[int, ...]) -> set[int] | None:
    try:
        return set(signal.pthread_sigmask(signal.SIG_BLOCK, sigs))
    except (AttributeError, OSError, ValueError):
        return None


def _unblock(previous: set[int] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _remove_tree(path: Path) -> None:
    # A worker thread still finishing (a file check, a save) may recreate a file while
    # the tree is removed: try again a few times until the folder stays gone.
    for attempt in range(10):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return
        time.sleep(0.01 * (attempt + 1))


# -- the example request -------------------------------------------------


def _sample_pdf(title: str, lines: list[str]) -> bytes:
    from fpdf import FPDF

    from permis_tui.forms.fonts import FAMILY, add_open_sans

    pdf = FPDF()
    add_open_sans(pdf)
    pdf.set_creation_date(datetime(2000, 1, 1).astimezone())
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(text=title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 12)
    pdf.ln(4)
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(text="SPÉCIMEN — document fictif généré pour la démonstration")
    return bytes(pdf.output())


def _sample_jpeg(lines: list[str]) -> bytes:
    import io

    from PIL import Image, ImageDraw

    # 1200 px wide: above the "small image" warning of step 5.
    image = Image.new("RGB", (1200, 800), (236, 240, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 1179, 779), outline=(40, 60, 120), width=6)
    draw.rectangle((60, 140, 380, 560), fill=(200, 205, 215))
    for i, line in enumerate(lines):
        draw.text((440, 160 + 50 * i), line, fill=(20, 20, 20))
    draw.text((440, 660), "SPECIMEN - document fictif", fill=(180, 0, 0))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _attach(store: DraftStore, demande: Demande, kind: PieceKind, src: Path) -> None:
    try:
        from permis_tui import attachments
    except ImportError:
        attachments = None  # type: ignore[assignment]
    if attachments is not None:
        # Checked in a child process, like the app's own checks: the session stays small.
        outcome = attachments.attach(store, demande.numero, src, kind, existing=demande.pieces.fichiers, isolated=True)
        if outcome.piece is None:
            raise RuntimeError(f"pièce d'exemple refusée : {outcome.message}")
        demande.pieces.fichiers.append(outcome.piece)
        return
    _attach_without_flow(store, demande, kind, src)


def _attach_without_flow(store: DraftStore, demande: Demande, kind: PieceKind, src: Path) -> None:
    from permis_tui import documents
    from permis_tui.model.pieces import PieceJointe

    verdict = documents.check_file(src, kind.max_pages, kind=kind)
    sha = documents.sha256_file(src)
    ext = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}.get(verdict.detected_type or "", "bin")
    name = f"{sha}.{ext}"
    store.store_attachment(demande.numero, src, name)
    demande.pieces.fichiers.append(
        PieceJointe.from_verdict(
            verdict,
            kind=kind,
            nom_original=src.name,
            sha256=sha,
            fichier=name,
            ajoute_le=datetime.now().astimezone().replace(microsecond=0),
        )
    )


_SAMPLE_NAMES = {
    "identite": "carte-identite-exemple.jpg",
    "domicile": "facture-electricite-exemple.pdf",
    "medical": "avis-medical-exemple.pdf",
}


def write_sample_documents(folder: Path, today: date) -> dict[str, Path]:
    """Generate the example's documents into `folder`: kind value → file."""
    from datetime import timedelta

    from permis_tui.atomic import atomic_write, ensure_private_dir

    ensure_private_dir(folder)
    facture = _facture_date(today)
    who = "Camille Hélène LŒWY-EXEMPLE, née le 23/09/1991 à Annecy-le-Vieux (74)"
    data = {
        "identite": _sample_jpeg(
            [
                "REPUBLIQUE FRANCAISE - CARTE D'IDENTITE (SPECIMEN)",
                "Nom : LOEWY-EXEMPLE",
                "Prenoms : Camille, Helene",
                "Nee le : 23.09.1991",
                "a : Annecy-le-Vieux (74)",
            ]
        ),
        "domicile": _sample_pdf(
            "Facture d'électricité (exemple)",
            [
                "Énergies Fictives du Lac — facture n° 0000-DEMO",
                "Titulaire : Camille Lœwy-Exemple",
                "3 rue de la Préfecture, 74000 Annecy",
                f"Date de facture : {facture:%d/%m/%Y}",
            ],
        ),
        "medical": _sample_pdf(
            "Avis médical (exemple)",
            [
                "Contrôle médical de l'aptitude à la conduite — avis favorable",
                who,
                f"Fait le {today - timedelta(days=40):%d/%m/%Y}",
                "Médecin agréé : Dr Fictif (aucun cabinet réel)",
            ],
        ),
    }
    paths = {}
    for kind, content in data.items():
        paths[kind] = folder / _SAMPLE_NAMES[kind]
        atomic_write(paths[kind], content)
    return paths


def _facture_date(today: date) -> date:
    from datetime import timedelta

    return today - timedelta(days=25)


def _samples_in_child(folder: Path, today: date, timeout: float = 60) -> dict[str, Path] | None:
    """Generate the documents in a short-lived process: fpdf2, fontTools and Pillow's drawing
    cost ~35 MiB that a demo session (many per server) should not keep. None if it failed."""
    import subprocess
    import sys

    try:
        subprocess.run(
            [sys.executable, "-m", "permis_tui.demo", "--samples", str(folder), today.isoformat()],
            check=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    paths = {kind: folder / name for kind, name in _SAMPLE_NAMES.items()}
    return paths if all(p.is_file() for p in paths.values()) else None


def exemple_demande(store: DraftStore, *, today: date | None = None, in_subprocess: bool = True) -> Demande:
    """A new, complete request for a fictional applicant, saved in `store` (steps 1–5 filled).

    The sample documents are generated under `store.root / "exemples"` (in a child process
    unless `in_subprocess` is false), then attached like files a person would pick.
    """
    from datetime import timedelta

    from permis_tui.model.adresse import AdresseContact
    from permis_tui.model.etat_civil import EtatCivil
    from permis_tui.model.motif import Mesure, Motif, MotifKind, Personne, RetourAuPermis, TypeInscription
    from permis_tui.model.photo import PhotoChoice, PhotoSignature
    from permis_tui.model.piece_kind import PieceKind
    from permis_tui.model.pieces import Pieces, TypeJustificatif, TypePieceIdentite
    from permis_tui.model.rules import add_months

    today = today or date.today()
    demande = store.create()
    demande.motif = Motif(
        motif=MotifKind.INSCRIPTION,
        personne=Personne.MAJEURE,
        type_inscription=TypeInscription.RETOUR,
        categorie_lourde=False,
        retour=RetourAuPermis(
            mesure=Mesure.INVALIDATION,
            invalidation_precedente_5_ans=False,
            date_mesure=add_months(today, -7) - timedelta(days=12),
            date_restitution=add_months(today, -7),
            duree_interdiction_mois=6,
            date_premier_permis=date(2011, 3, 14),
            categories_detenues=["B"],
        ),
    )
    # Born in Annecy-le-Vieux (INSEE 74011), a commune déléguée of Annecy since 2017.
    demande.etat_civil = EtatCivil(
        nom_naissance="Lœwy-Exemple",
        sexe="F",
        prenoms=["Camille", "Hélène"],
        date_naissance="23/09/1991",
        pays_naissance="FR",
        departement_naissance="74",
        commune_naissance_code="74011",
        commune_naissance="Annecy-le-Vieux",
    )
    demande.adresse = AdresseContact(
        numero_voie="3",
        type_voie="rue",
        nom_voie="de la Préfecture",
        code_postal="74000",
        commune_code="74010",
        commune="Annecy",
        prefecture="74010",
        email="camille.exemple@example.org",
        telephone="06 00 00 00 00",
        consentement=False,
    )
    demande.photo = PhotoSignature(
        choix=PhotoChoice.EPHOTO, code_ephoto=EPHOTO_FICTIF, date_photo=f"{today - timedelta(days=12):%d/%m/%Y}"
    )
    demande.pieces = Pieces(
        domicile_type=TypeJustificatif.FACTURE,
        domicile_date=f"{_facture_date(today):%d/%m/%Y}",
        domicile_au_nom=True,
        avis_medical_date=f"{today - timedelta(days=25):%d/%m/%Y}",
        identite_type=TypePieceIdentite.CNI,
        identite_expiration=f"{today + timedelta(days=4 * 365):%d/%m/%Y}",
    )

    folder = store.root / "exemples"
    paths = (_samples_in_child(folder, today) if in_subprocess else None) or write_sample_documents(folder, today)
    for kind in (PieceKind.IDENTITE, PieceKind.DOMICILE, PieceKind.MEDICAL):
        _attach(store, demande, kind, paths[kind.value])
    demande.etape = 6
    store.save(demande)
    return demande


if __name__ == "__main__":  # python -m permis_tui.demo --samples FOLDER YYYY-MM-DD (see _samples_in_child)
    import sys

    if len(sys.argv) == 4 and sys.argv[1] == "--samples":
        write_sample_documents(Path(sys.argv[2]), date.fromisoformat(sys.argv[3]))
        sys.exit(0)
    sys.exit("usage: python -m permis_tui.demo --samples DOSSIER AAAA-MM-JJ")
