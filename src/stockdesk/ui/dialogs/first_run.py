"""The first start without a saved database: demo data, an empty database on this computer, or a
shared PostgreSQL server (the same form as Settings > Database).

The dialog only says what was chosen (`chosen`); whoever opens the database reports back through
show_busy / show_failure / accept, so a choice that cannot be opened keeps the dialog up with the
reason, ready for another choice.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import StockDeskError
from ...services.connection import DatabaseChoice, DatabaseKind
from ..messages import user_message
from ..tasks import TaskRunner
from ..theme import SPACING, icon
from ..widgets import MessageBar
from .database_form import BusyNote, DatabaseForm

STARTS = (
    (
        DatabaseKind.DEMO,
        "Start with &demo data",
        "A sample business with three sites, about 200 items and four weeks of history, to explore. "
        "It is kept in its own file; your own data stays apart.",
        "flask",
    ),
    (
        DatabaseKind.EMBEDDED,
        "Start &empty",
        "A new database on this computer for your own shop. Nothing to install.",
        "laptop",
    ),
    (
        None,
        "Connect to a &PostgreSQL server",
        "Share the stock between several desktops. You need the server's name, a database and a user.",
        "server-network",
    ),
)


class FirstRunDialog(QDialog):
    chosen = Signal(object, str)
    """(DatabaseChoice, password): open this database."""

    def __init__(self, runner: TaskRunner, *, keyring_available: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        self.setWindowTitle("Welcome to StockDesk")
        self.setMinimumWidth(620)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._choices_page())
        self.form = DatabaseForm(runner, keyring_available=keyring_available, with_kinds=False, parent=self)
        self.pages.addWidget(self._server_page())

        self.busy = BusyNote(self)
        self.quit_button = QPushButton("&Quit", self)
        self.quit_button.clicked.connect(self.reject)
        self.back_button = QPushButton(icon("arrow-left"), "&Back", self)
        self.back_button.clicked.connect(self.show_choices_page)
        self.connect_button = QPushButton(icon("check"), "&Connect", self)
        self.connect_button.setObjectName("connect")
        self.connect_button.clicked.connect(self._connect)
        bottom = QHBoxLayout()
        bottom.addWidget(self.quit_button)
        bottom.addStretch(1)
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.connect_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 3, SPACING * 3, SPACING * 3, SPACING * 2)
        layout.addWidget(self.pages)
        layout.addWidget(self.busy)
        layout.addLayout(bottom)
        self.show_choices_page()

    def _choices_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_heading("Welcome to StockDesk", page))
        intro = QLabel("Where should StockDesk keep your stock? You can change this later in File > Settings.", page)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addSpacing(SPACING)
        self.start_buttons: dict[str, QCommandLinkButton] = {}
        for kind, title, description, icon_name in STARTS:
            button = QCommandLinkButton(title, description, page)
            button.setIcon(icon(icon_name))
            button.setObjectName(f"start_{kind.value if kind else 'server'}")
            if kind is None:
                button.clicked.connect(self.show_server_page)
            else:
                button.clicked.connect(lambda _=False, kind=kind: self.chosen.emit(DatabaseChoice(kind), ""))
            self.start_buttons[button.objectName()] = button
            layout.addWidget(button)
        self.message = MessageBar(page)
        layout.addWidget(self.message)
        layout.addStretch(1)
        return page

    def _server_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_heading("Connect to a PostgreSQL server", page))
        layout.addWidget(self.form, 1)
        return page

    def show_choices_page(self) -> None:
        self.pages.setCurrentIndex(0)
        self._show_page_buttons(on_server_page=False)
        self.start_buttons["start_demo"].setFocus()

    def show_server_page(self) -> None:
        self.pages.setCurrentIndex(1)
        self._show_page_buttons(on_server_page=True)
        self.form.host.setFocus()

    def _show_page_buttons(self, *, on_server_page: bool) -> None:
        self.back_button.setVisible(on_server_page)
        self.connect_button.setVisible(on_server_page)
        self.connect_button.setDefault(on_server_page)

    def _connect(self) -> None:
        try:
            choice, password = self.form.accepted_choice()
        except StockDeskError as error:
            self.form.message.show_error(user_message(error))
            return
        self.chosen.emit(choice, password)

    # -- what the opener reports -------------------------------------------------------------

    def show_busy(self, text: str) -> None:
        self.pages.setEnabled(False)
        self.busy.start(text)

    def show_failure(self, text: str) -> None:
        self.pages.setEnabled(True)
        self.busy.hide()
        on_server_page = self.pages.currentIndex() == 1
        (self.form.message if on_server_page else self.message).show_error(text)


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    return label
