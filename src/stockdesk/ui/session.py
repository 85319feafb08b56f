"""What every screen shares: who is acting on which database, the task runner, the change bus and
the current site. Screens get this one object instead of reaching for globals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..domain.users import Action, User
from ..services.context import Context
from .changes import ChangeBus
from .tasks import TaskRunner


class Session(QObject):
    site_changed = Signal(object)
    """The code of the site now chosen in the status bar, or None for all sites."""

    def __init__(self, ctx: Context, runner: TaskRunner, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.bus = bus
        self.site: str | None = None

    @property
    def user(self) -> User:
        return self.ctx.user

    def may(self, action: Action) -> bool:
        return self.user.may(action)

    def choose_site(self, code: str | None) -> None:
        if code != self.site:
            self.site = code
            self.site_changed.emit(code)

    def close(self) -> None:
        self.bus.stop()
        self.runner.wait()
