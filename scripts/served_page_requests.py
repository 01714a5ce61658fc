#!/usr/bin/env python3
"""Open the page of `permis-tui serve` in headless Chromium and list every request it makes.

Run by hand (not part of the tests, which must not need a browser):

    .venv/bin/permis-tui serve --port 8000 &
    .venv/bin/python scripts/served_page_requests.py http://127.0.0.1:8000/ --screenshot page.png

Uses the DevTools protocol of the page's own tab, so the browser's background traffic
(updates, accounts) is not mixed in. Prints one line per request (HTTP and websocket) and
exits 1 if any goes to another host than the page's. Needs `chromium` on the PATH (Debian
package `chromium`) and aiohttp (installed with textual-serve).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request
from urllib.parse import urlsplit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_target(port: int, timeout: float = 15) -> str:
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                pages = [t for t in json.load(r) if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("Chromium did not open its DevTools port")
        time.sleep(0.2)


async def record(ws_url: str, url: str, wait: float, screenshot: str | None) -> list[tuple[str, str]]:
    import aiohttp

    requests: list[tuple[str, str]] = []
    ids = iter(range(1, 1_000_000))

    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url, max_msg_size=0) as ws:
        pending: dict[int, asyncio.Future] = {}

        async def call(method: str, **params):
            n = next(ids)
            pending[n] = asyncio.get_running_loop().create_future()
            await ws.send_json({"id": n, "method": method, "params": params})
            return await pending[n]

        async def reader() -> None:
            async for message in ws:
                data = json.loads(message.data)
                if "id" in data and data["id"] in pending:
                    pending.pop(data["id"]).set_result(data.get("result", {}))
                elif data.get("method") == "Network.requestWillBeSent":
                    p = data["params"]
                    requests.append((p["request"]["method"] + " " + p.get("type", ""), p["request"]["url"]))
                elif data.get("method") == "Network.webSocketCreated":
                    requests.append(("WEBSOCKET", data["params"]["url"]))

        task = asyncio.create_task(reader())
        await call("Network.enable")
        await call("Page.enable")
        await call("Page.navigate", url=url)
        await asyncio.sleep(wait)  # the demo starts, its home screen is drawn over the websocket
        if screenshot:
            shot = await call("Page.captureScreenshot", format="png")
            with open(screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        task.cancel()
    return requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--wait", type=float, default=8.0, help="seconds to let the page run (default 8)")
    parser.add_argument("--screenshot", metavar="PNG")
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is not installed")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="served-page-") as profile:
        proc = subprocess.Popen(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                f"--user-data-dir={profile}",
                f"--remote-debugging-port={port}",
                "--window-size=1280,800",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            requests = asyncio.run(record(page_target(port), args.url, args.wait, args.screenshot))
        finally:
            proc.terminate()
            proc.wait(10)
    host = urlsplit(args.url).netloc
    outside = [(kind, u) for kind, u in requests if urlsplit(u).netloc != host and not u.startswith("data:")]
    for kind, u in requests:
        print(f"{kind:22} {u}")
    print(f"{len(requests)} requests, {len(outside)} to another host than {host}")
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main())
