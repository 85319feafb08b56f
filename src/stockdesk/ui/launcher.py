"""Opening a database and signing in, the same way for the first start, Settings > Database,
Sign out and a changed role: schema check (asking before an upgrade), create or upgrade, who is at
the desk, then a window. Every step that touches the database runs on the task runner, off the GUI
thread. A new window replaces the old one only once it is ready; what went wrong is said in the
dialog that asked, or, with no window yet, in Settings > Database, where it can be put right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from ..domain.errors import PasswordRefused, SchemaMismatch
from ..domain.users import Action
from ..services import schema, users
from ..services.connection import DatabaseChoice, DatabaseKind, database_label
from ..services.context import Context, open_context
from ..services.schema import SchemaState, SchemaStatus
from ..services.users import UserRow
from .dialogs.account_menu import add_account_actions
from .dialogs.first_run import FirstRunDialog
from .dialogs.questions import password_prompt, upgrade_question
from .dialogs.settings import SettingsDialog
from .dialogs.sign_in import SignInDialog
from .dialogs.users import UsersDialog
from .main_window import MainWindow
from .messages import user_message
from .session import Session
from .settings import PasswordStore, Settings
from .tasks import TaskRunner


@dataclass(frozen=True)
class LaunchOptions:
    db_url: str
    demo: bool
    explicit: bool = True
    """The URL came from --db, --demo or $STOCKDESK_DB, so the saved choice and first run are skipped."""
    user: str | None = None


@dataclass(frozen=True)
class Target:
    """A database to open, and the choice to save once it opened (None for --db and $STOCKDESK_DB)."""

    url: str
    fill_demo: bool = False
    choice: DatabaseChoice | None = None
    password: str = ""


Step = Callable[[], None]


class Reporter(Protocol):
    """Whoever asked for a database: told it is being opened, why it could not be, or that it is open."""

    def show_busy(self, text: str) -> None: ...
    def show_failure(self, text: str) -> None: ...
    def accept(self) -> None: ...


class Launcher(QObject):
    finished = Signal(int)
    """The last window closed, or the person gave up before one opened: exit with this code."""

    def __init__(
        self,
        options: LaunchOptions,
        settings: Settings,
        passwords: PasswordStore,
        runner: TaskRunner,
        *,
        connect: Callable[[str], Any],
        open_window: Callable[[Context], MainWindow],
    ) -> None:
        """`connect(url)` gives a database handle, `open_window(ctx)` a window with its own session:
        the composition root (app.py) knows how to build both."""
        super().__init__()
        self.options, self.settings, self.passwords, self.runner = options, settings, passwords, runner
        self.connect, self.open_window = connect, open_window
        self.window: MainWindow | None = None
        self.target: Target | None = None
        self.dialogs: list[QDialog] = []
        """The dialogs now open, the newest last (kept referenced here while they are up)."""
        self._opening: list[Any] = []
        """Databases being opened, not yet handed to a window."""

    def start(self) -> None:
        choice = self.settings.database_choice()
        if self.options.explicit:
            self.open(Target(self.options.db_url, self.options.demo), self._fallback, username=self.options.user)
        elif choice is None:
            first_run = FirstRunDialog(self.runner, keyring_available=self.passwords.available)
            first_run.chosen.connect(lambda chosen, password: self.open_choice(chosen, password, first_run))
            first_run.rejected.connect(lambda: self.finished.emit(0))
            self._ask(first_run, None)
        elif choice.kind is DatabaseKind.POSTGRESQL and not self.passwords.available:
            self.ask_password(choice, "No system keyring keeps the password on this computer.", self._fallback)
        else:
            self.open_choice(choice, self.passwords.get(choice.account) or "", self._fallback)

    def open_choice(self, choice: DatabaseChoice, password: str, reporter: Reporter) -> None:
        target = Target(choice.url(password), choice.fills_demo, choice, password)
        self.open(target, reporter, username=self.options.user)

    # -- the steps, each on the runner ----------------------------------------------------------

    def open(self, target: Target, reporter: Reporter, *, username: str | None = None, ask_who: bool = False) -> None:
        """Schema check (asking before an upgrade), create or upgrade, sign-in, then the window."""
        database = self.connect(target.url)
        self._opening.append(database)
        label = database_label(target.url)

        def failed(error: Exception) -> None:
            self._release(database)
            if isinstance(error, PasswordRefused) and target.choice is not None:
                self.ask_password(target.choice, str(error), reporter)
            else:
                reporter.show_failure(user_message(error))

        def checked(status: SchemaStatus) -> None:
            refusal = status.refusal()
            if refusal is not None:
                failed(refusal)
            elif status.state is SchemaState.OLDER:
                self._ask_upgrade(status, database.is_sqlite, reporter, prepare, lambda: failed(_left_alone(status)))
            else:
                prepare()

        def prepare() -> None:
            work = lambda: (schema.prepare(database, fill_demo=target.fill_demo), users.active_users(database))  # noqa: E731
            self.runner.run(work, lambda result: who(*result), failed)

        def who(backup: Path | None, people: list[UserRow]) -> None:
            names = [person.username for person in people]
            if username in names or (username is None and len(names) == 1 and not ask_who):
                sign_in(username or names[0], backup)
                return
            problem = f"There is no active user called '{username}'." if username else None
            dialog = SignInDialog(people, last_user=self.settings.last_user, database_label=label, problem=problem)
            dialog.signed_in.connect(lambda name: sign_in(name, backup))
            dialog.rejected.connect(nobody_signed_in)
            self._ask(dialog, self._parent_for(reporter))

        def nobody_signed_in() -> None:
            self._release(database)
            if self.window is None:
                self.finished.emit(0)
            else:
                reporter.show_failure("Nobody signed in, so StockDesk stayed on the database it had open.")

        def sign_in(name: str, backup: Path | None) -> None:
            def show(ctx: Context) -> None:
                self._opening.remove(database)
                self._show(ctx, target, backup)
                reporter.accept()

            self.runner.run(lambda: open_context(database, name), show, failed)

        demo_note = "Preparing the demo business; the first time takes a few seconds…"
        reporter.show_busy(demo_note if target.fill_demo else f"Opening {label}…")
        self.runner.run(lambda: schema.inspect(database), checked, failed)

    def _release(self, database: Any) -> None:
        database.dispose()
        self._opening.remove(database)

    def shut_down(self) -> None:
        """The application is leaving: close what is open, without asking anything more."""
        for dialog in self.dialogs:
            dialog.blockSignals(True)
            dialog.close()
        self.dialogs.clear()
        for database in self._opening:
            database.dispose()
        self._opening.clear()
        if self.window is not None:
            window, self.window = self.window, None
            _close(window)

    def _show(self, ctx: Context, target: Target, backup: Path | None) -> None:
        """The new window replaces the old one (which closes its session and database)."""
        window = self.open_window(ctx)
        session = window.session
        add_account_actions(
            window,
            settings=self.open_settings,
            users=lambda: self.manage_users(session),
            sign_out=self.sign_out,
            may_manage_users=session.may(Action.MANAGE_USERS),
        )
        window.installEventFilter(self)
        old, self.window, self.target = self.window, window, target
        if old is not None:
            self.settings.window_geometry = old.saveGeometry()
        window.restoreGeometry(self.settings.window_geometry)
        window.show()
        if old is not None:
            _close(old)
        self.settings.last_user = ctx.user.username
        notes = [f"Upgraded the database; the file as it was is kept as {backup}."] if backup else []
        if target.choice is not None:
            self.settings.save_database_choice(target.choice)
            kept = self.passwords.put(target.choice.account, target.password)
            if target.password and not kept:
                notes.append("No system keyring is available: StockDesk will ask for the password at the next start.")
        window.statusBar().showMessage(" ".join(notes))

    # -- questions -------------------------------------------------------------------------------

    def _ask(self, dialog: QDialog, parent: QWidget | None) -> None:
        if parent is not None:
            dialog.setParent(parent, dialog.windowFlags())
        self.dialogs.append(dialog)
        # A dialog leaves the list when it is answered, or when the window it belongs to is replaced.
        dialog.finished.connect(lambda _result: self._forget(dialog))
        dialog.destroyed.connect(lambda: self._forget(dialog))
        dialog.open()

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)

    def _parent_for(self, reporter: Reporter) -> QWidget | None:
        return reporter if isinstance(reporter, QDialog) and reporter.isVisible() else self.window

    def _ask_upgrade(
        self, status: SchemaStatus, is_sqlite: bool, reporter: Reporter, upgrade: Step, decline: Step
    ) -> None:
        box = upgrade_question(status, is_sqlite=is_sqlite)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: upgrade() if button is yes else decline())
        self._ask(box, self._parent_for(reporter))

    def ask_password(self, choice: DatabaseChoice, why: str, reporter: Reporter) -> None:
        prompt = password_prompt(choice, why)
        prompt.textValueSelected.connect(lambda password: self.open_choice(choice, password, reporter))
        prompt.rejected.connect(lambda: reporter.show_failure(f"{why} No password was given."))
        self._ask(prompt, self._parent_for(reporter))

    # -- the window's File menu ------------------------------------------------------------------

    def open_settings(self, problem: str | None = None) -> None:
        dialog = SettingsDialog(
            self.runner,
            current=(self.target and self.target.choice) or self.settings.database_choice(),
            password=self.target.password if self.target else "",
            keyring_available=self.passwords.available,
            problem=problem,
        )
        dialog.database_chosen.connect(lambda choice, password: self.open_choice(choice, password, dialog))
        dialog.rejected.connect(self._quit_without_window)
        self._ask(dialog, self.window)

    def manage_users(self, session: Session) -> None:
        dialog = UsersDialog(session)
        username = session.user.username
        dialog.own_role_changed.connect(lambda: self.open(self.target, self._fallback, username=username))
        self._ask(dialog, self.window)

    def sign_out(self) -> None:
        old, self.window = self.window, None
        if old is not None:
            _close(old)
        self.open(self.target, self._fallback, ask_who=True)

    def _quit_without_window(self) -> None:
        if self.window is None:
            self.finished.emit(0)

    @property
    def _fallback(self) -> Reporter:
        """With no dialog asking: failures open Settings > Database with the reason."""
        return _Fallback(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.settings.window_geometry = self.window.saveGeometry()
            self.finished.emit(0)
        return False


class _Fallback:
    def __init__(self, launcher: Launcher) -> None:
        self.launcher = launcher

    def show_busy(self, text: str) -> None:
        if self.launcher.window is not None:
            self.launcher.window.statusBar().showMessage(text)

    def show_failure(self, text: str) -> None:
        self.launcher.open_settings(problem=text)

    def accept(self) -> None:
        """Nothing to close."""


def _left_alone(status: SchemaStatus) -> Exception:
    return SchemaMismatch(f"The database was left at schema {status.revision}; nothing was changed.")


def _close(window: MainWindow) -> None:
    window.close()
    window.session.ctx.database.dispose()
    window.deleteLater()
