"""Settings, one page per subject (today: Database). Saving a database reopens the window on it:
the current window stays until the new database is open and someone has signed in, so a choice
that cannot be opened changes nothing and says why here."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import StockDeskError
from ...services.connection import DatabaseChoice
from ..messages import user_message
from ..tasks import TaskRunner
from ..theme import SPACING, icon
from .database_form import BusyNote, DatabaseForm

DATABASE_NOTE = (
    "Saving reopens StockDesk on the chosen database. The window you have stays open until the new "
    "database is ready, so nothing is lost if it cannot be opened."
)


class SettingsDialog(QDialog):
    database_chosen = Signal(object, str)
    """(DatabaseChoice, password): open this database, then save the choice."""

    def __init__(
        self,
        runner: TaskRunner,
        *,
        current: DatabaseChoice | None,
        password: str = "",
        keyring_available: bool,
        problem: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings")
        self.setWindowTitle("StockDesk settings")
        self.resize(760, 520)
        self.page_list = QListWidget(self)
        self.page_list.setIconSize(QSize(22, 22))
        self.page_list.setFixedWidth(170)
        self.pages = QStackedWidget(self)
        self.form = DatabaseForm(runner, keyring_available=keyring_available, parent=self)
        self._add_page("Database", "database", self._database_page())
        self.page_list.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.page_list.setCurrentRow(0)
        if current is not None:
            self.form.set_choice(current, password)
        if problem:
            self.form.message.show_error(problem)

        self.busy = BusyNote(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.setSpacing(SPACING * 2)
        body.addWidget(self.page_list)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.addLayout(body, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

    def _add_page(self, title: str, icon_name: str, page: QWidget) -> None:
        self.page_list.addItem(QListWidgetItem(icon(icon_name), title))
        self.pages.addWidget(page)

    def _database_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        note = QLabel(DATABASE_NOTE, page)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addSpacing(SPACING)
        layout.addWidget(self.form, 1)
        return page

    def save(self) -> None:
        """Refuses a server that was not tested with these very values; otherwise asks to open it."""
        try:
            choice, password = self.form.accepted_choice()
        except StockDeskError as error:
            self.form.message.show_error(user_message(error))
            return
        self.database_chosen.emit(choice, password)

    # -- what the opener reports -------------------------------------------------------------

    def show_busy(self, text: str) -> None:
        self.pages.setEnabled(False)
        self.save_button.setEnabled(False)
        self.busy.start(text)

    def show_failure(self, text: str) -> None:
        self.pages.setEnabled(True)
        self.save_button.setEnabled(True)
        self.busy.hide()
        self.form.message.show_error(text)
