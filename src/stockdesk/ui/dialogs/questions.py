"""The two questions asked while a database opens: upgrade an older schema? and the server's password."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from ...services.connection import DatabaseChoice
from ...services.schema import SchemaStatus


def upgrade_question(status: SchemaStatus, *, is_sqlite: bool) -> QMessageBox:
    """Yes (shown as 'Upgrade') or Cancel; a SQLite file is copied before, a server needs its own backup."""
    safety = (
        "A copy of the file is saved beside it first."
        if is_sqlite
        else "Every desktop using it will then need this version. Back up the server's database (pg_dump) first "
        "if nobody has."
    )
    box = QMessageBox(QMessageBox.Icon.Question, "Upgrade the database?", "")
    box.setObjectName("upgradeQuestion")
    box.setText(f"This database has an older schema ({status.revision}); this StockDesk needs {status.head}.")
    box.setInformativeText(f"Upgrade it now? {safety}")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText("&Upgrade")
    return box


def password_prompt(choice: DatabaseChoice, why: str) -> QInputDialog:
    prompt = QInputDialog()
    prompt.setObjectName("passwordPrompt")
    prompt.setWindowTitle("Database password")
    prompt.setLabelText(f"{why}\nPassword for {choice.user} on {choice.host}:{choice.port}/{choice.name}:")
    prompt.setTextEchoMode(QLineEdit.EchoMode.Password)
    return prompt
