"""The scan field: barcode scanners type the code and press Enter, so every screen has one line edit
that takes focus, hands each code to its screen, and answers a code it cannot use plainly and audibly."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from .theme import Status, icon


class ScanField(QLineEdit):
    scanned = Signal(str)

    def __init__(self, placeholder: str = "Scan or type a code, then Enter", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanField")
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.addAction(icon("barcode-scan"), QLineEdit.ActionPosition.LeadingPosition)
        self.setMinimumWidth(320)
        self.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        code = self.text().strip()
        self.clear()
        self.setStyleSheet("")
        if code:
            self.scanned.emit(code)

    def reject(self, message: str) -> None:
        """An unknown or unusable code: a red field, the reason as its tooltip, and the system beep."""
        self.setStyleSheet(f"QLineEdit {{ border: 2px solid {Status.SHORTFALL.color().name()}; }}")
        self.setToolTip(message)
        QApplication.beep()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
