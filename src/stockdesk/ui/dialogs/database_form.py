"""Which database to work on, as one form shared by the first-run dialog and Settings > Database.

A PostgreSQL server can only be chosen once a connection test with exactly these values passed:
changing any field afterwards asks for a new test. The test runs on the task runner, off the GUI
thread, and says what answered or, in plain words, why nothing did.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import InvalidInput
from ...services.connection import ConnectionReport, DatabaseChoice, DatabaseKind, checked, try_connection
from ..messages import user_message
from ..tasks import TaskRunner
from ..theme import SPACING, icon
from ..widgets import MessageBar

KINDS = {
    DatabaseKind.DEMO: ("&Demo data on this computer", "A sample business to explore, kept apart from your own."),
    DatabaseKind.EMBEDDED: ("A database on this &computer", "One PC, nothing to install; starts empty."),
    DatabaseKind.POSTGRESQL: ("A shared &PostgreSQL server", "Several desktops working on the same stock."),
}
KEYRING_NOTE = "The password is kept in the system keyring, never in a file."
NO_KEYRING_NOTE = (
    "No system keyring is available here, so the password is not stored: StockDesk will ask for it each time it starts."
)


class DatabaseForm(QWidget):
    def __init__(self, runner: TaskRunner, *, keyring_available: bool, with_kinds: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._passed: tuple[DatabaseChoice, str] | None = None
        """The values the last successful test used: only these may be saved."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)

        self.kinds = QButtonGroup(self)
        for kind, (title, hint) in KINDS.items():
            button = QRadioButton(title, self)
            button.setObjectName(f"kind_{kind.value}")
            self.kinds.addButton(button)
            button.setProperty("kind", kind.value)
            layout.addWidget(button)
            note = QLabel(hint, self)
            note.setIndent(24)
            note.setEnabled(False)
            layout.addWidget(note)
            button.setVisible(with_kinds)
            note.setVisible(with_kinds)
        self.kinds.buttonToggled.connect(lambda *_: self._kind_changed())

        self.server = QWidget(self)
        self._build_server_fields(keyring_available)
        layout.addWidget(self.server)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.set_choice(DatabaseChoice(DatabaseKind.POSTGRESQL if not with_kinds else DatabaseKind.EMBEDDED))

    def _build_server_fields(self, keyring_available: bool) -> None:
        form = QFormLayout(self.server)
        form.setContentsMargins(24, SPACING, 0, 0)
        self.host = QLineEdit(self.server)
        self.host.setPlaceholderText("dbserver or 192.168.1.20")
        self.port = QSpinBox(self.server)
        self.port.setRange(1, 65535)
        self.port.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.port.setFixedWidth(90)
        self.database = QLineEdit(self.server)
        self.user = QLineEdit(self.server)
        self.password = QLineEdit(self.server)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        note = QLabel(KEYRING_NOTE if keyring_available else NO_KEYRING_NOTE, self.server)
        note.setObjectName("keyringNote")
        note.setWordWrap(True)
        note.setEnabled(False)
        self.test_button = QPushButton(icon("lan-connect"), "&Test connection", self.server)
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test_connection)
        server_row = QHBoxLayout()
        server_row.addWidget(self.host, 1)
        server_row.addWidget(_label("P&ort", self.port))
        server_row.addWidget(self.port)
        form.addRow(_label("Ser&ver", self.host), server_row)
        form.addRow(_label("D&atabase", self.database), self.database)
        form.addRow(_label("&User", self.user), self.user)
        form.addRow(_label("Pass&word", self.password), self.password)
        form.addRow("", note)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow("", test_row)
        for field in (self.host, self.database, self.user, self.password):
            field.textEdited.connect(lambda _: self._forget_test())
        self.port.valueChanged.connect(lambda _: self._forget_test())
        tab_order = (self.host, self.port, self.database, self.user, self.password, self.test_button)
        for first, second in pairwise(tab_order):
            QWidget.setTabOrder(first, second)

    # -- values ------------------------------------------------------------------------------

    def set_choice(self, choice: DatabaseChoice, password: str = "") -> None:
        for button in self.kinds.buttons():
            button.setChecked(button.property("kind") == choice.kind.value)
        self.host.setText(choice.host)
        self.port.setValue(choice.port)
        self.database.setText(choice.name)
        self.user.setText(choice.user)
        self.password.setText(password)
        self._kind_changed()

    def choice(self) -> DatabaseChoice:
        checked_button = self.kinds.checkedButton()
        kind = DatabaseKind(checked_button.property("kind")) if checked_button else DatabaseKind.POSTGRESQL
        return DatabaseChoice(kind, self.host.text(), self.port.value(), self.database.text(), self.user.text())

    def accepted_choice(self) -> tuple[DatabaseChoice, str]:
        """The choice and password to save, or InvalidInput when a server was not tested with them."""
        choice = checked(self.choice())
        if choice.kind is not DatabaseKind.POSTGRESQL:
            return choice, ""
        if self._passed != (choice, self.password.text()):
            raise InvalidInput("Test the connection first: only a server that answered can be saved.")
        return self._passed

    # -- the test ----------------------------------------------------------------------------

    def test_connection(self) -> None:
        try:
            choice, password = checked(self.choice()), self.password.text()
        except InvalidInput as error:
            self._show_failure(error)
            return
        self.test_button.setEnabled(False)
        self.message.show_done(f"Connecting to {choice.host}:{choice.port}…")
        self.runner.run(
            lambda: try_connection(choice, password),
            lambda report: self._show_report(choice, password, report),
            self._show_failure,
        )

    def _show_report(self, choice: DatabaseChoice, password: str, report: ConnectionReport) -> None:
        self.test_button.setEnabled(True)
        refusal = report.schema.refusal()
        if refusal is not None:
            self._show_failure(refusal)
            return
        self.message.show_done(report.describe())
        self._passed = (choice, password)

    def _show_failure(self, error: Exception) -> None:
        self.test_button.setEnabled(True)
        self._passed = None
        self.message.show_error(user_message(error))

    def _forget_test(self) -> None:
        if self._passed is not None:
            self._passed = None
            self.message.clear_message()

    def _kind_changed(self) -> None:
        self.server.setEnabled(self.choice().kind is DatabaseKind.POSTGRESQL)
        self.message.clear_message()


class BusyNote(QWidget):
    """'Preparing the demo business…' over a moving bar, while a database is being opened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(self)
        bar = QProgressBar(self)
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setMaximumHeight(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(bar)
        self.hide()

    def start(self, text: str) -> None:
        self.text.setText(text)
        self.show()


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text, buddy.parentWidget())
    label.setBuddy(buddy)
    return label
