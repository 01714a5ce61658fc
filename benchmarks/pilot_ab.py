"""Shared by the pilot benchmarks (bench_body_focus.py, bench_tab.py, bench_typing.py): the
app runs in private folders, and an action is timed alternately with each version of one
class attribute, in the event loop thread's CPU time (other threads' work is not counted)."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # demande_factory, headless_frames


def run_private(measure: Callable[[Path], Awaitable[None]]) -> None:
    """`measure(data folder)`, with the user's folders pointed at a temporary one."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "xdg-data")
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "xdg-config")
        asyncio.run(measure(Path(tmp) / "data"))


async def alternate(
    owner: type,
    attribute: str,
    versions: dict[str, Any],
    rounds: int,
    action: Callable[[], Awaitable[None]],
    per: int = 1,
) -> list[float]:
    """The median milliseconds of `action` divided by `per`, for each version of
    `owner.attribute` in turn, `rounds` times; the first version is put back."""
    times: dict[str, list[float]] = {name: [] for name in versions}
    try:
        for _ in range(rounds):
            for name, value in versions.items():
                setattr(owner, attribute, value)
                start = time.thread_time()
                await action()
                times[name].append((time.thread_time() - start) * 1000 / per)
    finally:
        setattr(owner, attribute, next(iter(versions.values())))
    return [statistics.median(times[name]) for name in versions]
