"""All database work runs here, off the GUI thread, and its result comes back on the GUI thread.

One worker thread (as Anki's task manager does for its collection): tasks run in the order they were
asked for, so a refresh asked after a write always sees that write, and a screen never has to guard
against an older answer arriving after a newer one. Tests pass `synchronous=True` to run each task
inline, except the tests that prove the GUI thread never touches the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker are queued to it."""

    finished = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay, deliver: Callable[[bool, Any], Callable[[], None]]):
        super().__init__()
        self.work, self.relay, self.deliver = work, relay, deliver

    def run(self) -> None:
        try:
            outcome = self.deliver(True, self.work())
        except Exception as error:  # every failure goes back to the screen that asked
            outcome = self.deliver(False, error)
        self.relay.finished.emit(outcome)


class TaskRunner(QObject):
    busy_changed = Signal(bool)
    failed = Signal(object)
    """A task without its own error handler failed: the window shows the message."""

    def __init__(self, *, synchronous: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._pending = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finish)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Run `work()` on the worker; then `on_done(result)` or `on_error(exception)` on the GUI thread."""

        def deliver(ok: bool, value: Any) -> Callable[[], None]:
            if ok:
                return lambda: on_done(value) if on_done else None
            log.debug("task failed", exc_info=value)
            return lambda: (on_error or self.failed.emit)(value)

        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        job = _Job(work, self._relay, deliver)
        if self.synchronous:
            job.run()
        else:
            self._pool.start(job)

    @Slot(object)
    def _finish(self, outcome: Callable[[], None]) -> None:
        try:
            outcome()
        finally:
            self._pending -= 1
            if self._pending == 0:
                self.busy_changed.emit(False)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (shutting down); queued results are still delivered after."""
        return self._pool.waitForDone(msecs)
