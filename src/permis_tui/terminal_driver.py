"""Textual's terminal driver, made safe for a terminal that goes away (SSH dropped, window closed).

Textual (8.2.8) writes to the terminal from a thread fed by a queue of 30 writes. When
the terminal hangs up, the next write fails with EIO and that thread dies with the
exception, but the queue stays: once 30 more writes are queued (a screen repaint is
enough), `queue.put` blocks the event loop for ever. The app's own exit then hangs in
`WriterThread.stop()` and, since asyncio runs signal handlers on that blocked loop,
SIGTERM is ignored too. Its input thread fails the same way (EIO on read) and turns
the hang-up into a crash report on the dead terminal instead of a save-and-exit; and
when the terminal is not the process's controlling terminal (no SIGHUP), reads just
return nothing and Textual takes it for piped input: the app runs on, unseen, for ever.

`TerminalDriver` keeps the output thread alive: a failed write marks the terminal gone
and from then on queued text is dropped, so every writer (repaint, shutdown) returns.
A hang-up seen on the terminal (POLLHUP, or EIO on a read) is reported to the app,
which saves and exits as it does on SIGHUP. Stopping the thread is bounded, for
a terminal that stays connected but never reads (a stalled SSH link).
"""

from __future__ import annotations

import asyncio
import queue
import select
import threading
from typing import IO

from textual.drivers._writer_thread import WriterThread
from textual.drivers.linux_driver import LinuxDriver

# How long shutdown waits for the last writes (restoring the terminal) to reach it.
STOP_GRACE_SECONDS = 2.0


class _TerminalWriter(WriterThread):
    def __init__(self, file: IO[str]) -> None:
        super().__init__(file)
        self.gone = threading.Event()

    def write(self, text: str) -> None:
        if not self.gone.is_set():
            self._queue.put(text)

    def run(self) -> None:
        get = self._queue.get
        qsize = self._queue.qsize
        while True:
            text = get()
            if text is None:
                break
            if self.gone.is_set():
                continue  # keep draining: nobody who queues text may block
            try:
                self._file.write(text)
                if qsize() == 0:
                    self._file.flush()
            except (OSError, ValueError):  # EIO/EPIPE after a hang-up; ValueError: file closed
                self.gone.set()
        if not self.gone.is_set():
            try:
                self._file.flush()
            except (OSError, ValueError):
                self.gone.set()

    def stop(self) -> None:
        try:
            self._queue.put(None, timeout=STOP_GRACE_SECONDS)
        except queue.Full:
            self.gone.set()  # the terminal never read what we sent: give up on it
        self.join(STOP_GRACE_SECONDS)


class TerminalDriver(LinuxDriver):
    """LinuxDriver whose terminal may hang up at any moment, startup and shutdown included."""

    def __init__(self, *args, **kwargs) -> None:
        self._hung_up = threading.Event()
        self._closed = threading.Event()
        super().__init__(*args, **kwargs)

    def start_application_mode(self) -> None:
        self._loop = asyncio.get_running_loop()
        super().start_application_mode()
        if self.input_tty:  # checked at start: a terminal already hung up is no longer a tty
            threading.Thread(target=self._watch_hang_up, name="permis-tui-hang-up", daemon=True).start()

    def _watch_hang_up(self) -> None:
        poller = select.poll()
        poller.register(self.fileno, 0)  # POLLHUP and POLLERR are always reported
        while not self._closed.is_set():
            if poller.poll(500):
                self._terminal_gone()
                return

    @property
    def _writer_thread(self) -> WriterThread | None:
        return self.__writer

    @_writer_thread.setter
    def _writer_thread(self, writer: WriterThread | None) -> None:
        # LinuxDriver builds its WriterThread inline in start_application_mode; swap in ours.
        if writer is not None and not isinstance(writer, _TerminalWriter):
            writer = _TerminalWriter(writer._file)
        self.__writer = writer

    def close(self) -> None:
        self._closed.set()
        super().close()

    def hang_up(self) -> None:
        """The terminal is gone (SIGHUP, POLLHUP or EIO): drop any further output."""
        self._hung_up.set()
        writer = self.__writer
        if isinstance(writer, _TerminalWriter):
            writer.gone.set()

    def _terminal_gone(self) -> None:
        """Seen from a driver thread: tell the app, which saves and leaves as on SIGHUP."""
        if self._hung_up.is_set():
            return
        self.hang_up()
        self._call_app(getattr(self._app, "terminal_hung_up", self._app.exit))

    def _run_input_thread(self) -> None:
        try:
            self.run_input_thread()
        except OSError:
            # EIO: the terminal hung up. Not a crash: the same as SIGHUP, save and leave.
            self._terminal_gone()
        except Exception as error:  # noqa: BLE001 - reported by the app, like any other failure
            self._call_app(self._app._handle_exception, error)

    def _call_app(self, callback, *args) -> None:
        try:
            self._loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop has already closed: the app is on its way out
            pass
