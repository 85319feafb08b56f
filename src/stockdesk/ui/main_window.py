"""The main window: a placeholder until the screens arrive, showing which database is open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

PLACEHOLDER_TEXT = "Stock ledger ready — screens arrive with the desktop client"


class MainWindow(QMainWindow):
    def __init__(self, database_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("StockDesk")
        self.resize(960, 600)

        self.placeholder = QLabel(PLACEHOLDER_TEXT, self)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(self.placeholder)

        self.database_label = QLabel(database_label, self)
        self.database_label.setObjectName("databaseLabel")
        self.statusBar().addPermanentWidget(self.database_label)
