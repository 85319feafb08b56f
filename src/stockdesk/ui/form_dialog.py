"""The base of the dialogs that hold a form: a message bar beside it, Close at its foot, and the form's
one request (create, ship, confirm, save...). The button waits while the request runs off the GUI
thread; the answer goes to whoever opened the form and closes it; a refusal stays beside the form,
in its message bar, so the person can correct what they typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget

from .controls import push_button
from .messages import user_message
from .widgets import MessageBar


class FormDialog(QDialog):
    close_accepts: ClassVar[bool] = False
    """True for a form whose work is done as it goes (Close then means done, not never mind)."""

    def __init__(self, run: Callable, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.setWindowTitle(title)
        self.setObjectName(name)
        self.message = MessageBar(self)

    def foot(self, *buttons: QWidget, leading: Sequence[QWidget] = ()) -> QHBoxLayout:
        """The row under the form: `leading` on the left, `buttons` and Close on the right. Built after
        the fields, so Close comes last in the tab order too."""
        self.close_button: QPushButton = push_button("Close", "close", self)
        self.close_button.clicked.connect(self.accept if self.close_accepts else self.reject)
        row = QHBoxLayout()
        for widget in leading:
            row.addWidget(widget)
        row.addStretch(1)
        for widget in (*buttons, self.close_button):
            row.addWidget(widget)
        return row

    def send(
        self, button: QPushButton, work: Callable[[], Any], answered: Callable[[Any], None], closes: bool = True
    ) -> None:
        """Run `work` with `button` disabled (no second press while it runs); hand its result to `answered`."""
        button.setEnabled(False)
        self.run(work, lambda result: self._answered(result, answered, closes), lambda e: self._refused(e, button))

    def _answered(self, result: Any, answered: Callable[[Any], None], closes: bool) -> None:
        answered(result)
        if closes:
            self.accept()

    def _refused(self, error: Exception, button: QPushButton) -> None:
        button.setEnabled(self.may_send())
        self.show_error(error)

    def show_error(self, error: Exception) -> None:
        self.message.show_error(user_message(error))

    def may_send(self) -> bool:
        """Whether the form as filled in may be sent: the button is enabled again after a refusal if so."""
        return True
