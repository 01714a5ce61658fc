"""`permis-tui serve`: the demo mode served to a browser by textual-serve (page only, on 127.0.0.1)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from permis_tui.cli import main

# textual-serve is the `serve` extra, also in the `test` extra: the suite needs it, so a
# missing package fails these tests instead of skipping them.


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                assert response.status == 200
                return response.read().decode("utf-8")
        except (TimeoutError, urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_serves_the_demo_page(tmp_path):
    port = free_port()
    env = dict(os.environ, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "permis_tui", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
    )
    try:
        html = fetch(f"http://127.0.0.1:{port}/")
        assert "<html" in html.lower()
        assert "permis-tui" in html and "démonstration" in html  # the page title
        assert f"ws://127.0.0.1:{port}/ws" in html  # the terminal's websocket
        assert "textual" in fetch(f"http://127.0.0.1:{port}/static/js/textual.js").lower()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate(timeout=5)
    assert proc.returncode == 0, out.decode(errors="replace")[-2000:]


def fetch_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        return response.read()


def test_served_page_names_no_outside_host(tmp_path):
    """Every asset of the page comes from the server itself: no visitor's address goes elsewhere."""
    import re
    from urllib.parse import urljoin, urlsplit

    port = free_port()
    server = f"127.0.0.1:{port}"
    env = dict(os.environ, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "permis_tui", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    try:
        page_url = f"http://{server}/"
        html = fetch(page_url)
        # Any absolute address written in the page, in an attribute, a style or a script.
        hosts = {urlsplit(u).netloc for u in re.findall(r"(?:https?|wss?)://[^\s\"'<>)]+", html)}
        assert hosts == {server}, hosts
        # What the browser loads: links, scripts, styles' url(...), and from the stylesheets too.
        refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
        refs += re.findall(r"""url\(\s*["']?([^"')]+)""", html)
        for css in [r for r in refs if r.endswith(".css")]:
            text = fetch_bytes(urljoin(page_url, css)).decode("utf-8", "replace")
            text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # licence headers name sites; comments load nothing
            refs += [
                urljoin(urljoin(page_url, css), u)
                for u in re.findall(r"""(?:url\(\s*["']?|@import\s+["'])([^"')]+)""", text)
            ]
        loaded = [urljoin(page_url, r) for r in refs if not r.startswith("data:")]
        assert loaded and all(urlsplit(u).netloc == server for u in loaded), loaded
        fonts = [u for u in loaded if u.endswith(".ttf")]
        assert fonts, "the terminal's font must come from the server"
        for font in fonts:
            assert fetch_bytes(font)[:4] == b"\x00\x01\x00\x00"  # a TrueType font, served here
        for asset in loaded:
            fetch_bytes(asset)  # all there: nothing falls back to somewhere else
        assert 'lang="fr"' in html and "Session terminée" in html
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _demo_processes(root, server: int | None = None) -> set[int]:
    """Live processes started with `root` as demo root, the server itself excepted."""
    marker = f"PERMIS_TUI_DEMO_ROOT={root}".encode()
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == server:
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as env, open(f"/proc/{entry}/stat", "rb") as stat:
                if marker in env.read().split(b"\0") and b") Z " not in stat.read():
                    found.add(int(entry))
        except OSError:
            continue
    return found


def test_browser_session_runs_a_demo_and_leaves_nothing(tmp_path):
    """A websocket client plays the browser: home screen shown, tab closed, nothing left."""
    import asyncio
    import re

    aiohttp = pytest.importorskip("aiohttp")
    root = tmp_path / "demo-root"
    root.mkdir()
    port = free_port()
    env = dict(os.environ, PERMIS_TUI_DEMO_ROOT=str(root))
    proc = subprocess.Popen(
        [sys.executable, "-m", "permis_tui", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    ansi = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")

    async def browse() -> tuple[str, int]:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24") as ws,
        ):
            shown = ""
            async with asyncio.timeout(30):
                while "Mes demandes en cours" not in ansi.sub("", shown):
                    message = await ws.receive()
                    if message.type == aiohttp.WSMsgType.BINARY:
                        shown += message.data.decode("utf-8", "replace")
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        shown += message.data
                    else:
                        break
            folders = len(list(root.glob("permis-tui-demo-*")))
        return ansi.sub("", shown), folders

    try:
        fetch(f"http://127.0.0.1:{port}/")
        shown, folders = asyncio.run(browse())
        assert "Mes demandes en cours" in shown and folders == 1
        deadline = time.monotonic() + 15
        while (_demo_processes(root, proc.pid) or list(root.iterdir())) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _demo_processes(root, proc.pid), "the tab's demo process is still running"
        assert not list(root.iterdir()), "the tab's demo folder is still there"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        for pid in _demo_processes(root, proc.pid):
            os.kill(pid, signal.SIGKILL)


def test_serve_refuses_data_dir(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "permis_tui", "--data-dir", str(tmp_path), "serve"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--data-dir" in result.stderr


def test_served_command_is_the_demo():
    from permis_tui.commands.serve import served_command

    assert served_command().endswith(" -m permis_tui --demo")
    assert sys.executable in served_command()


def test_serve_without_textual_serve_says_how_to_install_it(monkeypatch, capsys):
    """The `serve` extra not installed: a French message naming the install command, exit 1."""
    # None in sys.modules makes `import textual_serve…` raise ModuleNotFoundError, as when absent.
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    code = main(["serve", "--port", str(free_port())])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "textual-serve" in err and "n'est pas installé" in err
    assert "pip install 'permis-tui[serve]'" in err
    assert "Traceback" not in err


def test_the_app_and_other_commands_never_import_textual_serve():
    """`serve` is an optional extra only if nothing else needs it: the app module, the CLI
    and its other commands load with textual-serve unimportable."""
    code = (
        "import sys; sys.modules['textual_serve'] = None\n"
        "import permis_tui.app, permis_tui.demo\n"
        "from permis_tui.cli import main\n"
        "sys.exit(main(['checklist']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
