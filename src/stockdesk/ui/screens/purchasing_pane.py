"""A tab of the Purchasing screen. The tabs share the screen's scan field, message bar and task runner;
each tab's actions live on the screen (so their shortcuts work from the scan field) and are shown only
while the tab is the current one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from ...domain.postings import ChangeSet
from ..controls import screen_action

if TYPE_CHECKING:
    from .purchasing import PurchasingScreen


class Pane(QWidget):
    title: ClassVar[str]
    icon_name: ClassVar[str]
    scan_hint: ClassVar[str]

    def __init__(self, screen: PurchasingScreen) -> None:
        super().__init__(screen)
        self.screen = screen
        self.session = screen.session
        self.message = screen.message
        self.own_actions: list[QAction] = []
        self.loaded = False
        self.is_current = False

    def run(self, work: Callable[[], Any], on_done=None, on_error=None) -> None:
        self.screen.run(work, on_done, on_error)

    def action(self, icon_name: str, text: str, slot: Callable[[], None], *keys: str) -> QAction:
        """An action of this tab, on the screen: its shortcut works from the scan field too."""
        made = screen_action(self.screen, icon_name, text, *keys)
        made.triggered.connect(lambda _checked=False: slot())
        self.own_actions.append(made)
        return made

    def set_current(self, current: bool) -> None:
        """Shown or left: only the current tab's shortcuts answer, and a tab loads when first shown."""
        self.is_current = current
        for action in self.own_actions:
            action.setVisible(current)
        if current:
            self.shown()

    def prompt_changed(self) -> None:
        """What the scan field takes changed: the screen says so beside it, if this tab is shown."""
        if self.is_current:
            self.screen.prompt_changed()

    def back_to_scan(self) -> None:
        self.screen.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- what each tab fills in ------------------------------------------------------------------

    def shown(self) -> None:
        """The tab came to the front."""
        if not self.loaded:
            self.load()

    def load(self) -> None:
        """Read (again) what the tab shows; F5 calls it too."""
        self.loaded = True

    def on_scan(self, code: str) -> None:
        """A code from the shared scan field while this tab is shown."""

    def on_changes(self, changes: ChangeSet) -> None:
        """Committed changes (here or on another desktop); a tab not loaded yet ignores them."""

    def scan_key(self, key: int) -> bool:
        """Enter in the empty scan field, or an arrow key there: True when the tab used it."""
        return False

    def scan_prompt(self) -> str:
        """What the scan field takes now, beside it, when there is more to say than its placeholder."""
        return ""

    def waiting(self) -> bool:
        """The scan field waits for something other than the tab's usual codes (a lot, serials)."""
        return False
