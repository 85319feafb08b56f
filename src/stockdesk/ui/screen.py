"""The base of every screen: a scan field, a message bar, database work through the task runner,
and a hook for what other writes changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..domain.postings import ChangeSet
from .messages import user_message
from .scan import ScanField
from .session import Session
from .theme import SPACING
from .widgets import MessageBar


class Screen(QWidget):
    title: ClassVar[str]
    icon_name: ClassVar[str]
    """An mdi6 icon name for the navigation list."""
    scan_hint: ClassVar[str] = "Scan or type a code, then Enter"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName(type(self).__name__)
        self.scan = ScanField(self.scan_hint, self)
        self.scan.scanned.connect(self.on_scan)
        self.message = MessageBar(self)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        self.layout_.setSpacing(SPACING)
        session.bus.changed.connect(self.on_changes)

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Database work off the GUI thread; a refusal appears in this screen's message bar."""
        self.session.runner.run(work, on_done, on_error or self.show_error)

    def show_error(self, error: Exception) -> None:
        self.message.show_error(user_message(error))

    def reject_scan(self, error: Exception) -> None:
        """A code this screen cannot use: the message, a red scan field and a beep."""
        text = user_message(error)
        self.message.show_error(text)
        self.scan.reject(text)

    def activate(self) -> None:
        """Shown: put the cursor in the scan field, ready for the scanner."""
        self.scan.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def on_scan(self, code: str) -> None:
        """A code from the scanner or the keyboard."""

    def on_changes(self, changes: ChangeSet) -> None:
        """Refresh what the committed changes (here or on another desktop) touched."""
