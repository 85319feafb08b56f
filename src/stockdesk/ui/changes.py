"""One signal for 'the stock changed': after every write this desktop commits, and on PostgreSQL
after every write another desktop commits (LISTEN/NOTIFY on a thread of its own)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from ..domain.postings import ChangeSet
from ..services.context import Context


class ChangeBus(QObject):
    changed = Signal(object)
    """A ChangeSet; emitted on the GUI thread whichever thread committed."""

    def __init__(self, ctx: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        # Emitting from a worker thread queues the signal to this object's (the GUI) thread.
        ctx.database.subscribe(self.changed.emit)
        if not ctx.database.is_sqlite:
            self._listener = threading.Thread(
                target=ctx.database.listen_to_others,
                args=(self.changed.emit, self._stop),
                name="stockdesk-listen",
                daemon=True,
            )
            self._listener.start()

    def announce(self, changes: ChangeSet) -> None:
        self.changed.emit(changes)

    def stop(self) -> None:
        self._stop.set()
        if self._listener is not None:
            self._listener.join(timeout=2)
